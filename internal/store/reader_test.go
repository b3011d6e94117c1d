package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// The hot reads go to the read pool outside a transaction, and stay on the
// transaction inside one (a Tx, a request's RunIdempotent), where they see
// its own writes. A closed pool as the reader shows which one a read took.
func TestHotReadsUseTheReadPoolOutsideTransactions(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, dsn := testutil.OpenDB(t, engine)
		gone, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		_ = gone.Close()
		st := store.New(d.Gorm, nil)
		st.SetReader(gone.Read)
		sc := store.Scope{UserID: store.NewID(), Role: model.RoleCoordinator, TeamIDs: []string{store.NewID()}}
		ctx := context.Background()
		if _, err := st.ListClients(ctx, sc, store.ClientFilter{Limit: 5}); err == nil || errors.Is(err, store.ErrNotFound) {
			t.Fatalf("outside a transaction the list did not use the read pool: %v", err)
		}
		if _, err := st.ClientByID(ctx, sc, store.NewID()); err == nil || errors.Is(err, store.ErrNotFound) {
			t.Fatalf("outside a transaction the client read did not use the read pool: %v", err)
		}
		err = st.Tx(ctx, func(tx *store.Store) error {
			if _, err := tx.ListClients(ctx, sc, store.ClientFilter{Limit: 5}); err != nil {
				return err
			}
			if _, err := tx.ClientByID(ctx, sc, store.NewID()); !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatalf("inside a Tx: %v", err)
		}
		_, err = st.RunIdempotent(ctx, store.NewID(), "k", "h", func(ctx context.Context) store.IdempotencyOutcome {
			if _, err := st.ClientByID(ctx, sc, store.NewID()); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("inside a request's transaction: %v", err)
			}
			return store.IdempotencyOutcome{}
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// The caseload list reads through pgx itself on PostgreSQL outside a
// transaction, and through GORM inside one: both give the same rows, field
// for field, on a page with every kind of value (nulls, a legal hold, an
// erased record, a second team, names with quotes and question marks).
func TestCaseloadListSameThroughPgxAndGORM(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		st := store.New(d.Gorm, nil)
		ctx := context.Background()
		ref, err := reference.Load()
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SyncReference(ctx, ref); err != nil {
			t.Fatal(err)
		}
		var teams []model.Team
		if err := d.Gorm.Order("slug").Limit(2).Find(&teams).Error; err != nil || len(teams) < 2 {
			t.Fatalf("teams: %v %v", teams, err)
		}
		chw := model.User{Email: "pgx.chw@example.org", Name: "Lotte 'Lot' Peeters?", Role: model.RoleCHW, Language: "nl", PasswordHash: "x"}
		if err := st.CreateUser(ctx, &chw, []string{teams[0].ID, teams[1].ID}); err != nil {
			t.Fatal(err)
		}
		year, phone := 1971, "+32470123456"
		for i, c := range []model.Client{
			{GivenName: "Amina", FamilyName: "El Idrissi", BirthYear: &year, Phone: &phone, SpokenLanguages: `["ar","nl"]`, CareRights: `["bim"]`},
			{GivenName: "Jan", FamilyName: "D'Hondt ?", TeamID: teams[1].ID},
			{GivenName: "Zoë", FamilyName: "Müller", Status: "closed", CloseReason: "moved"},
			{GivenName: "Unassigned", FamilyName: "Person"},
		} {
			c.ID, c.Language, c.Source = store.NewID(), "nl", "outreach"
			if c.TeamID == "" {
				c.TeamID = teams[0].ID
			}
			if c.Status == "" {
				c.Status = "active"
			}
			if c.SpokenLanguages == "" {
				c.SpokenLanguages, c.CareRights = "[]", "[]"
			}
			if i < 3 {
				c.AssignedCHWID = &chw.ID
			}
			c.SearchText = store.SearchText(c.GivenName, c.FamilyName, "")
			if err := st.CreateClient(ctx, &c, chw.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Gorm.Exec("UPDATE clients SET legal_hold_at = ?, legal_hold_by = ?, legal_hold_reason = ? WHERE given_name = 'Zoë'", time.Now().UTC(), chw.ID, "Dossier bij de rechtbank").Error; err != nil {
			t.Fatal(err)
		}
		scopes := map[string]store.Scope{
			"chw":         {UserID: chw.ID, Role: model.RoleCHW, TeamIDs: []string{teams[0].ID, teams[1].ID}},
			"coordinator": {UserID: store.NewID(), Role: model.RoleCoordinator, TeamIDs: []string{teams[0].ID}},
		}
		for name, sc := range scopes {
			for _, f := range []store.ClientFilter{{Limit: 2}, {Limit: 50}, {Limit: 50, Q: "d'hondt ?"}, {Limit: 50, Q: "amina"}, {Limit: 50, AssignedTo: "none"}} {
				direct, err := st.ListClients(ctx, sc, f)
				if err != nil {
					t.Fatal(err)
				}
				var inTx store.Page[store.ClientRow]
				if err := st.Tx(ctx, func(tx *store.Store) (err error) {
					inTx, err = tx.ListClients(ctx, sc, f)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				// Jan is in the second team, which the coordinator does not
				// lead; the CHW has no unassigned clients.
				empty := (name == "chw" && f.AssignedTo == "none") || (name == "coordinator" && f.Q == "d'hondt ?")
				if (len(direct.Items) == 0) != empty {
					t.Errorf("%s %+v: %d rows", name, f, len(direct.Items))
				}
				if !reflect.DeepEqual(normalise(direct), normalise(inTx)) {
					t.Errorf("%s %+v:\n direct %+v\n in tx  %+v", name, f, direct, inTx)
				}
				// A list row holds what the client page's full read holds
				// of the shown columns, times in the same zone.
				for _, row := range direct.Items {
					full, err := st.ClientRowByID(ctx, sc, row.ID)
					if err != nil {
						t.Fatal(err)
					}
					shown := full.Client
					shown.SearchText, shown.CreatedBy, shown.OriginTeamID, shown.OriginFundID = "", "", nil, nil
					shown.MergedIntoID, shown.MergedAt, shown.ErasedBy, shown.ErasureReference, shown.ErasureReason = nil, nil, nil, "", ""
					if !reflect.DeepEqual(row.Client, shown) || row.AssignedCHWName != full.AssignedCHWName {
						t.Errorf("%s: list row\n %+v\nclient page\n %+v", name, row, full)
					}
					if row.LastActivityAt.Location() != full.LastActivityAt.Location() || row.CreatedAt.Location() != full.CreatedAt.Location() {
						t.Errorf("%s: times in %v and %v", name, row.LastActivityAt.Location(), full.LastActivityAt.Location())
					}
				}
			}
		}
	})
}

// normalise puts a page's times in UTC (the two drivers may answer in
// different zones for the same instant).
func normalise(p store.Page[store.ClientRow]) store.Page[store.ClientRow] {
	p.Items = slices.Clone(p.Items)
	for i := range p.Items {
		c := &p.Items[i].Client
		for _, t := range []*time.Time{&c.LastActivityAt, &c.CreatedAt, &c.UpdatedAt} {
			*t = t.UTC()
		}
		for _, t := range []**time.Time{&c.ErasedAt, &c.LegalHoldAt} {
			if *t != nil {
				u := (*t).UTC()
				*t = &u
			}
		}
	}
	return p
}
