package service

import (
	"context"
	"testing"

	"github.com/brug-chw/brug/internal/apperr"
)

// A full gate makes the next report wait, and give up with 503 when its
// request ends; a freed slot lets it in.
func TestReportGate(t *testing.T) {
	g := NewReportGate(2)
	a, err := g.Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Enter(ctx); !apperr.IsKind(err, apperr.KindUnavailable) {
		t.Fatalf("a third report while two run: %v", err)
	}
	a()
	c, err := g.Enter(ctx) // a free slot is taken even by an ended request's turn
	if err != nil {
		t.Fatalf("after a slot freed: %v", err)
	}
	b()
	c()
	var none *ReportGate
	if done, err := none.Enter(ctx); err != nil || done == nil {
		t.Fatal("no gate: no bound")
	}
}
