// Package frontend embeds the built single-page app (frontend/dist). A
// committed dist/.keep lets Go build and test without Node; the server then
// serves a page explaining how to build the SPA.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built SPA files rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}
