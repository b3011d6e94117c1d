package service

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Task kinds.
const (
	TaskFollowUp      = "follow_up"         // 7 days after an attended appointment
	TaskCallClient    = "call_client"       // the day after a missed appointment
	TaskChaseReferral = "chase_referral"    // a referral without answer for 14 days
	TaskManual        = "other"             // made by hand
	TaskReschedule    = "reschedule"        // the client asked to move an appointment
	TaskFirstContact  = "first_contact"     // a contact-form request became a client
	TaskConsentGone   = "consent_withdrawn" // the visitor withdrew the form's consent
)

// TaskKinds lists every kind.
var TaskKinds = []string{TaskFollowUp, TaskCallClient, TaskChaseReferral, TaskReschedule, TaskFirstContact, TaskConsentGone, TaskReviewEmergency, TaskManual}

// Rule timings. The chase task comes well before the referral expires.
const (
	FollowUpAfter = 7 * 24 * time.Hour
	ChaseAfter    = 14 * 24 * time.Hour
	DefaultExpiry = 30 * 24 * time.Hour
)

// This file is the one place where tasks are made by rule. Every rule task
// has a dedupe key, so running a rule twice never makes the same task twice.

func ruleTask(clientID string, assignee *string, kind, due, key string) *model.Task {
	k := key
	return &model.Task{ClientID: clientID, AssigneeID: assignee, Kind: kind, DueOn: due, DedupeKey: &k}
}

// appointmentRules runs inside the transaction that records how an
// appointment went.
func (s *Service) appointmentRules(ctx context.Context, tx *store.Store, a model.Appointment, status string, assignee *string) error {
	var t *model.Task
	switch status {
	case "attended":
		t = ruleTask(a.ClientID, assignee, TaskFollowUp, BrusselsDate(a.StartsAt.Add(FollowUpAfter)), "appointment:"+a.ID+":follow_up")
	case "missed":
		t = ruleTask(a.ClientID, assignee, TaskCallClient, BrusselsDate(a.StartsAt.Add(24*time.Hour)), "appointment:"+a.ID+":call_client")
	default:
		return nil
	}
	_, err := tx.CreateTask(ctx, t)
	return err
}

// RunRules applies the time-based rules at now: a chase task for referrals
// waiting for an answer for 14 days, and expiry of referrals where nothing
// happened for the expiry period. It returns how many tasks it created and
// referrals it expired. Safe to run from several processes at once.
func (s *Service) RunRules(ctx context.Context, now time.Time) (tasks, expired int, err error) {
	expiry := s.ReferralExpiry
	if expiry <= 0 {
		expiry = DefaultExpiry
	}
	waiting, err := s.Store.ReferralsIdleSince(ctx, []string{"sent", "acknowledged", "waitlisted"}, now.Add(-ChaseAfter))
	if err != nil {
		return 0, 0, err
	}
	for _, r := range waiting {
		c, err := s.Store.ClientByIDUnscoped(ctx, r.ClientID)
		if err != nil {
			return tasks, expired, err
		}
		// One chase per quiet spell: a new event starts a new spell.
		key := "referral:" + r.ID + ":chase:" + r.LastEventAt.UTC().Format(time.RFC3339)
		made, err := s.Store.CreateTask(ctx, ruleTask(r.ClientID, c.AssignedCHWID, TaskChaseReferral, BrusselsDate(now), key))
		if err != nil {
			return tasks, expired, err
		}
		if made {
			tasks++
		}
	}
	stale, err := s.Store.ReferralsIdleSince(ctx, OpenReferralStatuses, now.Add(-expiry))
	if err != nil {
		return tasks, expired, err
	}
	for _, r := range stale {
		err := s.Store.TransitionReferral(ctx, r.ID, r.Status, "expired", nil, nil, "system", "nothing happened for "+expiry.String())
		if err == nil {
			expired++
		} else if err != store.ErrConflict {
			return tasks, expired, err
		}
	}
	return tasks, expired, nil
}
