// Command floor is the hand-written floor Brug's caseload list is measured
// against (issue 18): a bare Echo + pgx server on Brug's own PostgreSQL
// schema that answers GET /api/v1/clients the way Brug does — the same
// access token check (HS256, the same secret), the same scope (a CHW's
// assigned clients in their teams, a coordinator's teams), the same keyset
// order and page size, the assigned CHW's name joined in — in one
// statement, scanned straight into a struct and encoded with
// encoding/json. It has no audit, no session check, no casbin and no
// middleware beyond the router: what the query and the encoding cost alone.
//
//	go run ./bench/floor -addr 127.0.0.1:8090 -database-url postgres://… -jwt-secret …
//
// bench/floor_test.go (BenchmarkFloor, `make bench`) starts it beside a
// real `brug serve` on the same database and prints the comparison.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/auth"
)

type userRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type client struct {
	ID              string          `json:"id"`
	GivenName       string          `json:"given_name"`
	FamilyName      string          `json:"family_name"`
	Pseudonym       string          `json:"pseudonym"`
	BirthYear       *int32          `json:"birth_year"`
	Phone           *string         `json:"phone"`
	Email           *string         `json:"email"`
	Language        string          `json:"language"`
	SpokenLanguages json.RawMessage `json:"spoken_languages"`
	TeamID          string          `json:"team_id"`
	NeighbourhoodID *string         `json:"neighbourhood_id"`
	AssignedCHW     *userRef        `json:"assigned_chw"`
	Status          string          `json:"status"`
	CareRights      json.RawMessage `json:"care_rights"`
	Source          string          `json:"source"`
	LastActivityAt  time.Time       `json:"last_activity_at"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
}

// cursor is Brug's keyset cursor (internal/store), so pages are interchangeable.
type cursor struct {
	K  string `json:"k"`
	ID string `json:"id"`
}

type page struct {
	Items      []client `json:"items"`
	NextCursor *string  `json:"next_cursor"`
}

const list = `SELECT c.id::text, c.given_name, c.family_name, c.pseudonym, c.birth_year, c.phone, c.email, c.language,
  c.spoken_languages, c.team_id::text, c.neighbourhood_id::text, c.assigned_chw_id::text, coalesce(u.name, ''),
  c.status, c.care_rights, c.source, c.last_activity_at, c.created_at, c.updated_at
FROM clients c LEFT JOIN users u ON u.id = c.assigned_chw_id
WHERE c.merged_into_id IS NULL
  AND c.team_id IN (SELECT m.team_id FROM team_memberships m WHERE m.user_id = $1)
  AND ($2 <> 'chw' OR c.assigned_chw_id = $1)
  AND ($3::timestamptz IS NULL OR c.last_activity_at < $3 OR (c.last_activity_at = $3 AND c.id < $4::uuid))
ORDER BY c.last_activity_at DESC, c.id DESC
LIMIT $5`

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	dsn := flag.String("database-url", os.Getenv("BRUG_DATABASE_URL"), "PostgreSQL URL")
	secret := flag.String("jwt-secret", os.Getenv("BRUG_JWT_SECRET"), "Brug's JWT secret")
	conns := flag.Int("conns", 20, "pool size (Brug's default BRUG_DB_MAX_OPEN_CONNS)")
	flag.Parse()
	cfg, err := pgxpool.ParseConfig(*dsn)
	if err != nil {
		fail(err)
	}
	cfg.MaxConns, cfg.MinConns = int32(*conns), int32(*conns)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		fail(err)
	}
	tokens, err := auth.NewTokenIssuer([]byte(*secret), app.TokenIssuer, app.TokenAudience, 15*time.Minute, time.Now)
	if err != nil {
		fail(err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/readyz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.GET("/api/v1/clients", func(c echo.Context) error {
		claims, err := tokens.Verify(strings.TrimPrefix(c.Request().Header.Get("Authorization"), "Bearer "))
		if err != nil {
			return c.NoContent(http.StatusUnauthorized)
		}
		limit := 50
		if v, err := strconv.Atoi(c.QueryParam("limit")); err == nil && v > 0 && v <= 200 {
			limit = v
		}
		var at *time.Time
		var after *string
		if cur := c.QueryParam("cursor"); cur != "" {
			var k cursor
			raw, err := base64.RawURLEncoding.DecodeString(cur)
			if err == nil {
				err = json.Unmarshal(raw, &k)
			}
			t, terr := time.Parse(time.RFC3339Nano, k.K)
			if err != nil || terr != nil || k.ID == "" {
				return c.NoContent(http.StatusUnprocessableEntity)
			}
			at, after = &t, &k.ID
		}
		rows, err := pool.Query(c.Request().Context(), list, claims.UserID, claims.Role, at, after, limit+1)
		if err != nil {
			return err
		}
		out := page{Items: make([]client, 0, limit+1)}
		for rows.Next() {
			var cl client
			var chw *string
			var name string
			var spoken, rights string
			if err := rows.Scan(&cl.ID, &cl.GivenName, &cl.FamilyName, &cl.Pseudonym, &cl.BirthYear, &cl.Phone, &cl.Email, &cl.Language,
				&spoken, &cl.TeamID, &cl.NeighbourhoodID, &chw, &name, &cl.Status, &rights, &cl.Source,
				&cl.LastActivityAt, &cl.CreatedAt, &cl.UpdatedAt); err != nil {
				rows.Close()
				return err
			}
			cl.SpokenLanguages, cl.CareRights = json.RawMessage(spoken), json.RawMessage(rights)
			if chw != nil {
				cl.AssignedCHW = &userRef{ID: *chw, Name: name}
			}
			out.Items = append(out.Items, cl)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out.Items) > limit {
			out.Items = out.Items[:limit]
			last := out.Items[limit-1]
			raw, _ := json.Marshal(cursor{K: last.LastActivityAt.UTC().Format(time.RFC3339Nano), ID: last.ID})
			cur := base64.RawURLEncoding.EncodeToString(raw)
			out.NextCursor = &cur
		}
		return c.JSON(http.StatusOK, out)
	})
	if err := e.Start(*addr); err != nil && err != http.ErrServerClosed {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
