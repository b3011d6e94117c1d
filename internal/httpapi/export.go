package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/service"
)

// ExportVersion names the layout of the subject export document.
const ExportVersion = "brug.client-export/1"

type exportConsentDTO struct {
	Purpose     string     `json:"purpose"`
	GivenAt     time.Time  `json:"given_at"`
	GivenBy     *userRef   `json:"given_by"`
	TextVersion string     `json:"text_version"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	WithdrawnBy *userRef   `json:"withdrawn_by"`
}

type exportReminderDTO struct {
	reminderDTO
	Text string `json:"text"`
}

type exportEventDTO struct {
	Kind   string         `json:"kind"`
	Actor  *userRef       `json:"actor"`
	Detail map[string]any `json:"detail"`
	At     time.Time      `json:"at"`
}

// exportAuditDTO is an audit row as the client sees it: who did what
// when — not the staff member's address or request id.
type exportAuditDTO struct {
	Actor     *userRef  `json:"actor"`
	ActorRole string    `json:"actor_role"`
	Action    string    `json:"action"`
	Detail    string    `json:"detail"`
	At        time.Time `json:"at"`
}

type exportDTO struct {
	Format          string              `json:"format"`
	ExportedAt      time.Time           `json:"exported_at"`
	Client          clientDTO           `json:"client"`
	Consents        []exportConsentDTO  `json:"consents"`
	Visits          []visitDTO          `json:"visits"`
	Barriers        []barrierDTO        `json:"barriers"`
	Referrals       []referralDTO       `json:"referrals"`
	Appointments    []appointmentDTO    `json:"appointments"`
	Reminders       []exportReminderDTO `json:"reminders"`
	Tasks           []taskDTO           `json:"tasks"`
	ContactRequests []contactDTO        `json:"contact_requests"`
	GroupSessions   []groupSessionDTO   `json:"group_sessions"`
	Merges          []mergeDTO          `json:"merges"`
	History         []exportEventDTO    `json:"history"`
	Audit           []exportAuditDTO    `json:"audit"`
}

// exportClient answers everything Brug holds about a client: JSON by
// default, or with format=pdf a printable document in the client's
// language (lang overrides it). Coordinators of the client's team; audited.
func (s *Server) exportClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var f apperr.Fields
	format := c.QueryParam("format")
	if format == "" {
		format = "json"
	}
	if !slices.Contains([]string{"json", "pdf"}, format) {
		f.Add("format", "oneof", "Must be json or pdf.")
	}
	lang := c.QueryParam("lang")
	if lang != "" && !slices.Contains(model.Languages, lang) {
		f.Add("lang", "oneof", "Must be nl, fr, de or en.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	x, err := s.svc.ExportClient(c.Request().Context(), principal(c), id, format)
	if err != nil {
		return err
	}
	doc, err := s.exportDoc(c, x)
	if err != nil {
		return err
	}
	name := "brug-client-" + id + "-" + x.ExportedAt.Format("20060102")
	if format == "pdf" {
		if lang == "" {
			lang = x.Client.Language
		}
		terms, err := s.svc.TaxonomyTerms(c.Request().Context())
		if err != nil {
			return err
		}
		b, err := exportPDF(doc, lang, exportLabeler(lang, terms))
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.pdf"`)
		return c.Blob(http.StatusOK, "application/pdf", b)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.json"`)
	return c.JSON(http.StatusOK, doc)
}

func (s *Server) exportDoc(c echo.Context, x service.ClientExport) (exportDTO, error) {
	ref := func(id *string) *userRef {
		if id == nil || *id == "" {
			return nil
		}
		return &userRef{ID: *id, Name: x.Names[*id]}
	}
	doc := exportDTO{
		Format:     ExportVersion,
		ExportedAt: x.ExportedAt,
		Consents:   []exportConsentDTO{},
		Visits:     []visitDTO{},
		Barriers:   []barrierDTO{},
		Reminders:  []exportReminderDTO{},
		Merges:     []mergeDTO{},
		History:    []exportEventDTO{},
		Audit:      []exportAuditDTO{},
	}
	cl, err := s.clientDTOs(c, []service.ClientView{x.Client})
	if err != nil {
		return doc, err
	}
	doc.Client = cl[0]
	for _, cs := range x.Consents {
		doc.Consents = append(doc.Consents, exportConsentDTO{
			Purpose:     cs.Purpose,
			GivenAt:     cs.GivenAt,
			GivenBy:     ref(&cs.GivenBy),
			TextVersion: cs.TextVersion,
			WithdrawnAt: cs.WithdrawnAt,
			WithdrawnBy: ref(cs.WithdrawnBy),
		})
	}
	for _, v := range x.Visits {
		doc.Visits = append(doc.Visits, toVisitDTO(v))
	}
	for _, b := range x.Barriers {
		doc.Barriers = append(doc.Barriers, toBarrierDTO(b))
	}
	if doc.Referrals, err = s.referralDTOs(c, x.Referrals); err != nil {
		return doc, err
	}
	if doc.Appointments, err = s.appointmentDTOs(c, x.Appointments); err != nil {
		return doc, err
	}
	reminders, err := s.svc.ReminderViews(c.Request().Context(), principal(c), x.Reminders)
	if err != nil {
		return doc, err
	}
	rs := reminderDTOs(reminders)
	starts := map[string]time.Time{}
	for _, a := range x.Appointments {
		starts[a.ID] = a.StartsAt
	}
	for i, r := range x.Reminders {
		// The text as sent, rendered again from what is stored; the reply
		// link is left out (its token is not kept).
		text := ""
		if msg, err := reminder.Render(r.Language, r.Kind, reminder.Data{When: starts[r.AppointmentID], CHWName: x.CHWFirstName}); err == nil {
			text = msg.SMS
			if r.Channel == "email" {
				text = msg.Subject + "\n\n" + msg.Text
			}
		}
		doc.Reminders = append(doc.Reminders, exportReminderDTO{reminderDTO: rs[i], Text: text})
	}
	if doc.Tasks, err = s.taskDTOs(c, x.Tasks); err != nil {
		return doc, err
	}
	contacts := make([]service.ContactView, len(x.Contacts))
	for i, r := range x.Contacts {
		contacts[i] = service.ContactView{ContactRequest: r}
	}
	if contacts, err = s.svc.NameContacts(c.Request().Context(), contacts); err != nil {
		return doc, err
	}
	doc.ContactRequests = contactDTOs(contacts)
	doc.GroupSessions = groupSessionDTOs(x.GroupSessions)
	for _, m := range x.Merges {
		doc.Merges = append(doc.Merges, toMergeDTO(m))
	}
	for _, e := range x.Events {
		d := map[string]any{}
		_ = json.Unmarshal([]byte(e.Detail), &d)
		doc.History = append(doc.History, exportEventDTO{Kind: e.Kind, Actor: ref(e.ActorID), Detail: d, At: e.CreatedAt})
	}
	for _, e := range x.Audit {
		doc.Audit = append(doc.Audit, exportAuditDTO{
			Actor:     ref(e.ActorID),
			ActorRole: e.ActorRole,
			Action:    e.Action,
			Detail:    e.Detail,
			At:        e.CreatedAt,
		})
	}
	doc.Referrals = nonNil(doc.Referrals)
	doc.Appointments = nonNil(doc.Appointments)
	doc.Tasks = nonNil(doc.Tasks)
	doc.ContactRequests = nonNil(doc.ContactRequests)
	doc.GroupSessions = nonNil(doc.GroupSessions)
	return doc, nil
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
