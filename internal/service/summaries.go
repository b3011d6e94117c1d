package service

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// NoticeMonthlySummary is the kind of the notice that last month's
// summary is ready (params: month); it is e-mailed too.
const NoticeMonthlySummary = "monthly_summary"

// FirstWorkingDay returns the first working day (Brussels date, as a UTC
// midnight) of the month of t.
func FirstWorkingDay(t time.Time) time.Time {
	local := t.In(store.Brussels)
	d := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !WorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// RunMonthlySummaries tells every CHW and coordinator, from the first
// working day of a month on, that last month's summary is ready: a notice
// in the app and an e-mail through the notices' outbox (it waits there
// while no e-mail sender is configured). Once per person and month across
// processes and restarts (the notice's unique key); returns how many it
// made.
func (s *Service) RunMonthlySummaries(ctx context.Context, now time.Time) (int, error) {
	local := now.In(store.Brussels)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	if today.Before(FirstWorkingDay(now)) {
		return 0, nil
	}
	month := addMonths(local.Format(monthLayout), -1)
	people, err := s.Store.SummaryRecipients(ctx)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, u := range people {
		// Nobody gets a summary of a month they were not yet here for.
		if u.CreatedAt.In(store.Brussels).Format(monthLayout) > month {
			continue
		}
		key := NoticeMonthlySummary + ":" + u.ID + ":" + month
		n := model.StaffNotice{UserID: u.ID, Kind: NoticeMonthlySummary, Params: TaskParams(map[string]string{"month": month}),
			CreatedAt: now, MailStatus: "queued", DedupeKey: &key}
		ok, err := s.Store.CreateNoticeOnce(ctx, &n)
		if err != nil {
			return made, err
		}
		if ok {
			made++
		}
	}
	return made, nil
}

// SummaryTeam is a coordinator's team in a monthly summary: each CHW's
// month against their goals.
type SummaryTeam struct {
	TeamID string
	CHWs   []CoachingCHW
}

// MonthlySummary is a month's summary for the caller: a CHW's own
// progress; for a coordinator, also every CHW of their teams. It is the
// progress and coaching views' own computation (one truth).
type MonthlySummary struct {
	Month string
	Mine  MonthProgress
	Teams []SummaryTeam
}

// MonthlySummaryOf builds the caller's summary of month (default: last
// month).
func (s *Service) MonthlySummaryOf(ctx context.Context, p *Principal, month string) (MonthlySummary, error) {
	if p.Role != model.RoleCHW && p.Role != model.RoleCoordinator {
		return MonthlySummary{}, apperr.Forbidden()
	}
	if month == "" {
		month = addMonths(s.CurrentMonth(), -1)
	}
	mine, err := s.MyProgress(ctx, p, month)
	if err != nil {
		return MonthlySummary{}, err
	}
	out := MonthlySummary{Month: month, Mine: mine, Teams: []SummaryTeam{}}
	if p.Role == model.RoleCoordinator {
		for _, team := range p.TeamIDs {
			v, err := s.Coaching(ctx, p, team, month)
			if err != nil {
				return out, err
			}
			out.Teams = append(out.Teams, SummaryTeam{TeamID: team, CHWs: v.CHWs})
		}
	}
	return out, nil
}
