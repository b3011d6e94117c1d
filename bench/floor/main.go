// Command floor is the hand-written floor Brug's caseload list is measured
// against (issue 18): a bare Echo + pgx server on Brug's own PostgreSQL
// schema that answers GET /api/v1/clients the way Brug does — the same
// access token check (HS256, the same secret), the same scope (a CHW's
// assigned clients in their teams, a coordinator's teams; the teams read
// once per caller and kept, as Brug keeps them), the same keyset
// order and page size, the assigned CHW's name joined in — in one
// statement, scanned straight into a struct and encoded with
// encoding/json, compressed as Brug compresses (gzip level 1 above 1 KB,
// klauspost/compress, for callers that accept it: the same bytes on the
// wire, so the same work). It has no audit, no session check, no casbin
// and no middleware beyond the router and the compression: what the
// query, the encoding and the compression cost alone. -gzip=false serves
// it uncompressed.
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
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/klauspost/compress/gzhttp"
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

// listHead is the statement before its conditions. The conditions are
// written per request, as a hand-written handler would (and as Brug
// does): one statement shape for a CHW, one for a coordinator, with or
// without a cursor, so that PostgreSQL plans each shape for what it is
// (one statement with "$2 <> 'chw' OR …" conditions gets a generic plan
// after five runs that can miss the keyset index).
const listHead = `SELECT c.id::text, c.given_name, c.family_name, c.pseudonym, c.birth_year, c.phone, c.email, c.language,
  c.spoken_languages, c.team_id::text, c.neighbourhood_id::text, c.assigned_chw_id::text, coalesce(u.name, ''),
  c.status, c.care_rights, c.source, c.last_activity_at, c.created_at, c.updated_at
FROM clients c LEFT JOIN users u ON u.id = c.assigned_chw_id
WHERE c.merged_into_id IS NULL`

// listQuery is the statement and its arguments for a caller, their teams
// and a cursor. The teams are written as a list of parameters (as Brug
// does from its authentication cache): a subselect of team_memberships
// leads PostgreSQL to read and sort all of a team's clients (36 ms for a
// coordinator at 12 000) instead of walking the keyset index.
func listQuery(userID, role string, teams []string, at *time.Time, after *string, limit int) (string, []any) {
	var q strings.Builder
	q.WriteString(listHead)
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if role == "chw" {
		q.WriteString(" AND c.assigned_chw_id = " + arg(userID))
	}
	q.WriteString(" AND c.team_id IN (")
	for i, t := range teams {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(arg(t) + "::uuid")
	}
	q.WriteString(")")
	if at != nil {
		t, id := arg(*at), arg(*after)
		q.WriteString(" AND (c.last_activity_at < " + t + " OR (c.last_activity_at = " + t + " AND c.id < " + id + "::uuid))")
	}
	q.WriteString(" ORDER BY c.last_activity_at DESC, c.id DESC LIMIT " + arg(limit+1))
	return q.String(), args
}

// teamsOf reads a caller's teams once and keeps them (the floor has no
// invalidation: memberships do not change while it is measured).
func teamsOf(ctx context.Context, pool *pgxpool.Pool, cache *sync.Map, userID string) ([]string, error) {
	if v, ok := cache.Load(userID); ok {
		return v.([]string), nil
	}
	rows, err := pool.Query(ctx, "SELECT team_id::text FROM team_memberships WHERE user_id = $1 ORDER BY team_id", userID)
	if err != nil {
		return nil, err
	}
	teams, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	if len(teams) == 0 {
		teams = []string{"00000000-0000-0000-0000-000000000000"}
	}
	cache.Store(userID, teams)
	return teams, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	dsn := flag.String("database-url", os.Getenv("BRUG_DATABASE_URL"), "PostgreSQL URL")
	secret := flag.String("jwt-secret", os.Getenv("BRUG_JWT_SECRET"), "Brug's JWT secret")
	conns := flag.Int("conns", 20, "pool size (Brug's default BRUG_DB_MAX_OPEN_CONNS)")
	compress := flag.Bool("gzip", true, "compress answers as Brug does (gzip level 1 above 1 KB)")
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
	var memberships sync.Map
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
		teams, err := teamsOf(c.Request().Context(), pool, &memberships, claims.UserID)
		if err != nil {
			return err
		}
		q, args := listQuery(claims.UserID, claims.Role, teams, at, after, limit)
		rows, err := pool.Query(c.Request().Context(), q, args...)
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
	var h http.Handler = e
	if *compress {
		gz, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(1))
		if err != nil {
			fail(err)
		}
		h = gz(e)
	}
	if err := http.ListenAndServe(*addr, h); err != nil && err != http.ErrServerClosed {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
