package service

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/mask"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ReminderPolicy is how reminders are planned.
type ReminderPolicy struct {
	// QuietFrom/QuietTo: minutes after midnight, Brussels; equal = none.
	QuietFrom, QuietTo int
	// Channels that have a sender configured.
	Configured map[string]bool
}

// DefaultOffsets are used when a team has none: a day and two hours before.
var DefaultOffsets = []time.Duration{24 * time.Hour, 2 * time.Hour}

func teamOffsets(t model.Team) []time.Duration {
	var raw []string
	if json.Unmarshal([]byte(t.ReminderOffsets), &raw) != nil || len(raw) == 0 {
		return DefaultOffsets
	}
	var out []time.Duration
	for _, r := range raw {
		if d, err := time.ParseDuration(r); err == nil && d > 0 {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return DefaultOffsets
	}
	return out
}

// inQuiet reports whether t falls in the quiet hours and, if so, when they end.
func (p ReminderPolicy) inQuiet(t time.Time) (bool, time.Time) {
	if p.QuietFrom == p.QuietTo {
		return false, t
	}
	local := t.In(Brussels)
	m := local.Hour()*60 + local.Minute()
	var quiet bool
	if p.QuietFrom > p.QuietTo { // spans midnight, e.g. 21:00-08:00
		quiet = m >= p.QuietFrom || m < p.QuietTo
	} else {
		quiet = m >= p.QuietFrom && m < p.QuietTo
	}
	if !quiet {
		return false, t
	}
	day := local
	if m >= p.QuietTo && p.QuietFrom > p.QuietTo {
		day = local.AddDate(0, 0, 1)
	}
	// time.Date in Brussels keeps 08:00 the wall-clock 08:00 across DST.
	end := time.Date(day.Year(), day.Month(), day.Day(), p.QuietTo/60, p.QuietTo%60, 0, 0, Brussels)
	return true, end.UTC()
}

// ReminderChannel picks how a client can be reminded: SMS with a phone and a
// live SMS consent, else e-mail with an address and a live e-mail consent.
func ReminderChannel(c model.Client, consents []string) string {
	switch {
	case c.Phone != nil && slices.Contains(consents, "sms_reminders"):
		return "sms"
	case c.Email != nil && slices.Contains(consents, "email_reminders"):
		return "email"
	}
	return ""
}

// PlanReminders queues the reminders of a planned appointment, in the
// caller's transaction (the outbox). A reminder whose time has passed while
// the appointment is still ahead goes at once; one that falls in the quiet
// hours goes when they end, unless the appointment is before that. Two
// reminders of one appointment are never closer than the team's shortest
// offset: those whose moment passed (or that the quiet hours push together)
// collapse into one, and one already sent counts. A past appointment gets none.
func (s *Service) PlanReminders(ctx context.Context, tx *store.Store, a model.Appointment) error {
	now := tx.Now()
	if a.Status != "planned" || !a.StartsAt.After(now) {
		return nil
	}
	c, err := tx.ClientByIDUnscoped(ctx, a.ClientID)
	if err != nil {
		return err
	}
	consents, err := tx.LiveConsents(ctx, c.ID)
	if err != nil {
		return err
	}
	channel := ReminderChannel(c, consents)
	if channel == "" {
		return nil
	}
	team, err := tx.TeamByID(ctx, c.TeamID)
	if err != nil {
		return err
	}
	gone, err := tx.SentReminderTimes(ctx, a.ID)
	if err != nil {
		return err
	}

	offsets := teamOffsets(team)
	gap := slices.Min(offsets)
	var rows []model.Reminder
	for _, pl := range s.reminderMoments(a.StartsAt, now, offsets) {
		if tooClose(pl.due, gone, gap) {
			continue
		}
		gone = append(gone, pl.due)
		r := model.Reminder{AppointmentID: a.ID, ClientID: c.ID, Kind: "reminder", Channel: channel, Language: c.Language,
			ScheduledAt: pl.scheduled, DueAt: pl.due, Status: "queued", DedupeKey: reminderKey(a.ID, "reminder", pl.scheduled),
			Destination: mask.Destination(channel, contactOf(c, channel))}
		if pl.skipped {
			r.Status, r.LastError = "skipped", "quiet hours until after the appointment"
		}
		rows = append(rows, r)
	}
	return tx.QueueReminders(ctx, rows)
}

type reminderMoment struct {
	scheduled, due time.Time
	skipped        bool
}

// reminderMoments are the send times of an appointment's reminders, earliest
// first and, at equal times, the one meant closest to the appointment first
// (so it is the one kept when they collapse).
func (s *Service) reminderMoments(startsAt, now time.Time, offsets []time.Duration) []reminderMoment {
	var out []reminderMoment
	for _, off := range offsets {
		m := reminderMoment{scheduled: startsAt.Add(-off)}
		m.due = m.scheduled
		if m.due.Before(now) {
			m.due = now
		}
		if quiet, end := s.Reminders.inQuiet(m.due); quiet {
			m.due = end
			m.skipped = !end.Before(startsAt)
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(x, y reminderMoment) int {
		if c := x.due.Compare(y.due); c != 0 {
			return c
		}
		return y.scheduled.Compare(x.scheduled)
	})
	return out
}

func tooClose(t time.Time, others []time.Time, gap time.Duration) bool {
	for _, o := range others {
		if d := t.Sub(o); d < gap && d > -gap {
			return true
		}
	}
	return false
}

func contactOf(c model.Client, channel string) string {
	p := c.Phone
	if channel == "email" {
		p = c.Email
	}
	if p == nil {
		return ""
	}
	return *p
}

// replanClient plans the reminders of a client's future planned
// appointments again, in the caller's transaction: after a change of
// consent, phone, e-mail or language, what is queued follows the client.
// Messages already sent stay, and count for the spacing.
func (s *Service) replanClient(ctx context.Context, tx *store.Store, clientID string) error {
	apps, err := tx.FuturePlannedAppointments(ctx, clientID, "")
	if err != nil {
		return err
	}
	return s.replan(ctx, tx, apps)
}

// replanTeam does the same for every client of a team (its offsets changed).
func (s *Service) replanTeam(ctx context.Context, tx *store.Store, teamID string) error {
	apps, err := tx.FuturePlannedAppointments(ctx, "", teamID)
	if err != nil {
		return err
	}
	return s.replan(ctx, tx, apps)
}

func (s *Service) replan(ctx context.Context, tx *store.Store, apps []model.Appointment) error {
	for _, a := range apps {
		if err := tx.CancelQueuedReminders(ctx, a.ID); err != nil {
			return err
		}
		if err := s.PlanReminders(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

func reminderKey(appointmentID, kind string, scheduled time.Time) string {
	return appointmentID + ":" + kind + ":" + scheduled.UTC().Format(time.RFC3339)
}

// appointmentChanged cancels what is queued for an appointment that moved,
// was cancelled or took place, and sends a short cancellation notice when a
// reminder had gone out for a cancelled one.
func (s *Service) appointmentChanged(ctx context.Context, tx *store.Store, a model.Appointment, status string) error {
	sentBefore, err := tx.CancelQueued(ctx, a.ID)
	if err != nil {
		return err
	}
	if status != "cancelled" || !sentBefore {
		return nil
	}
	c, err := tx.ClientByIDUnscoped(ctx, a.ClientID)
	if err != nil {
		return err
	}
	consents, err := tx.LiveConsents(ctx, c.ID)
	if err != nil {
		return err
	}
	channel := ReminderChannel(c, consents)
	if channel == "" {
		return nil
	}
	now := tx.Now()
	due := now
	if quiet, end := s.Reminders.inQuiet(now); quiet {
		due = end
	}
	return tx.QueueReminders(ctx, []model.Reminder{{AppointmentID: a.ID, ClientID: c.ID, Kind: "cancellation", Channel: channel,
		Language: c.Language, ScheduledAt: now, DueAt: due, Status: "queued", DedupeKey: reminderKey(a.ID, "cancellation", a.StartsAt)}})
}

// ListReminders lists messages in the caller's scope.
func (s *Service) ListReminders(ctx context.Context, p *Principal, f store.ReminderFilter) ([]ReminderView, error) {
	rs, err := s.Store.Reminders(ctx, p.Scope, f)
	if err != nil {
		return nil, storeErr(err)
	}
	return s.ReminderViews(ctx, p, rs)
}

// ReminderViews names the clients of messages in one statement.
func (s *Service) ReminderViews(ctx context.Context, p *Principal, rs []model.Reminder) ([]ReminderView, error) {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ClientID
	}
	_, refs, err := s.clientRefs(ctx, p, ids)
	if err != nil {
		return nil, err
	}
	out := make([]ReminderView, len(rs))
	for i, r := range rs {
		out[i] = ReminderView{Reminder: r, Client: refs[r.ClientID]}
	}
	return out, nil
}

// RetryReminder puts a failed message back in the queue.
func (s *Service) RetryReminder(ctx context.Context, p *Principal, id string) (model.Reminder, error) {
	r, err := s.Store.ReminderByID(ctx, p.Scope, id)
	if err != nil {
		return r, storeErr(err)
	}
	if _, err := s.writableClient(ctx, p, r.ClientID); err != nil {
		return r, err
	}
	if err := s.Store.RetryReminder(ctx, id); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return r, apperr.Newf(apperr.KindConflict, "Only a failed message can be retried; this one is %s.", r.Status)
		}
		return r, err
	}
	s.auditClient(ctx, p, "reminder.retry", r.ClientID, "reminder="+id)
	return s.Store.ReminderByID(ctx, p.Scope, id)
}

// ReminderState is what the CHW sees about an appointment's reminders.
type ReminderState struct {
	Channel    string // sms, email, or "" when no reminder is possible
	Status     string // of the latest message: queued, sent, failed, …
	Configured bool   // a sender exists for the channel
	// Missing says why a planned appointment has no reminder: in_past,
	// no_phone (SMS consent but no number), no_email, no_consent, quiet_hours.
	Missing string
}

// reminderStates summarises the reminders of appointments whose clients
// are looked up already, in two queries.
func (s *Service) reminderStates(ctx context.Context, p *Principal, apps []model.Appointment, clients map[string]model.Client) (map[string]ReminderState, error) {
	out := map[string]ReminderState{}
	if len(apps) == 0 {
		return out, nil
	}
	ids := make([]string, len(apps))
	clientIDs := make([]string, len(apps))
	for i, a := range apps {
		ids[i], clientIDs[i] = a.ID, a.ClientID
		out[a.ID] = ReminderState{}
	}
	rs, err := s.Store.Reminders(ctx, p.Scope, store.ReminderFilter{AppointmentIDs: ids})
	if err != nil {
		return nil, err
	}
	skipped := map[string]bool{}
	for _, r := range rs { // newest due first: the first live one per appointment wins
		st := out[r.AppointmentID]
		if r.Kind == "reminder" && r.Status == "skipped" {
			skipped[r.AppointmentID] = true
		}
		if st.Channel != "" || r.Kind != "reminder" || r.Status == "cancelled" || r.Status == "skipped" {
			continue
		}
		st.Channel, st.Status = r.Channel, r.Status
		st.Configured = s.Reminders.Configured[r.Channel]
		out[r.AppointmentID] = st
	}
	consents, err := s.Store.LiveConsentsOf(ctx, clientIDs)
	if err != nil {
		return nil, err
	}
	now := s.Store.Now()
	for _, a := range apps {
		st := out[a.ID]
		if a.Status != "planned" || st.Channel != "" {
			continue
		}
		st.Missing = missingReminder(a, clients[a.ClientID], consents[a.ClientID], skipped[a.ID], now)
		out[a.ID] = st
	}
	return out, nil
}

// missingReminder says why a planned appointment has no reminder.
func missingReminder(a model.Appointment, c model.Client, consents []string, skipped bool, now time.Time) string {
	sms, email := slices.Contains(consents, "sms_reminders"), slices.Contains(consents, "email_reminders")
	switch {
	case !a.StartsAt.After(now):
		return "in_past"
	case ReminderChannel(c, consents) != "" && skipped:
		return "quiet_hours"
	case ReminderChannel(c, consents) != "":
		return "" // planned again on the next change; nothing to tell
	case sms && c.Phone == nil:
		return "no_phone"
	case email && c.Email == nil:
		return "no_email"
	}
	return "no_consent"
}

// ReplyView is what a client sees through a reply link.
type ReplyView struct {
	StartsAt time.Time
	Reply    string
	Language string
	Status   string
	// Answerable: the appointment is still planned and ahead, so
	// AnswerReply takes an answer (it refuses otherwise).
	Answerable bool
}

// replyAnswerable says whether a client can still answer about a.
func replyAnswerable(a model.Appointment, now time.Time) bool {
	return a.Status == "planned" && a.StartsAt.After(now)
}

func (s *Service) replyTarget(ctx context.Context, token string) (model.Reminder, model.Appointment, error) {
	if token == "" || len(token) > 100 {
		return model.Reminder{}, model.Appointment{}, errBadLink
	}
	r, err := s.Store.ReminderByReplyHash(ctx, auth.HashRefreshToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return r, model.Appointment{}, apperr.New(apperr.KindNotFound, "This link is not valid.")
	}
	if err != nil {
		return r, model.Appointment{}, err
	}
	a, err := s.Store.AppointmentByIDUnscoped(ctx, r.AppointmentID)
	return r, a, err
}

// Reply shows the appointment a reminder was about (no name, no place).
func (s *Service) Reply(ctx context.Context, token string) (ReplyView, error) {
	r, a, err := s.replyTarget(ctx, token)
	if err != nil {
		return ReplyView{}, err
	}
	return ReplyView{StartsAt: a.StartsAt, Reply: a.Reply, Language: r.Language, Status: a.Status, Answerable: replyAnswerable(a, s.Store.Now())}, nil
}

// AnswerReply records the client's confirmation or request to reschedule;
// a request to reschedule makes a task for the CHW.
func (s *Service) AnswerReply(ctx context.Context, token, action string) error {
	r, a, err := s.replyTarget(ctx, token)
	if err != nil {
		return err
	}
	reply := map[string]string{"confirm": "confirmed", "reschedule": "reschedule_requested"}[strings.TrimSpace(action)]
	if reply == "" {
		return apperr.ValidationP("action", apperr.CodeOneOf, "Must be confirm or reschedule.", apperr.Options("confirm", "reschedule"))
	}
	if !replyAnswerable(a, s.Store.Now()) {
		return apperr.New(apperr.KindGone, "This appointment is no longer ahead.")
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetAppointmentReply(ctx, a.ID, reply); err != nil {
			return err
		}
		if reply != "reschedule_requested" {
			return nil
		}
		c, err := tx.ClientByIDUnscoped(ctx, a.ClientID)
		if err != nil {
			return err
		}
		_, err = tx.CreateTask(ctx, ruleTask(a.ClientID, c.AssignedCHWID, TaskReschedule, BrusselsDate(tx.Now()), "appointment:"+a.ID+":reschedule"))
		return err
	})
	if err != nil {
		return err
	}
	s.auditRecord(ctx, nil, "appointment.reply", "appointment", a.ID, r.ClientID, reply)
	return nil
}
