package httpapi_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/testutil"
)

// Every response a test records through testutil's API.Do is validated
// against api/openapi.yaml (a response outside the spec fails the test that
// got it). TestMain adds, when the whole package ran, that every operation
// of the spec was exercised here with at least one validated success.
func TestMain(m *testing.M) {
	flag.Parse()
	c, err := testutil.SpecContract()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if code == 0 && wholePackage() {
		never, noSuccess := c.Unchecked()
		if len(never) > 0 || len(noSuccess) > 0 {
			fmt.Fprintf(os.Stderr, "contract: operations of api/openapi.yaml no test exercised:\n  %s\noperations only answered with errors in the tests:\n  %s\n",
				strings.Join(never, "\n  "), strings.Join(noSuccess, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

func wholePackage() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}
