package httpapi

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/service"
)

// etagOf is the ETag of a record's version: "v3".
var etagOf = regexp.MustCompile(`^"v([1-9][0-9]{0,8})"$`)

func setETag(c echo.Context, version int) {
	c.Response().Header().Set("ETag", fmt.Sprintf(`"v%d"`, version))
}

// wantedVersion is the version the caller says it edits: If-Match: "v3"
// (the ETag it read) or the body's version; nil when it gives neither (the
// edit then applies whatever changed meanwhile: last write wins). If-Match:
// * asks nothing. A malformed If-Match is 422 naming it.
func wantedVersion(c echo.Context, body *int) (*int, error) {
	var header *int
	if vals := c.Request().Header.Values("If-Match"); len(vals) > 0 {
		v := strings.TrimSpace(strings.Join(vals, ","))
		if v != "*" {
			m := etagOf.FindStringSubmatch(v)
			if m == nil {
				return nil, apperr.Validation("If-Match", "format", `Send the ETag of the record you edited, such as "v3".`)
			}
			n, _ := strconv.Atoi(m[1])
			header = &n
		}
	}
	if body != nil && *body < 1 {
		return nil, apperr.ValidationP("version", "min", "Must be at least 1.", map[string]any{"min": 1})
	}
	if header != nil && body != nil && *header != *body {
		return nil, apperr.Validation("version", "mismatch", "The version and If-Match name different versions.")
	}
	if header != nil {
		return header, nil
	}
	return body, nil
}

// guarded runs edit, checked against want when the caller gave a version
// (service.WithVersion). A stale edit answers 412 with the record as it is
// now (current, and its version and ETag), so the person can compare.
func (s *Server) guarded(c echo.Context, table, id, clientID string, want *int, edit func(ctx context.Context) error, current func() (any, int, error)) error {
	ctx := c.Request().Context()
	if want == nil {
		return edit(ctx)
	}
	err := s.svc.WithVersion(ctx, table, id, clientID, *want, edit)
	ae, ok := apperr.As(err)
	if !ok || !errors.Is(err, service.ErrStale) {
		return err
	}
	cur, v, cerr := current()
	if cerr != nil {
		return cerr
	}
	out := *ae
	out.Extra = map[string]any{"code": "stale", "current": cur, "version": v}
	setETag(c, v)
	return &out
}
