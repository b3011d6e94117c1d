package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/service"
)

type accessRuleDTO struct {
	Permission string `json:"permission"`
	Data       string `json:"data"`
	Access     string `json:"access"`
	Scope      string `json:"scope"`
	ClientData bool   `json:"client_data"`
}

type roleAccessDTO struct {
	Role              string          `json:"role"`
	Description       string          `json:"description"`
	ReadsClientRecord bool            `json:"reads_client_records"`
	Rules             []accessRuleDTO `json:"rules"`
}

type accessHolderDTO struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"`
}

type teamAccessDTO struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Accounts []accessHolderDTO `json:"accounts"`
}

type liveGrantDTO struct {
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	TeamName  string    `json:"team_name"`
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

type accessRegisterDTO struct {
	GeneratedAt time.Time         `json:"generated_at"`
	Roles       []roleAccessDTO   `json:"roles"`
	Teams       []teamAccessDTO   `json:"teams"`
	Programme   []accessHolderDTO `json:"programme"`
	Emergency   []liveGrantDTO    `json:"emergency_access"`
}

func toHolderDTOs(in []service.AccessHolder) []accessHolderDTO {
	out := make([]accessHolderDTO, len(in))
	for i, a := range in {
		out[i] = accessHolderDTO{
			ID:    a.ID,
			Name:  a.Name,
			Email: a.Email,
			Role:  a.Role,
		}
	}
	return out
}

// accessRegister answers the register a DPO keeps: which role may read or
// change which data (from the policy), and the accounts of each team.
func (s *Server) accessRegister(c echo.Context) error {
	reg, err := s.svc.BuildAccessRegister(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}

	out := accessRegisterDTO{
		GeneratedAt: reg.GeneratedAt,
		Roles:       make([]roleAccessDTO, len(reg.Roles)),
		Teams:       make([]teamAccessDTO, len(reg.Teams)),
		Programme:   toHolderDTOs(reg.Programme),
	}
	for i, r := range reg.Roles {
		rules := make([]accessRuleDTO, len(r.Rules))
		for j, rule := range r.Rules {
			rules[j] = accessRuleDTO{
				Permission: rule.Permission,
				Data:       rule.Data,
				Access:     rule.Access,
				Scope:      rule.Scope,
				ClientData: rule.ClientData,
			}
		}
		out.Roles[i] = roleAccessDTO{
			Role:              r.Role,
			Description:       r.Description,
			ReadsClientRecord: r.ClientData,
			Rules:             rules,
		}
	}
	out.Emergency = make([]liveGrantDTO, len(reg.Emergency))
	for i, g := range reg.Emergency {
		out.Emergency[i] = liveGrantDTO{
			UserID:    g.UserID,
			Name:      g.UserName,
			Email:     g.UserEmail,
			TeamName:  g.TeamName,
			GrantedAt: g.GrantedAt,
			ExpiresAt: g.ExpiresAt,
		}
	}
	for i, t := range reg.Teams {
		out.Teams[i] = teamAccessDTO{
			ID:       t.ID,
			Name:     t.Name,
			Accounts: toHolderDTOs(t.Accounts),
		}
	}
	return c.JSON(http.StatusOK, out)
}
