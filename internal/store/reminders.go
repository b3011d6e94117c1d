package store

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// QueueReminders inserts outbox rows, skipping any whose dedupe key exists:
// scheduling twice never queues a message twice.
func (s *Store) QueueReminders(ctx context.Context, rs []model.Reminder) error {
	for i := range rs {
		r := &rs[i]
		var existing []model.Reminder
		if err := s.q(ctx).Where("dedupe_key = ?", r.DedupeKey).Limit(1).Find(&existing).Error; err != nil {
			return mapErr(err, "reminder dedupe")
		}
		if len(existing) > 0 {
			// A message stopped before it went (consent withdrawn, then given
			// again) may be planned anew; one that went out never again.
			if existing[0].Status == "cancelled" && existing[0].SentAt == nil {
				if err := s.q(ctx).Model(&model.Reminder{}).Where("id = ? AND status = 'cancelled'", existing[0].ID).
					Updates(map[string]any{"status": r.Status, "channel": r.Channel, "language": r.Language, "due_at": r.DueAt,
						"attempts": 0, "next_attempt_at": nil, "last_error": r.LastError, "destination": r.Destination, "updated_at": s.Now()}).Error; err != nil {
					return mapErr(err, "replan reminder")
				}
			}
			continue
		}
		if r.ID == "" {
			r.ID = NewID()
		}
		if err := s.q(ctx).Create(r).Error; err != nil {
			return mapErr(err, "queue reminder")
		}
	}
	return nil
}

// CancelQueued cancels the appointment's reminders not sent yet and
// reports whether a reminder had been sent already.
func (s *Store) CancelQueued(ctx context.Context, appointmentID string) (sentBefore bool, err error) {
	now := s.Now()
	if err := s.q(ctx).Model(&model.Reminder{}).Where("appointment_id = ? AND status IN ?", appointmentID, []string{"queued", "failed"}).
		Updates(map[string]any{"status": "cancelled", "updated_at": now}).Error; err != nil {
		return false, mapErr(err, "cancel reminders")
	}
	var n int64
	err = s.q(ctx).Model(&model.Reminder{}).Where("appointment_id = ? AND kind = 'reminder' AND status IN ?", appointmentID, []string{"sent", "sending"}).
		Count(&n).Error
	return n > 0, mapErr(err, "sent reminders")
}

// CancelQueuedReminders cancels an appointment's reminders not sent yet
// (not a cancellation notice), before they are planned again.
func (s *Store) CancelQueuedReminders(ctx context.Context, appointmentID string) error {
	err := s.q(ctx).Model(&model.Reminder{}).
		Where("appointment_id = ? AND kind = 'reminder' AND status IN ?", appointmentID, []string{"queued", "failed"}).
		Updates(map[string]any{"status": "cancelled", "updated_at": s.Now()}).Error
	return mapErr(err, "cancel queued reminders")
}

// SentReminderTimes lists when an appointment's reminders went out (or are
// going out now).
func (s *Store) SentReminderTimes(ctx context.Context, appointmentID string) ([]time.Time, error) {
	var rs []model.Reminder
	err := s.q(ctx).Where("appointment_id = ? AND kind = 'reminder' AND status IN ?", appointmentID, []string{"sent", "sending"}).
		Find(&rs).Error
	out := make([]time.Time, 0, len(rs))
	for _, r := range rs {
		at := r.DueAt
		if r.SentAt != nil {
			at = *r.SentAt
		}
		out = append(out, at)
	}
	return out, mapErr(err, "sent reminders")
}

// CancelChannel stops every queued message of a client on a channel (the
// client withdrew that consent).
func (s *Store) CancelChannel(ctx context.Context, clientID, channel string) (int64, error) {
	res := s.q(ctx).Model(&model.Reminder{}).Where("client_id = ? AND channel = ? AND status IN ?", clientID, channel, []string{"queued", "failed"}).
		Updates(map[string]any{"status": "cancelled", "last_error": "consent withdrawn", "updated_at": s.Now()})
	return res.RowsAffected, mapErr(res.Error, "cancel channel")
}

