package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// visibleClients restricts a query on clients to the caller's scope: a CHW
// sees the clients assigned to them, a coordinator every client of their
// teams, every other role nothing.
// A merged record (a tombstone) is visible to nobody: its id resolves to
// the survivor (ResolveClientID).
func visibleClients(q *gorm.DB, s Scope) *gorm.DB {
	cond, args := clientScope(s)
	return q.Where("clients.merged_into_id IS NULL").Where(cond, args...)
}

// clientScope is visibleClients' condition on the clients table (without
// the tombstone filter), with its arguments.
func clientScope(s Scope) (string, []any) {
	cond, args := "1 = 0", []any{}
	if teams := s.TeamIDs; len(teams) > 0 {
		switch s.Role {
		case model.RoleCHW:
			cond, args = "(clients.assigned_chw_id = ? AND clients.team_id IN ?)", []any{s.UserID, teams}
		case model.RoleCoordinator:
			cond, args = "clients.team_id IN ?", []any{teams}
		}
	}
	// A break-the-glass grant opens one client to a CHW or coordinator,
	// never to a manager or an admin.
	if len(s.EmergencyClientIDs) > 0 && (s.Role == model.RoleCHW || s.Role == model.RoleCoordinator) {
		cond, args = "("+cond+" OR clients.id IN ?)", append(args, s.EmergencyClientIDs)
	}
	return cond, args
}

// ClientRow is a client as the caseload list and the client page read it:
// the record and its assigned CHW's name, from one statement.
type ClientRow struct {
	model.Client
	AssignedCHWName string
}

// clientSelect reads what scanClients scans, in its order: every column
// of the record and the assigned CHW's name, joined in the statement.
// The hot reads (the caseload list, the client page) scan it by hand into
// the struct, without GORM's reflective scanning (issue 18).
const clientSelect = `SELECT clients.id, clients.team_id, clients.neighbourhood_id, clients.assigned_chw_id,
 clients.given_name, clients.family_name, clients.pseudonym, clients.search_text, clients.birth_year,
 clients.phone, clients.email, clients.language, clients.spoken_languages, clients.care_rights, clients.source,
 clients.status, clients.close_reason, clients.last_activity_at, clients.created_by, clients.origin_team_id,
 clients.origin_fund_id, clients.merged_into_id, clients.merged_at, clients.erased_at, clients.erased_by,
 clients.erasure_reference, clients.erasure_reason, clients.legal_hold_at, clients.legal_hold_by,
 clients.legal_hold_reason, clients.created_at, clients.updated_at, clients.version, COALESCE(chw.name, '')
FROM clients LEFT JOIN users chw ON chw.id = clients.assigned_chw_id`

// clientRows runs clientSelect with a condition (and what follows it:
// order, limit) and scans the rows.
func (s *Store) clientRows(ctx context.Context, what, cond string, args ...any) ([]ClientRow, error) {
	rows, err := s.qr(ctx).Raw(clientSelect+" WHERE "+cond, args...).Rows()
	if err != nil {
		return nil, mapErr(err, what)
	}
	defer rows.Close()
	var out []ClientRow
	for rows.Next() {
		var r ClientRow
		c := &r.Client
		var birth sql.NullInt64
		if err := rows.Scan(&c.ID, &c.TeamID, &c.NeighbourhoodID, &c.AssignedCHWID, &c.GivenName, &c.FamilyName,
			&c.Pseudonym, &c.SearchText, &birth, &c.Phone, &c.Email, &c.Language, &c.SpokenLanguages, &c.CareRights,
			&c.Source, &c.Status, &c.CloseReason, &c.LastActivityAt, &c.CreatedBy, &c.OriginTeamID, &c.OriginFundID,
			&c.MergedIntoID, &c.MergedAt, &c.ErasedAt, &c.ErasedBy, &c.ErasureReference, &c.ErasureReason,
			&c.LegalHoldAt, &c.LegalHoldBy, &c.LegalHoldReason, &c.CreatedAt, &c.UpdatedAt, &c.Version,
			&r.AssignedCHWName); err != nil {
			return nil, mapErr(err, what)
		}
		if birth.Valid {
			y := int(birth.Int64)
			c.BirthYear = &y
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), what)
}

