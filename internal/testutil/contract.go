package testutil

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/brug-chw/brug/api"
)

// Contract checks real responses against api/openapi.yaml: the status must
// be one the operation declares, and the headers and body must match its
// schema. A test package turns it on for every request its tests send
// through API.Do (see CheckContract), so the spec cannot drift from what the
// server answers without a test failing.
type Contract struct {
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string]map[int]bool // "METHOD /path/{param}" → statuses validated
}

// Register decoders for the bodies the API serves besides JSON and CSV, so
// their content types are checked (and their bodies taken as opaque).
func init() {
	for _, ct := range []string{
		"text/html",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/zip",
		"application/pdf",
		"text/calendar",
		"application/openmetrics-text",
		// A report's CSV holds one block per table, each with its own
		// header, so its rows differ in width.
		"text/csv",
	} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// NewContract loads and validates the embedded spec.
func NewContract() (*Contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	// Requests arrive at the test server under any host.
	doc.Servers = nil
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &Contract{doc: doc, router: r, seen: map[string]map[int]bool{}}, nil
}

var (
	contractOnce sync.Once
	contract     *Contract
	contractErr  error
)

// SpecContract is the contract every API.Do response is checked against,
// in every test package: loaded once per test binary.
func SpecContract() (*Contract, error) {
	contractOnce.Do(func() { contract, contractErr = NewContract() })
	return contract, contractErr
}

// Check validates one exchange. It returns nil for a response the spec
// describes, and an error naming what differs otherwise.
func (c *Contract) Check(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// A path the API does not serve (a 404 for an unknown URL, a
		// method the route lacks) has no operation to check against; the
		// route table test covers the router and spec having the same set.
		// The public site's pages and the SPA's routes are HTML, not the
		// API the spec describes.
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed || !strings.HasPrefix(req.URL.Path, "/api/") {
			return nil
		}
		return fmt.Errorf("no operation in the spec for %s %s (%d): %v", req.Method, req.URL.Path, status, err)
	}
	key := req.Method + " " + route.Path
	c.mu.Lock()
	if c.seen[key] == nil {
		c.seen[key] = map[int]bool{}
	}
	c.seen[key][status] = true
	c.mu.Unlock()
	// A request the server accepted must be one the spec accepts: its
	// parameters and body match the operation's (security is the router's
	// business, tested by the route matrix).
	if status < 300 {
		rin := &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
		}
		if err := openapi3filter.ValidateRequest(context.Background(), rin); err != nil {
			return fmt.Errorf("%s %s was accepted (%d) but api/openapi.yaml refuses the request: %v", req.Method, req.URL.RequestURI(), status, err)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
			Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: status,
		Header: header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s → %d does not match api/openapi.yaml: %v\nbody: %s", req.Method, req.URL.RequestURI(), status, err, clip(body))
	}
	return nil
}

// Operations lists every operation of the spec as "METHOD /path".
func (c *Contract) Operations() []string {
	var out []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// Unchecked lists the operations no validated response reached, and those
// whose validated responses were all errors (no 2xx or 3xx).
func (c *Contract) Unchecked() (never, noSuccess []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, op := range c.Operations() {
		st := c.seen[op]
		if len(st) == 0 {
			never = append(never, op)
			continue
		}
		ok := false
		for s := range st {
			if s < 400 {
				ok = true
			}
		}
		if !ok {
			noSuccess = append(noSuccess, op)
		}
	}
	return never, noSuccess
}

func clip(b []byte) string {
	s := string(b)
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// requestCopy rebuilds the request the router saw, for the validator (the
// router consumed its body).
func requestCopy(method, target string, header http.Header, body []byte) *http.Request {
	req, _ := http.NewRequest(method, "http://brug.test"+target, io.NopCloser(bytes.NewReader(body)))
	req.Header = header.Clone()
	return req
}
