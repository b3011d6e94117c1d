package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Staff names by language; none is a name of the demo accounts or of the
// client name lists (reports must never show a client's name, and a CHW's
// name that is also a client's would make that hard to check).
var staffNames = map[string]struct{ given, family []string }{
	"nl": {[]string{"Lotte", "Wout", "Fatima", "Sien", "Brecht", "Nora", "Jonas", "Ilse", "Rania", "Lien", "Tom", "Karima", "Joke", "Bart", "Sanne", "Ruben", "Eline", "Soufiane"},
		[]string{"Vermeulen", "Goossens", "Willems", "Jacobs", "Aerts", "Van den Broeck", "El Khattabi", "Hermans", "Verstraeten", "Smets", "Bulut", "Vandenberghe", "De Clercq", "Coppens", "Aydin"}},
	"fr": {[]string{"Julie", "Nicolas", "Samira", "Aurélie", "Thomas", "Amandine", "Karim", "Céline", "Antoine", "Nadia", "Sophie", "Mathieu", "Inès", "Laurent", "Élodie", "Rachid"},
		[]string{"Renard", "Leclercq", "Collard", "Simon", "Hardy", "Lemaire", "Gilson", "Delvaux", "Piron", "Henrard", "Mortier", "Bastin", "Charlier", "Ben Salah"}},
	"de": {[]string{"Anna", "Lukas", "Sarah", "Jonas", "Lea", "Michael", "Miriam", "Tobias", "Katrin"},
		[]string{"Schmitz", "Kessler", "Lentz", "Mertes", "Cremer", "Hansen", "Jousten", "Kreusch"}},
}

// fundMix is the share of CHWs each fund employs, in the order CHWs are
// given one: the large funds employ more of them, every fund some.
var fundMix = []string{"cm", "solidaris", "liberale", "cm", "onafhankelijke", "solidaris", "neutrale", "cm", "hziv", "solidaris", "liberale", "onafhankelijke", "hr_rail"}

// CHWsPerTeam is how many working CHWs each team has.
const CHWsPerTeam = 5

// staffer is a CHW or coordinator with the history that decides under which
// fund their work counts on a day, and when they worked in the team.
type staffer struct {
	ID, Email, Name, Lang string
	Role                  string
	Fund                  string // fund id today
	FundBefore            string // fund id before FundChanged (empty: no change)
	FundChanged           time.Time
	From, Until           time.Time // when they followed clients (Until zero: still)
}

// fundAt is the fund the staffer's work counts under at t.
func (s *staffer) fundAt(t time.Time) *string {
	f := s.Fund
	if s.FundBefore != "" && t.Before(s.FundChanged) {
		f = s.FundBefore
	}
	if f == "" {
		return nil
	}
	return &f
}

func (s *staffer) activeAt(t time.Time) bool {
	return !t.Before(s.From) && (s.Until.IsZero() || t.Before(s.Until))
}

// emailKey is the short team name in e-mail addresses (chw.brussel3@...).
func emailKey(slug string) string {
	k, _, _ := strings.Cut(slug, "-")
	return k
}

// history is the story of the programme's staff the demo tells: two CHWs
// changed fund, one left and her caseload went to the colleague who
// replaced her, and a coordinator rebalanced caseloads in Liège.
type history struct {
	now                  time.Time
	fundChange           map[string]time.Time // email -> when, the fund before is the next in fundMix
	leaver, replacement  string               // e-mails
	leftAt               time.Time
	rebalanceFrom, rebTo string
	rebalancedAt         time.Time
	rebalanceN           int
}

func storyOf(now time.Time) history {
	day := func(months int) time.Time {
		d := now.AddDate(0, -months, 0).In(brussels())
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, brussels()).UTC()
	}
	return history{now: now,
		fundChange: map[string]time.Time{"chw.antwerpen2@example.org": day(5), "chw.charleroi3@example.org": day(3)},
		leaver:     "chw.oostende6@example.org", replacement: "chw.oostende5@example.org", leftAt: day(7),
		rebalanceFrom: "chw.liege3@example.org", rebTo: "chw.liege1@example.org", rebalancedAt: day(4), rebalanceN: 8,
	}
}

// teamStaff is the coordinator and CHWs of one team.
type teamStaff struct {
	coordinator *staffer
	chws        []*staffer // includes the leaver, if any
}

