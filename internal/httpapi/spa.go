package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Brug</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Brug</h1>
<p>The web app has not been built into this binary. Run <code>make run</code> (or
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code> and rebuild) to include it.
The API is available under <a href="/api/openapi.yaml">/api/openapi.yaml</a>.</p></main></body></html>`

// serveSPA serves the built app: a file when one exists, otherwise
// index.html so that client-side routes survive a reload.
func (s *Server) serveSPA(c echo.Context) error {
	if isTokenPath(path.Clean("/" + c.Param("*"))) {
		// A client's or a provider's link: never the staff app.
		return s.tokenNotFound(c)
	}
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if p != "" && p != "." {
		if f, err := fs.Stat(s.spa, p); err == nil && !f.IsDir() && !strings.HasPrefix(path.Base(p), ".") {
			if strings.HasPrefix(p, "assets/") {
				// Vite puts a content hash in every asset name.
				c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				c.Response().Header().Set("Cache-Control", "no-cache")
			}
			return echo.StaticFileHandler(p, s.spa)(c)
		}
		if path.Ext(p) != "" {
			return echo.ErrNotFound
		}
	}
	index, err := fs.ReadFile(s.spa, "index.html")
	c.Response().Header().Set("Cache-Control", "no-cache")
	if err != nil {
		return c.HTML(http.StatusOK, placeholderPage)
	}
	return c.HTMLBlob(http.StatusOK, index)
}