// ClaimDue leases up to limit due messages on the given channels. A message
// whose lease ran out (its sender died) is due again. On PostgreSQL rows
// locked by another worker are skipped; SQLite has one writer at a time.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration, channels []string) ([]model.Reminder, error) {
	if len(channels) == 0 {
		return nil, nil
	}
	now = now.UTC()
	pick := `SELECT id FROM reminders
	         WHERE channel IN ? AND (
	           (status = 'queued' AND due_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
	           OR (status = 'sending' AND lease_until < ?))
	         ORDER BY due_at, id LIMIT ?`
	if s.db.Dialector.Name() == "postgres" {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	var out []model.Reminder
	err := s.q(ctx).Raw(`UPDATE reminders SET status = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ?
	                      WHERE id IN (`+pick+`) RETURNING *`,
		now.Add(lease), now, channels, now, now, now, limit).Scan(&out).Error
	return out, mapErr(err, "claim reminders")
}

// FinishReminder records the outcome of a send, only if the caller still
// holds the lease (attempt number matches): a late worker cannot overwrite
// the work of the one that took over.
func (s *Store) FinishReminder(ctx context.Context, id string, attempt int, set map[string]any) error {
	set["updated_at"] = s.Now()
	set["lease_until"] = nil
	res := s.q(ctx).Model(&model.Reminder{}).Where("id = ? AND status = 'sending' AND attempts = ?", id, attempt).Updates(set)
	if res.Error != nil {
		return mapErr(res.Error, "finish reminder")
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// ReminderFilter narrows Reminders.
type ReminderFilter struct {
	Status         string
	AppointmentID  string
	AppointmentIDs []string
}

// Reminders lists messages of visible clients, newest first.
func (s *Store) Reminders(ctx context.Context, sc Scope, f ReminderFilter) ([]model.Reminder, error) {
	q := visibleVia(s.q(ctx).Model(&model.Reminder{}), "reminders", sc).Select("reminders.*")
	if f.Status != "" {
		q = q.Where("reminders.status = ?", f.Status)
	}
	if f.AppointmentID != "" {
		q = q.Where("reminders.appointment_id = ?", f.AppointmentID)
	}
	if len(f.AppointmentIDs) > 0 {
		q = q.Where("reminders.appointment_id IN ?", f.AppointmentIDs)
	}
	var out []model.Reminder
	err := q.Order("reminders.due_at DESC, reminders.id").Limit(500).Find(&out).Error
	return out, mapErr(err, "reminders")
}

// ReminderByID returns a message of a visible client.
func (s *Store) ReminderByID(ctx context.Context, sc Scope, id string) (model.Reminder, error) {
	var r model.Reminder
	err := visibleVia(s.q(ctx).Model(&model.Reminder{}), "reminders", sc).Select("reminders.*").Where("reminders.id = ?", id).Take(&r).Error
	return r, mapErr(err, "reminder")
}

// RetryReminder puts a failed message back in the queue, due now.
func (s *Store) RetryReminder(ctx context.Context, id string) error {
	now := s.Now()
	res := s.q(ctx).Model(&model.Reminder{}).Where("id = ? AND status = 'failed'", id).
		Updates(map[string]any{"status": "queued", "attempts": 0, "next_attempt_at": nil, "due_at": now, "last_error": "", "updated_at": now})
	if res.Error != nil {
		return mapErr(res.Error, "retry reminder")
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// ReminderByReplyHash finds the message a client's reply link came in.
func (s *Store) ReminderByReplyHash(ctx context.Context, hash string) (model.Reminder, error) {
	var r model.Reminder
	err := s.q(ctx).Where("reply_token_hash = ?", hash).Take(&r).Error
	return r, mapErr(err, "reminder by reply")
}

// AppointmentByIDUnscoped is for the worker and reply links.
func (s *Store) AppointmentByIDUnscoped(ctx context.Context, id string) (model.Appointment, error) {
	var a model.Appointment
	err := s.q(ctx).Where("id = ?", id).Take(&a).Error
	return a, mapErr(err, "appointment")
}

// SetAppointmentReply records the client's answer to a reminder.
func (s *Store) SetAppointmentReply(ctx context.Context, id, reply string) error {
	now := s.Now()
	return mapErr(s.q(ctx).Model(&model.Appointment{}).Where("id = ?", id).
		Updates(map[string]any{"reply": reply, "reply_at": now, "updated_at": now}).Error, "appointment reply")
}

// LiveConsents lists the purposes a client has a live consent for.
func (s *Store) LiveConsents(ctx context.Context, clientID string) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&model.Consent{}).Where("client_id = ? AND withdrawn_at IS NULL", clientID).Pluck("purpose", &out).Error
	return out, mapErr(err, "live consents")
}

// LiveConsentsOf maps clients to the purposes they have a live consent for.
func (s *Store) LiveConsentsOf(ctx context.Context, clientIDs []string) (map[string][]string, error) {
	var rows []model.Consent
	err := s.q(ctx).Where("client_id IN ? AND withdrawn_at IS NULL", clientIDs).Find(&rows).Error
	out := map[string][]string{}
	for _, c := range rows {
		out[c.ClientID] = append(out[c.ClientID], c.Purpose)
	}
	return out, mapErr(err, "live consents")
}

// TeamByID returns one team.
func (s *Store) TeamByID(ctx context.Context, id string) (model.Team, error) {
	var t model.Team
	err := s.q(ctx).Where("id = ?", id).Take(&t).Error
	return t, mapErr(err, "team")
}

// CountRemindersByStatus counts the outbox per status (metrics, tests).
func (s *Store) CountRemindersByStatus(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := s.q(ctx).Model(&model.Reminder{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, mapErr(err, "count reminders")
}

// ReminderContext is what the worker needs to send a batch, loaded at once.
type ReminderContext struct {
	Appointments map[string]model.Appointment
	Clients      map[string]model.Client
	Consents     map[string][]string // client id -> live purposes
	CHWNames     map[string]string
}

// LoadReminderContext loads the appointments, clients, live consents and
// CHW names of a batch in four queries, whatever its size.
func (s *Store) LoadReminderContext(ctx context.Context, batch []model.Reminder) (ReminderContext, error) {
	rc := ReminderContext{Appointments: map[string]model.Appointment{}, Clients: map[string]model.Client{}, Consents: map[string][]string{}}
	var appIDs, clientIDs []string
	for _, r := range batch {
		appIDs, clientIDs = append(appIDs, r.AppointmentID), append(clientIDs, r.ClientID)
	}
	var apps []model.Appointment
	if err := s.q(ctx).Where("id IN ?", appIDs).Find(&apps).Error; err != nil {
		return rc, mapErr(err, "batch appointments")
	}
	for _, a := range apps {
		rc.Appointments[a.ID] = a
	}
	var clients []model.Client
	if err := s.q(ctx).Where("id IN ?", clientIDs).Find(&clients).Error; err != nil {
		return rc, mapErr(err, "batch clients")
	}
	var chws []string
	for _, c := range clients {
		rc.Clients[c.ID] = c
		if c.AssignedCHWID != nil {
			chws = append(chws, *c.AssignedCHWID)
		}
	}
	consents, err := s.LiveConsentsOf(ctx, clientIDs)
	if err != nil {
		return rc, err
	}
	rc.Consents = consents
	names, err := s.UserNames(ctx, chws)
	rc.CHWNames = names
	return rc, err
}

// SetReminderOffsets stores a team's reminder offsets (a JSON list).
func (s *Store) SetReminderOffsets(ctx context.Context, teamID, offsets string) error {
	res := s.q(ctx).Model(&model.Team{}).Where("id = ?", teamID).Updates(map[string]any{"reminder_offsets": offsets, "updated_at": s.Now()})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return mapErr(res.Error, "set reminder offsets")
}