// seedStaff makes sure every team has a coordinator and CHWsPerTeam CHWs
// (the demo accounts among them), each with a fund, and returns them.
// Existing accounts are kept; a demo account without a fund gets one.
func seedStaff(ctx context.Context, st *store.Store, teams []store.TeamTree, story history) (map[string]*teamStaff, error) {
	admin, err := st.UserByEmail(ctx, "admin@example.org")
	if err != nil {
		return nil, fmt.Errorf("demo staff need the demo accounts: %w", err)
	}
	hash := admin.PasswordHash // hashed once by Seed; argon2 is slow
	funds, err := st.Funds(ctx)
	if err != nil {
		return nil, err
	}
	fundID := map[string]string{}
	for _, f := range funds {
		fundID[f.Code] = f.ID
	}
	mix := 0
	nextFund := func() string { f := fundID[fundMix[mix%len(fundMix)]]; mix++; return f }
	used := map[string]bool{"Hanne Peeters": true, "Youssef El Amrani": true, "Mehdi Lambert": true}
	out := map[string]*teamStaff{}
	start := story.now.AddDate(-1, 0, -14)
	for ti, tr := range teams {
		lang := teamLanguage(tr)
		key := emailKey(tr.Team.Slug)
		ts := &teamStaff{}
		n := CHWsPerTeam
		if story.leaver != "" && strings.HasPrefix(story.leaver, "chw."+key) {
			n++
		}
		for i := 0; i <= n; i++ {
			role, email := model.RoleCHW, fmt.Sprintf("chw.%s%d@example.org", key, i)
			if i == 0 {
				role, email = model.RoleCoordinator, "coordinator."+key+"@example.org"
			}
			l := lang
			if lang == "mix" {
				l = []string{"nl", "fr"}[i%2]
			}
			s := &staffer{Email: email, Role: role, Lang: l, From: start}
			u, err := st.UserByEmail(ctx, email)
			switch {
			case err == nil:
				s.ID, s.Name = u.ID, u.Name
				if u.FundID == nil {
					f := nextFund()
					if _, err := st.UpdateUser(ctx, u.ID, store.UserChanges{FundID: ptrTo(&f)}); err != nil {
						return nil, err
					}
					s.Fund = f
				} else {
					s.Fund = *u.FundID
				}
			case errors.Is(err, store.ErrNotFound):
				names := staffNames[l]
				for k := 0; ; k++ {
					s.Name = names.given[(ti*7+i*3+k)%len(names.given)] + " " + names.family[(ti*5+i*2+k)%len(names.family)]
					if !used[s.Name] {
						break
					}
				}
				s.Fund = nextFund()
				f := s.Fund
				nu := model.User{Email: email, Name: s.Name, Role: role, FundID: &f, Language: l, PasswordHash: hash, CreatedAt: start, UpdatedAt: start}
				if email == story.leaver {
					left := story.leftAt
					nu.DisabledAt = &left
				}
				if err := st.CreateUser(ctx, &nu, []string{tr.Team.ID}); err != nil {
					return nil, fmt.Errorf("demo staff %s: %w", email, err)
				}
				s.ID = nu.ID
			default:
				return nil, err
			}
			used[s.Name] = true
			if at, ok := story.fundChange[email]; ok {
				s.FundBefore, s.FundChanged = fundID[fundMix[(mix+3)%len(fundMix)]], at
				if s.FundBefore == s.Fund {
					s.FundBefore = fundID[fundMix[(mix+4)%len(fundMix)]]
				}
			}
			switch email {
			case story.leaver:
				s.Until = story.leftAt
			case story.replacement:
				s.From = story.leftAt
			}
			if role == model.RoleCoordinator {
				ts.coordinator = s
			} else {
				ts.chws = append(ts.chws, s)
			}
		}
		out[tr.Team.ID] = ts
	}
	return out, nil
}

func ptrTo[T any](p T) *T { return &p }

// teamLanguage is the language a team works in: nl in Flanders, fr in
// Wallonia, de in the German-speaking Community, "mix" (nl and fr) in Brussels.
func teamLanguage(tr store.TeamTree) string {
	switch tr.Region.Code {
	case "WAL":
		return "fr"
	case "DG":
		return "de"
	case "BRU":
		return "mix"
	}
	return "nl"
}
