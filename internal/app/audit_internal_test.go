package app

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/model"
)

// Housekeeping logs a closed day's anchor once, with its last seq and hash
// and nothing of the events themselves.
func TestHousekeepingLogsEachClosedDayOnce(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.FromMap(map[string]string{
		"BRUG_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "brug.db"),
		"BRUG_DATA_DIR":     t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var logs bytes.Buffer
	svc, err := NewService(cfg, d, slog.New(slog.NewTextHandler(&logs, nil)), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		e := &model.AuditEvent{ActorRole: "chw", Action: "client.update", Entity: "client", EntityID: "x", Detail: "family_name Janssens", IP: "10.1.2.3"}
		if err := svc.Store.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	anchorAudit(ctx, svc) // the day is not over: nothing
	if strings.Contains(logs.String(), "audit anchor") {
		t.Fatalf("anchored an open day: %s", logs.String())
	}
	now = now.Add(24 * time.Hour)
	anchorAudit(ctx, svc)
	anchorAudit(ctx, svc)
	heads, err := svc.Store.AuditHeads(ctx, "2026-12-01", "2026-12-01")
	if err != nil || len(heads) != 1 {
		t.Fatalf("heads %v %v", heads, err)
	}
	out := logs.String()
	want := "msg=\"audit anchor\" stream=2026-12-01 last_seq=2 last_hash=" + heads[0].Hash
	if strings.Count(out, "audit anchor") != 1 || !strings.Contains(out, want) {
		t.Fatalf("logs %q, want one %q", out, want)
	}
	if strings.Contains(out, "Janssens") || strings.Contains(out, "10.1.2.3") {
		t.Fatalf("an anchor logs event data: %s", out)
	}
}