// listSelect reads what the caseload list shows (scanListRow's order):
// the record's shown columns and the assigned CHW's name, nothing a list
// row does not answer with (the folded name, the erasure's and merge's
// bookkeeping, the origin: a third of the columns).
const listSelect = `SELECT CAST(clients.id AS text), CAST(clients.team_id AS text), CAST(clients.neighbourhood_id AS text),
 CAST(clients.assigned_chw_id AS text), clients.given_name, clients.family_name, clients.pseudonym, clients.birth_year,
 clients.phone, clients.email, clients.language, clients.spoken_languages, clients.care_rights, clients.source,
 clients.status, clients.close_reason, clients.last_activity_at, clients.erased_at, clients.legal_hold_at,
 CAST(clients.legal_hold_by AS text), clients.legal_hold_reason, clients.created_at, clients.updated_at, clients.version,
 COALESCE(chw.name, '')
FROM clients LEFT JOIN users chw ON chw.id = clients.assigned_chw_id`

// listSelectText is listSelect for SQLite with its times read as text
// (parseStoredTime), not parsed by the driver.
var listSelectText = strings.NewReplacer(
	"clients.last_activity_at,", "CAST(clients.last_activity_at AS TEXT),",
	"clients.erased_at,", "CAST(clients.erased_at AS TEXT),",
	"clients.legal_hold_at,", "CAST(clients.legal_hold_at AS TEXT),",
	"clients.created_at,", "CAST(clients.created_at AS TEXT),",
	"clients.updated_at,", "CAST(clients.updated_at AS TEXT),",
).Replace(listSelect)

// listScan scans rows of listSelect, from database/sql or pgx, or of
// listSelectText when textTimes. Its destinations are made once for a
// page, not for each row: a row costs its strings and one allocation for
// what its nullable fields point to. Ids come as text and nullable
// columns into pgtype's value types (scanners of both): pgx copies text
// where a binary uuid would be formatted, and fills a value where a
// **string goes through its reflective pointer-to-pointer plan.
type listScan struct {
	textTimes                       bool
	row                             ClientRow
	birth                           pgtype.Int8
	hood, chw, phone, email, heldBy pgtype.Text
	erased, held                    pgtype.Timestamptz
	texts                           [3]string
	nullTexts                       [2]pgtype.Text
	dest                            []any
}

// listNullables holds what a row's nullable fields point to.
type listNullables struct {
	hood, chw, phone, email, heldBy string
	birth                           int
	erased, held                    time.Time
}

func newListScan(textTimes bool) *listScan {
	l := &listScan{textTimes: textTimes}
	c := &l.row.Client
	var activity, created, updated, erased, held any = &c.LastActivityAt, &c.CreatedAt, &c.UpdatedAt, &l.erased, &l.held
	if textTimes {
		activity, created, updated = &l.texts[0], &l.texts[1], &l.texts[2]
		erased, held = &l.nullTexts[0], &l.nullTexts[1]
	}
	l.dest = []any{&c.ID, &c.TeamID, &l.hood, &l.chw, &c.GivenName, &c.FamilyName,
		&c.Pseudonym, &l.birth, &l.phone, &l.email, &c.Language, &c.SpokenLanguages, &c.CareRights,
		&c.Source, &c.Status, &c.CloseReason, activity, erased, held,
		&l.heldBy, &c.LegalHoldReason, created, updated, &c.Version, &l.row.AssignedCHWName}
	return l
}

