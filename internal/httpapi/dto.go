package httpapi

import (
	"time"

	"github.com/brug-chw/brug/internal/service"
)

type teamRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type fundDTO struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

type userDTO struct {
	ID         string    `json:"id"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	TeamIDs    []string  `json:"team_ids"`
	Teams      []teamRef `json:"teams"`
	FundID     *string   `json:"fund_id"`
	Fund       *fundDTO  `json:"fund"`
	Language   string    `json:"language"`
	AllReports bool      `json:"all_reports"`
	IntakeDuty bool      `json:"intake_duty"`
	// SecondFactor: the account signs in with a code from an app too.
	SecondFactor bool       `json:"second_factor"`
	DisabledAt   *time.Time `json:"disabled_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Permissions  []string   `json:"permissions,omitempty"`
}

func toUserDTO(v service.UserView) userDTO {
	d := userDTO{
		ID: v.ID, Email: v.Email, Name: v.Name, Role: v.Role, FundID: v.FundID, Language: v.Language,
		AllReports: v.AllReports, IntakeDuty: v.IntakeDuty, SecondFactor: v.SecondFactor, DisabledAt: v.DisabledAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
		TeamIDs: []string{}, Teams: []teamRef{},
	}
	for _, t := range v.Teams {
		d.TeamIDs = append(d.TeamIDs, t.ID)
		d.Teams = append(d.Teams, teamRef{ID: t.ID, Name: t.Name})
	}
	if v.Fund != nil {
		d.Fund = &fundDTO{ID: v.Fund.ID, Code: v.Fund.Code, Name: v.Fund.Name}
	}
	return d
}

type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func newList[T any](items []T, next string) listResponse[T] {
	if items == nil {
		items = []T{}
	}
	r := listResponse[T]{Items: items}
	if next != "" {
		r.NextCursor = &next
	}
	return r
}
