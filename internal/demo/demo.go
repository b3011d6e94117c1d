// Package demo owns the demo data of DESIGN.md: the demo accounts (and, as
// features arrive, a believable caseload). Seeding is idempotent: an account
// that exists is left exactly as it is.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Password is the password of every demo account.
const Password = "demo-brug-2026"

// Account is one demo account.
type Account struct {
	Email, Name, Role, Team, Fund, Language string
	AllReports                              bool
	IntakeDuty                              bool // triages the programme intake
}

// Accounts lists the demo accounts of DESIGN.md.
var Accounts = []Account{
	{Email: "admin@example.org", Name: "Ada Admin", Role: model.RoleAdmin, Language: "en"},
	{Email: "manager@example.org", Name: "Marc Manager", Role: model.RoleManager, Fund: "cm", AllReports: true, Language: "nl"},
	{Email: "coordinator.gent@example.org", Name: "Griet Coördinator", Role: model.RoleCoordinator, Team: "gent", Language: "nl", IntakeDuty: true},
	{Email: "chw.gent1@example.org", Name: "Hanne Peeters", Role: model.RoleCHW, Team: "gent", Language: "nl"},
	{Email: "chw.gent2@example.org", Name: "Youssef El Amrani", Role: model.RoleCHW, Team: "gent", Language: "nl"},
	{Email: "coordinator.liege@example.org", Name: "Louise Coordinatrice", Role: model.RoleCoordinator, Team: "liege", Language: "fr"},
	{Email: "chw.liege1@example.org", Name: "Mehdi Lambert", Role: model.RoleCHW, Team: "liege", Language: "fr"},
}

// Seed creates the demo accounts that do not exist yet. It returns how many
// it created.
func Seed(ctx context.Context, st *store.Store, h *auth.Hasher) (int, error) {
	created := 0
	var hash string
	for _, a := range Accounts {
		if _, err := st.UserByEmail(ctx, a.Email); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return created, err
		}
		if hash == "" {
			var err error
			if hash, err = h.Hash(ctx, Password); err != nil {
				return created, fmt.Errorf("hash demo password: %w", err)
			}
		}
		u := model.User{Email: a.Email, Name: a.Name, Role: a.Role, Language: a.Language, AllReports: a.AllReports, IntakeDuty: a.IntakeDuty, PasswordHash: hash}
		if a.Fund != "" {
			f, err := st.FundByCode(ctx, a.Fund)
			if err != nil {
				return created, fmt.Errorf("demo fund %s: %w", a.Fund, err)
			}
			u.FundID = &f.ID
		}
		var teams []string
		if a.Team != "" {
			t, err := st.TeamBySlug(ctx, a.Team)
			if err != nil {
				return created, fmt.Errorf("demo team %s: %w", a.Team, err)
			}
			teams = []string{t.ID}
		}
		if err := st.CreateUser(ctx, &u, teams); err != nil {
			return created, fmt.Errorf("create demo user %s: %w", a.Email, err)
		}
		created++
	}
	return created, nil
}