// next scans the current row and returns it.
func (l *listScan) next(scan func(...any) error) (ClientRow, error) {
	if err := scan(l.dest...); err != nil {
		return ClientRow{}, err
	}
	r := l.row
	c := &r.Client
	n := &listNullables{}
	text := func(t pgtype.Text, dst *string) *string {
		if !t.Valid {
			return nil
		}
		*dst = t.String
		return dst
	}
	c.NeighbourhoodID, c.AssignedCHWID = text(l.hood, &n.hood), text(l.chw, &n.chw)
	c.Phone, c.Email, c.LegalHoldBy = text(l.phone, &n.phone), text(l.email, &n.email), text(l.heldBy, &n.heldBy)
	c.BirthYear = nil
	if l.birth.Valid {
		n.birth = int(l.birth.Int64)
		c.BirthYear = &n.birth
	}
	c.ErasedAt, c.LegalHoldAt = nil, nil
	if !l.textTimes {
		if l.erased.Valid {
			n.erased = l.erased.Time
			c.ErasedAt = &n.erased
		}
		if l.held.Valid {
			n.held = l.held.Time
			c.LegalHoldAt = &n.held
		}
		return r, nil
	}
	var err error
	for i, dst := range [3]*time.Time{&c.LastActivityAt, &c.CreatedAt, &c.UpdatedAt} {
		if *dst, err = parseStoredTime(l.texts[i]); err != nil {
			return r, err
		}
	}
	for i, dst := range [2]**time.Time{&c.ErasedAt, &c.LegalHoldAt} {
		if l.nullTexts[i].Valid {
			at := [2]*time.Time{&n.erased, &n.held}[i]
			if *at, err = parseStoredTime(l.nullTexts[i].String); err != nil {
				return r, err
			}
			*dst = at
		}
	}
	return r, nil
}

// listRows runs listSelect with a condition (and its order and limit):
// through pgx itself on PostgreSQL, else database/sql.
func (s *Store) listRows(ctx context.Context, cond string, args []any, limit int) ([]ClientRow, error) {
	const what = "list clients"
	out := make([]ClientRow, 0, limit)
	pgxScan := newListScan(false)
	done, err := s.pgxQuery(ctx, listSelect+" WHERE "+cond, args, func(rows pgx.Rows) error {
		r, err := pgxScan.next(rows.Scan)
		// pgx answers in UTC, database/sql's pgx driver (every other read)
		// in the server's zone: the same zone on every page.
		c := &r.Client
		c.LastActivityAt, c.CreatedAt, c.UpdatedAt = c.LastActivityAt.Local(), c.CreatedAt.Local(), c.UpdatedAt.Local()
		for _, t := range [2]*time.Time{c.ErasedAt, c.LegalHoldAt} {
			if t != nil {
				*t = t.Local() // this row's own value (listNullables)
			}
		}
		out = append(out, r)
		return err
	})
	if done {
		return out, mapErr(err, what)
	}
	head, textTimes := listSelect, !s.isPG()
	if textTimes {
		head = listSelectText
	}
	rows, err := s.directRows(ctx, head+" WHERE "+cond, args)
	if rows == nil && err == nil {
		rows, err = s.qr(ctx).Raw(head+" WHERE "+cond, args...).Rows()
	}
	if err != nil {
		return nil, mapErr(err, what)
	}
	defer rows.Close()
	sc := newListScan(textTimes)
	for rows.Next() {
		r, err := sc.next(rows.Scan)
		if err != nil {
			return nil, mapErr(err, what)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), what)
}

// visibleCond is clientScope with the tombstone filter, for clientRows.
func visibleCond(sc Scope) (string, []any) {
	cond, args := clientScope(sc)
	return "clients.merged_into_id IS NULL AND " + cond, args
}

// SearchText is the text a client is found and matched by: names folded
// (Fold), so "Clàire  Dupont" and "claire dupont" are the same.
func SearchText(given, family, pseudonym string) string {
	return Fold(given + " " + family + " " + pseudonym)
}

// Fold lower-cases text, strips accents and collapses spacing: what the
// client search and the duplicate check compare.
func Fold(text string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, text)
	if err != nil {
		out = text
	}
	return strings.ToLower(strings.Join(strings.Fields(out), " "))
}

