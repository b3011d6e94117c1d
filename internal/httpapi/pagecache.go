package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/site"
)

// The public pages without a query (home, where we work, the empty contact
// form, privacy) and the site's static files do not change while the
// process runs: they are rendered and compressed once, and then served from
// memory with an ETag. This keeps a crowd of visitors cheap.

type cachedBody struct {
	raw, gz []byte
	etag    string
	lang    string // "" for static files
	ctype   string
}

type pageCache struct{ m sync.Map }

func newCachedBody(raw []byte, lang, ctype string) *cachedBody {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	sum := sha256.Sum256(raw)
	return &cachedBody{raw: raw, gz: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, lang: lang, ctype: ctype}
}

// get returns the entry of key, building it once.
func (pc *pageCache) get(key string, build func() (*cachedBody, error)) (*cachedBody, error) {
	if v, ok := pc.m.Load(key); ok {
		return v.(*cachedBody), nil
	}
	b, err := build()
	if err != nil {
		return nil, err
	}
	v, _ := pc.m.LoadOrStore(key, b)
	return v.(*cachedBody), nil
}

// serve writes a cached body: 304 when the browser has it, gzip when it
// accepts it.
func (b *cachedBody) serve(c echo.Context, cacheControl string) error {
	h := c.Response().Header()
	if b.lang != "" {
		site.SetHeaders(h, b.lang)
	} else {
		h.Set("Content-Type", b.ctype)
	}
	if cacheControl != "" {
		h.Set("Cache-Control", cacheControl)
	}
	h.Set("ETag", b.etag)
	h.Add("Vary", "Accept-Encoding")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, b.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := b.raw
	if acceptsGzip(c.Request()) {
		h.Set("Content-Encoding", "gzip")
		body = b.gz
	}
	return c.Blob(http.StatusOK, h.Get("Content-Type"), body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// precompressed reports whether a request is answered from the page cache,
// which compresses by itself (the gzip middleware skips it).
func precompressed(c echo.Context) bool {
	r := c.Request()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	if strings.HasPrefix(p, "/site/") {
		return true
	}
	if r.URL.RawQuery != "" || len(p) < 4 || p[0] != '/' || p[3] != '/' || !site.Supported(p[1:3]) {
		return false
	}
	switch p[3:] {
	case "/", "/where", "/contact", "/privacy":
		return true
	}
	return false
}

// cachedPage renders a page once per language and serves it from memory;
// a request with a query is rendered fresh.
func (s *Server) cachedPage(c echo.Context, name string, build func() (site.Page, error)) error {
	if !precompressed(c) {
		p, err := build()
		if err != nil {
			return err
		}
		return s.render(c, name, p)
	}
	b, err := s.pages.get(c.Request().URL.Path, func() (*cachedBody, error) {
		p, err := build()
		if err != nil {
			return nil, err
		}
		raw, err := site.Bytes(name, p)
		if err != nil {
			return nil, err
		}
		return newCachedBody(raw, p.Lang, ""), nil
	})
	if err != nil {
		return err
	}
	return b.serve(c, "")
}
