// Command brug is the Brug server and its administration commands.
package main

import (
	"os"

	"github.com/brug-chw/brug/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