// RefoldSearchText brings the search text of clients written before names
// were folded up to date (run at start; only rows with non-ASCII letters
// can differ, so the scan is small).
func (s *Store) RefoldSearchText(ctx context.Context) error {
	nonASCII := "search_text GLOB '*[^ -~]*'"
	if s.isPG() {
		nonASCII = "search_text ~ '[^ -~]'"
	}
	var rows []model.Client
	if err := s.q(ctx).Select("id, given_name, family_name, pseudonym, search_text").Where(nonASCII).Find(&rows).Error; err != nil {
		return mapErr(err, "clients to refold")
	}
	for _, c := range rows {
		if t := SearchText(c.GivenName, c.FamilyName, c.Pseudonym); t != c.SearchText {
			if err := s.q(ctx).Model(&model.Client{}).Where("id = ?", c.ID).Update("search_text", t).Error; err != nil {
				return mapErr(err, "refold client")
			}
		}
	}
	return nil
}

// CreateClient stores a client, its first assignment and a "created" event;
// also, when given, records more in the same transaction (the link to the
// group session a client came from, say).
func (s *Store) CreateClient(ctx context.Context, c *model.Client, by string, also ...func(tx *Store) error) error {
	if c.ID == "" {
		c.ID = NewID()
	}
	now := s.Now()
	c.LastActivityAt, c.CreatedBy = now, by
	c.SearchText = SearchText(c.GivenName, c.FamilyName, c.Pseudonym)
	return s.Tx(ctx, func(tx *Store) error {
		if c.OriginTeamID == nil {
			team := c.TeamID
			c.OriginTeamID = &team
			if err := tx.q(ctx).Raw("SELECT CAST(fund_id AS text) FROM users WHERE id = ?", by).Scan(&c.OriginFundID).Error; err != nil {
				return mapErr(err, "fund of "+by)
			}
		}
		if err := tx.q(ctx).Create(c).Error; err != nil {
			return mapErr(err, "create client")
		}
		if c.AssignedCHWID != nil {
			a := model.ClientAssignment{ID: NewID(), ClientID: c.ID, CHWID: c.AssignedCHWID, AssignedBy: by, StartedAt: now}
			if err := tx.q(ctx).Create(&a).Error; err != nil {
				return mapErr(err, "first assignment")
			}
		}
		if err := tx.AddClientEvent(ctx, c.ID, by, "created", map[string]any{"status": c.Status}); err != nil {
			return err
		}
		for _, fn := range also {
			if err := fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClientByID returns a client the caller may see, or ErrNotFound.
func (s *Store) ClientByID(ctx context.Context, sc Scope, id string) (model.Client, error) {
	r, err := s.ClientRowByID(ctx, sc, id)
	return r.Client, err
}

// ClientRowByID is ClientByID with the assigned CHW's name, in one statement.
func (s *Store) ClientRowByID(ctx context.Context, sc Scope, id string) (ClientRow, error) {
	cond, args := visibleCond(sc)
	rows, err := s.clientRows(ctx, "client", cond+" AND clients.id = ?", append(args, id)...)
	if err != nil {
		return ClientRow{}, err
	}
	if len(rows) == 0 {
		return ClientRow{}, ErrNotFound
	}
	return rows[0], nil
}

// ClientFilter narrows ListClients.
type ClientFilter struct {
	Q     string
	Phone string // E.164, when q looked like a whole phone number
	// PhonePart is a LIKE pattern on the E.164 number when q was part of
	// one ("0470" -> "%470%", "+3247" -> "+3247%", "3456" -> "%3456%").
	PhonePart  string
	Status     string
	TeamID     string
	AssignedTo string // a user id, or "none" for unassigned
	Limit      int
	Cursor     string
}

// ListClients pages through visible clients, most recent activity first.
// The keyset (last_activity_at, id) keeps pages stable while rows are added.
func (s *Store) ListClients(ctx context.Context, sc Scope, f ClientFilter) (Page[ClientRow], error) {
	cond, args := visibleCond(sc)
	and := func(c string, a ...any) {
		cond += " AND " + c
		args = append(args, a...)
	}
	if f.TeamID != "" {
		and("clients.team_id = ?", f.TeamID)
	}
	switch f.AssignedTo {
	case "":
	case "none":
		and("clients.assigned_chw_id IS NULL")
	default:
		and("clients.assigned_chw_id = ?", f.AssignedTo)
	}
	if f.Status != "" {
		and("clients.status = ?", f.Status)
	}
	if f.Q != "" {
		switch {
		case f.Phone != "":
			// A phone number is looked up exactly, on the (team_id, phone) index.
			and("clients.phone = ?", f.Phone)
		case f.PhonePart != "":
			and("clients.phone LIKE ?", f.PhonePart)
		default:
			and("clients.search_text LIKE ? ESCAPE '\\'", likePattern(f.Q))
		}
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return Page[ClientRow]{}, err
		}
		at, err := time.Parse(time.RFC3339Nano, c.K)
		if err != nil {
			return Page[ClientRow]{}, ErrBadCursor
		}
		and("(clients.last_activity_at < ? OR (clients.last_activity_at = ? AND clients.id < ?))", at, at, c.ID)
	}
	const order = " ORDER BY clients.last_activity_at DESC, clients.id DESC"
	q := cond + order + " LIMIT ?"
	if f.Q != "" && f.Phone == "" && f.PhonePart == "" && s.isPG() {
		// A name search on PostgreSQL picks the page's keys first, from
		// the caseload index alone (it holds the folded name: 00035), and
		// then reads those rows: the planner otherwise intersects the
		// trigram index's thousands of namesakes with the caseload and
		// sorts them. A team's search keeps the trigram index where the
		// name is rare: the planner chooses inside the subquery.
		q = "clients.id IN (SELECT clients.id FROM clients WHERE " + cond + order + " LIMIT ?)" + order
	}
	rows, err := s.listRows(ctx, q, append(args, f.Limit+1), f.Limit+1)
	if err != nil {
		return Page[ClientRow]{}, err
	}
	page := Page[ClientRow]{Items: rows}
	if len(rows) > f.Limit {
		page.Items = rows[:f.Limit]
		last := page.Items[len(page.Items)-1]
		page.NextCursor = encodeCursor(last.LastActivityAt.UTC().Format(time.RFC3339Nano), last.ID)
	}
	return page, nil
}

// DuplicateMatch is a client that looks like the one being written: same
// folded name and birth year, or same phone number. It is read across the
// whole programme; the service tells each caller only what they may know.
type DuplicateMatch struct {
	ID            string
	TeamID        string
	AssignedCHWID *string `gorm:"column:assigned_chw_id"`
	ByPhone       bool
}

// DuplicateMatches lists live (not merged) clients of the programme with the
// same name and birth year, or the same phone number, other than except.
func (s *Store) DuplicateMatches(ctx context.Context, searchText string, birthYear *int, phone *string, except ...string) ([]DuplicateMatch, error) {
	conds := []string{}
	args := []any{}
	byPhone := "0"
	if searchText != "" && birthYear != nil {
		conds = append(conds, "(clients.search_text = ? AND clients.birth_year = ?)")
		args = append(args, searchText, *birthYear)
	}
	if phone != nil && *phone != "" {
		conds = append(conds, "clients.phone = ?")
		args = append(args, *phone)
		byPhone = "CASE WHEN clients.phone = ? THEN 1 ELSE 0 END"
	}
	if len(conds) == 0 {
		return nil, nil
	}
	selArgs := []any{}
	if phone != nil && *phone != "" {
		selArgs = append(selArgs, *phone)
	}
	q := s.q(ctx).Model(&model.Client{}).Select("CAST(clients.id AS text) AS id, CAST(clients.team_id AS text) AS team_id, "+
		"CAST(clients.assigned_chw_id AS text) AS assigned_chw_id, "+byPhone+" AS by_phone", selArgs...).
		Where("clients.merged_into_id IS NULL").Where(strings.Join(conds, " OR "), args...)
	if len(except) > 0 {
		q = q.Where("clients.id NOT IN ?", except)
	}
	var out []DuplicateMatch
	err := q.Order("clients.id").Limit(50).Scan(&out).Error
	return out, mapErr(err, "duplicate matches")
}

// ResolveClientID follows a merged record's tombstone to the record that
// survived (through a few merges in a row); other ids come back unchanged.
func (s *Store) ResolveClientID(ctx context.Context, id string) (string, error) {
	for range 8 {
		var c model.Client
		err := s.q(ctx).Select("id, merged_into_id").Where("id = ?", id).Take(&c).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && c.MergedIntoID == nil) {
			return id, nil
		}
		if err != nil {
			return id, mapErr(err, "resolve client")
		}
		id = *c.MergedIntoID
	}
	return id, nil
}

// UpdateClient applies column changes to a visible client and records an event.
func (s *Store) UpdateClient(ctx context.Context, sc Scope, id string, set map[string]any, by, kind string, detail map[string]any) (model.Client, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		cur, err := tx.ClientByID(ctx, sc, id)
		if err != nil {
			return err
		}
		now := tx.Now()
		set["updated_at"] = now
		set["last_activity_at"] = now
		g, f, p := cur.GivenName, cur.FamilyName, cur.Pseudonym
		if v, ok := set["given_name"].(string); ok {
			g = v
		}
		if v, ok := set["family_name"].(string); ok {
			f = v
		}
		if v, ok := set["pseudonym"].(string); ok {
			p = v
		}
		set["search_text"] = SearchText(g, f, p)
		if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return mapErr(err, "update client")
		}
		return tx.AddClientEvent(ctx, id, by, kind, detail)
	})
	if err != nil {
		return model.Client{}, err
	}
	return s.ClientByID(ctx, sc, id)
}

