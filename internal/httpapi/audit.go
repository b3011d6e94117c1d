package httpapi

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/service"
)

type auditEventDTO struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	Actor     *userRef  `json:"actor"`
	ActorRole string    `json:"actor_role"`
	Action    string    `json:"action"`
	Entity    string    `json:"entity"`
	EntityID  string    `json:"entity_id"`
	ClientID  *string   `json:"client_id"`
	RequestID string    `json:"request_id"`
	IP        string    `json:"ip"`
	Detail    string    `json:"detail"`
	Unusual   bool      `json:"unusual"`
	Stream    string    `json:"stream"`
	Seq       *int64    `json:"seq"`
}

func toAuditEventDTO(e service.AuditEntry) auditEventDTO {
	d := auditEventDTO{
		ID:        e.ID,
		At:        e.CreatedAt,
		ActorRole: e.ActorRole,
		Action:    e.Action,
		Entity:    e.Entity,
		EntityID:  e.EntityID,
		ClientID:  e.ClientID,
		RequestID: e.RequestID,
		IP:        e.IP,
		Detail:    e.Detail,
		Unusual:   e.Unusual,
		Stream:    e.Stream,
		Seq:       e.Seq,
	}
	if e.ActorID != nil {
		d.Actor = &userRef{ID: *e.ActorID, Name: e.ActorName}
	}
	return d
}

// auditName is what an action or a record type looks like (client.read, visit).
var auditName = regexp.MustCompile(`^[a-z][a-z0-9_.]{0,99}$`)

// searchAudit is the audit reader (admin, dpo): filters, cursor pages, CSV.
func (s *Server) searchAudit(c echo.Context) error {
	var fields apperr.Fields
	f := service.AuditSearch{
		ActorID:  c.QueryParam("actor_id"),
		ClientID: c.QueryParam("client_id"),
		Action:   c.QueryParam("action"),
		Entity:   c.QueryParam("entity"),
		Cursor:   c.QueryParam("cursor"),
		Limit:    queryInt(c, "limit", 50, 1, 200, &fields),
	}
	for _, p := range [][2]string{{"actor_id", f.ActorID}, {"client_id", f.ClientID}} {
		if p[1] != "" && uuid.Validate(p[1]) != nil {
			fields.Add(p[0], "uuid", "Must be a UUID.")
		}
	}
	for _, p := range [][2]string{{"action", f.Action}, {"entity", f.Entity}} {
		if p[1] != "" && !auditName.MatchString(p[1]) {
			fields.Add(p[0], "format", "Lower-case letters, digits, '_' and '.', such as client.read.")
		}
	}
	// Periods are Brussels days, both inclusive.
	day := func(name string) time.Time {
		v := c.QueryParam(name)
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, v, service.Brussels)
		if err != nil {
			fields.Add(name, "date", "Must be a date, YYYY-MM-DD.")
		}
		return t
	}
	from, to := day("from"), day("to")
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		fields.Add("to", "range", "Must not be before from.")
	}
	f.From = from
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		fields.Add("format", "oneof", "Must be json or csv.")
	}
	if err := fields.Err(); err != nil {
		return err
	}

	ctx := c.Request().Context()
	if format == "csv" {
		return s.auditCSV(c, f)
	}
	page, err := s.svc.SearchAudit(ctx, principal(c), f)
	if err != nil {
		return err
	}
	out := make([]auditEventDTO, len(page.Items))
	for i, e := range page.Items {
		out[i] = toAuditEventDTO(e)
	}
	// The first page also carries the recent grants of client access,
	// whatever the filters: they are what a reader must not miss.
	granted := []auditEventDTO{}
	if f.Cursor == "" {
		gs, err := s.svc.RecentAccessGrants(ctx, principal(c))
		if err != nil {
			return err
		}
		for _, e := range gs {
			granted = append(granted, toAuditEventDTO(e))
		}
	}
	list := newList(out, page.NextCursor)
	return c.JSON(http.StatusOK, map[string]any{"items": list.Items, "next_cursor": list.NextCursor, "client_access_granted": granted})
}

// auditCSV streams every matching event; the header goes out with the
// first batch, so a bad cursor still answers 422.
func (s *Server) auditCSV(c echo.Context, f service.AuditSearch) error {
	var w *csv.Writer
	start := func() {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="brug-audit.csv"`)
		c.Response().WriteHeader(http.StatusOK)
		w = csv.NewWriter(c.Response())
		_ = w.Write([]string{"at", "actor_id", "actor_name", "actor_role", "action", "entity", "entity_id", "client_id",
			"request_id", "ip", "detail", "unusual", "stream", "seq"})
	}
	err := s.svc.ExportAudit(c.Request().Context(), principal(c), f, func(batch []service.AuditEntry) error {
		if w == nil {
			start()
		}
		for _, e := range batch {
			d := toAuditEventDTO(e)
			rec := []string{d.At.UTC().Format(time.RFC3339Nano), "", "", d.ActorRole, d.Action, d.Entity, d.EntityID, "",
				d.RequestID, d.IP, csvSafe(d.Detail), strconv.FormatBool(d.Unusual), d.Stream, ""}
			if d.Actor != nil {
				rec[1], rec[2] = d.Actor.ID, csvSafe(d.Actor.Name)
			}
			if d.ClientID != nil {
				rec[7] = *d.ClientID
			}
			if d.Seq != nil {
				rec[13] = strconv.FormatInt(*d.Seq, 10)
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	})
	if err != nil {
		if w != nil {
			// The body has begun: the download ends short; the cause is logged.
			s.log.Error("audit download cut short", "request_id", service.MetaFrom(c.Request().Context()).RequestID, "err", err)
			return nil
		}
		return err
	}
	if w == nil {
		start()
	}
	w.Flush()
	return nil
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}
