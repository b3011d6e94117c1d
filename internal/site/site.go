// Package site renders Brug's public pages: home, where we work, the
// contact form, the privacy text and the consent-withdrawal page, in
// Dutch, French, German and English. They are plain server-rendered HTML
// (html/template escapes everything a visitor typed) with one small
// stylesheet and an optional script, so they work without JavaScript.
package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Languages are the public pages' languages, in the order the switcher shows them.
var Languages = []string{"nl", "fr", "de", "en"}

var matcher = language.NewMatcher([]language.Tag{language.Dutch, language.French, language.German, language.English})

// Negotiate picks the page language from an Accept-Language header; Dutch
// when nothing matches.
func Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "nl"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "nl"
	}
	return Languages[i]
}

// Supported reports whether lang is one of the four languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// T returns the text key in lang, formatted with args.
func T(lang, key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	s := t.get(lang)
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

// ConsentText returns the privacy text of a version in lang, one paragraph
// per entry; nil for an unknown version.
func ConsentText(version, lang string) []string {
	ps, ok := consentTexts[version]
	if !ok {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.get(lang)
	}
	return out
}

// Page is what every template gets.
type Page struct {
	Lang        string
	Path        string // the page's path after the language, "/" for home
	Title       string
	Description string
	BaseURL     string // absolute, without trailing slash
	NoIndex     bool
	Status      int
	Data        any
	// SwitchPath, when set, makes the language links "SwitchPath?lang=xx"
	// (the token pages, whose path carries no language).
	SwitchPath string
}

// LangURL is the page's address in another language, for the switcher.
func (p Page) LangURL(lang string) string {
	if p.SwitchPath != "" {
		return p.SwitchPath + "?lang=" + lang
	}
	return "/" + lang + p.Path
}

// T translates into the page's language.
func (p Page) T(key string, args ...any) string { return T(p.Lang, key, args...) }

// URL is the page's absolute URL in another language.
func (p Page) URL(lang string) string { return p.BaseURL + "/" + lang + p.Path }

// Href is a site path in the page's language.
func (p Page) Href(path string) string { return "/" + p.Lang + path }

// Asset is a static file's URL with its content hash, so it can be cached for good.
func (p Page) Asset(name string) string { return "/site/" + name + "?v=" + assetHashes[name] }

// Languages lists the languages for the switcher.
func (p Page) Languages() []string { return Languages }

// LangName is a language's name in itself.
func (p Page) LangName(l string) string { return T(l, "lang."+l) }

var (
	pages       = map[string]*template.Template{}
	assetHashes = map[string]string{}
)

func init() {
	layout := template.Must(template.ParseFS(templateFS, "templates/layout.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		pages[base] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, n))
	}
	statics, _ := fs.Glob(staticFS, "static/*")
	for _, n := range statics {
		b, _ := staticFS.ReadFile(n)
		sum := sha256.Sum256(b)
		assetHashes[strings.TrimPrefix(n, "static/")] = hex.EncodeToString(sum[:6])
	}
}

// Bytes renders a page to HTML.
func Bytes(name string, p Page) ([]byte, error) {
	t, ok := pages[name]
	if !ok {
		return nil, fmt.Errorf("site: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Render writes a page.
func Render(w http.ResponseWriter, name string, p Page) error {
	body, err := Bytes(name, p)
	if err != nil {
		return err
	}
	SetHeaders(w.Header(), p.Lang)
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	w.WriteHeader(p.Status)
	_, err = w.Write(body)
	return err
}

// SetHeaders sets a page's content headers (Cache-Control only if unset).
func SetHeaders(h http.Header, lang string) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", lang)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
}

// Static returns an embedded static file by name.
func Static(name string) ([]byte, bool) {
	if strings.Contains(name, "/") {
		return nil, false
	}
	b, err := staticFS.ReadFile("static/" + name)
	return b, err == nil
}

// TextKeys lists the text keys (tests check their translations).
func TextKeys() []string { return slices.Sorted(maps.Keys(texts)) }

// Text returns a key's four translations.
func Text(key string) (nl, fr, de, en string) {
	t := texts[key]
	return t.NL, t.FR, t.DE, t.EN
}

// ConsentVersions lists the versions of the privacy text.
func ConsentVersions() []string { return slices.Sorted(maps.Keys(consentTexts)) }