// AssignClient ends the current assignment and starts a new one (chwID nil
// leaves the client unassigned); open tasks and future appointments the old
// CHW would accompany move along. The old CHW's scope no longer matches the
// row, so their access ends with this transaction.
func (s *Store) AssignClient(ctx context.Context, sc Scope, id string, chwID *string, by string) (model.Client, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		cur, err := tx.ClientByID(ctx, sc, id)
		if err != nil {
			return err
		}
		now := tx.Now()
		if err := tx.q(ctx).Model(&model.ClientAssignment{}).Where("client_id = ? AND ended_at IS NULL", id).
			Updates(map[string]any{"ended_at": now, "updated_at": now}).Error; err != nil {
			return mapErr(err, "end assignment")
		}
		a := model.ClientAssignment{ID: NewID(), ClientID: id, CHWID: chwID, AssignedBy: by, StartedAt: now}
		if err := tx.q(ctx).Create(&a).Error; err != nil {
			return mapErr(err, "new assignment")
		}
		if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", id).
			Updates(map[string]any{"assigned_chw_id": chwID, "updated_at": now, "last_activity_at": now}).Error; err != nil {
			return mapErr(err, "assign client")
		}
		if err := tx.moveOpenWork(ctx, id, cur.AssignedCHWID, chwID); err != nil {
			return err
		}
		from, to := "", ""
		if cur.AssignedCHWID != nil {
			from = *cur.AssignedCHWID
		}
		if chwID != nil {
			to = *chwID
		}
		return tx.AddClientEvent(ctx, id, by, "assigned", map[string]any{"from": from, "to": to})
	})
	if err != nil {
		return model.Client{}, err
	}
	return s.ClientByID(ctx, sc, id)
}

