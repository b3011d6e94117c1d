package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/model"
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