// Assignments returns the history of who followed a client, oldest first.
func (s *Store) Assignments(ctx context.Context, clientID string) ([]model.ClientAssignment, error) {
	var out []model.ClientAssignment
	err := s.q(ctx).Where("client_id = ?", clientID).Order("started_at, id").Find(&out).Error
	return out, mapErr(err, "assignments")
}

// TouchClient moves a client's last activity forward (never back).
func (s *Store) TouchClient(ctx context.Context, clientID string, at time.Time) error {
	err := s.q(ctx).Model(&model.Client{}).Where("id = ? AND last_activity_at < ?", clientID, at).
		Update("last_activity_at", at).Error
	return mapErr(err, "touch client")
}

// UsersOfTeam lists enabled users of a team with a role.
func (s *Store) UsersOfTeam(ctx context.Context, teamID, role string) ([]model.User, error) {
	var out []model.User
	err := s.q(ctx).Model(&model.User{}).
		Where("role = ? AND disabled_at IS NULL AND id IN (?)", role,
			s.q(ctx).Model(&model.TeamMembership{}).Select("user_id").Where("team_id = ?", teamID)).
		Order("name, id").Find(&out).Error
	return out, mapErr(err, "users of team")
}

// UserNames maps user ids to names (for timelines and lists).
func (s *Store) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.q(ctx).Raw("SELECT id, name FROM users WHERE id IN ?", ids).Rows()
	if err != nil {
		return nil, mapErr(err, "user names")
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, mapErr(err, "user names")
		}
		out[id] = name
	}
	return out, mapErr(rows.Err(), "user names")
}

// NeighbourhoodTeam returns the team a neighbourhood belongs to.
func (s *Store) NeighbourhoodTeam(ctx context.Context, id string) (string, error) {
	var team string
	err := s.q(ctx).Table("neighbourhoods").Joins("JOIN municipalities ON municipalities.id = neighbourhoods.municipality_id").
		Where("neighbourhoods.id = ?", id).Pluck("municipalities.team_id", &team).Error
	if err == nil && team == "" {
		return "", ErrNotFound
	}
	return team, mapErr(err, "neighbourhood team")
}

// Backdate sets when a client was created and last active, for demo data
// and imports of existing caseloads.
func (s *Store) Backdate(ctx context.Context, clientID string, created time.Time) error {
	err := s.q(ctx).Model(&model.Client{}).Where("id = ?", clientID).
		Updates(map[string]any{"created_at": created, "updated_at": created, "last_activity_at": created}).Error
	if err == nil {
		err = s.q(ctx).Model(&model.ClientEvent{}).Where("client_id = ? AND kind = 'created'", clientID).Update("created_at", created).Error
	}
	if err == nil {
		err = s.q(ctx).Model(&model.ClientAssignment{}).Where("client_id = ?", clientID).Update("started_at", created).Error
	}
	if err == nil {
		err = s.q(ctx).Model(&model.Consent{}).Where("client_id = ?", clientID).Update("given_at", created).Error
	}
	return mapErr(err, "backdate client")
}

// CountClients counts every client (demo seeding checks it).
func (s *Store) CountClients(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.Client{}).Count(&n).Error
	return n, mapErr(err, "count clients")
}

// ClientByIDUnscoped is for rules and public links, which act for no user.
func (s *Store) ClientByIDUnscoped(ctx context.Context, id string) (model.Client, error) {
	var c model.Client
	err := s.q(ctx).Where("id = ?", id).Take(&c).Error
	return c, mapErr(err, "client")
}

// ClientsByID returns the visible clients among ids, in one query.
func (s *Store) ClientsByID(ctx context.Context, sc Scope, ids []string) (map[string]model.Client, error) {
	out := map[string]model.Client{}
	if len(ids) == 0 {
		return out, nil
	}
	cond, args := visibleCond(sc)
	rows, err := s.clientRows(ctx, "clients by id", cond+" AND clients.id IN ?", append(args, ids)...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Client
	}
	return out, nil
}
