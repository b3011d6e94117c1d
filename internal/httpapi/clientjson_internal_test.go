package httpapi

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

// The hand-written caseload list is byte for byte what encoding/json
// (Echo's c.JSON: HTML-escaped, a trailing newline) writes, for every
// field empty, null and set, strings with every kind of character that is
// escaped, stored arrays with spacing and HTML, and times in any zone and
// precision.
func TestClientJSONMatches(t *testing.T) {
	t.Parallel()
	strs := []string{"", "Sofia", "Clàire Dupont", `quote " and \ back`, "<script>&amp;</script>", "line\nbreak\ttab\rret\bbs\ffeed",
		"\x00\x01\x1f\x7f", "bad \xff\xfe utf8", "sep \u2028 and \u2029", "emoji 👋🏽", "ünïcödé ☃", "/slash/"}
	raws := []string{`[]`, `["gmd"]`, `["a", "b"]`, "[\n \"x\"\n]", `["<b>&"]`, `["é"]`, `[1,2,3]`}
	zones := []*time.Location{time.UTC, time.FixedZone("BE", 3600), time.FixedZone("odd", -(5*3600 + 30*60))}
	rng := rand.New(rand.NewPCG(18, 1))
	str := func() string { return strs[rng.IntN(len(strs))] }
	opt := func() *string {
		if rng.IntN(3) == 0 {
			return nil
		}
		s := str()
		return &s
	}
	when := func() time.Time {
		t := time.Date(1900+rng.IntN(200), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), 0, zones[rng.IntN(len(zones))])
		switch rng.IntN(3) {
		case 1:
			t = t.Add(time.Duration(rng.IntN(1e9)))
		case 2:
			t = t.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		}
		return t
	}
	for round := 0; round < 400; round++ {
		items := make([]clientDTO, rng.IntN(4))
		for i := range items {
			d := clientDTO{Version: rng.IntN(1000), ID: str(), GivenName: str(), FamilyName: str(), Pseudonym: str(), Phone: opt(), Email: opt(),
				Language: str(), SpokenLanguages: rawList(raws[rng.IntN(len(raws))]), TeamID: str(), NeighbourhoodID: opt(), AssignedCHWID: opt(),
				Status: str(), CloseReason: str(), CareRights: rawList(raws[rng.IntN(len(raws))]), Source: str(),
				LastActivityAt: when(), CreatedAt: when(), UpdatedAt: when()}
			if rng.IntN(2) == 0 {
				y := 1900 + rng.IntN(130)
				d.BirthYear = &y
			}
			if rng.IntN(2) == 0 {
				d.AssignedCHW = &userRef{ID: str(), Name: str()}
			}
			if rng.IntN(3) == 0 {
				e := when()
				d.ErasedAt = &e
			}
			if rng.IntN(3) == 0 {
				d.LegalHold = &legalHoldDTO{At: when(), By: opt(), Reason: str()}
			}
			items[i] = d
		}
		next := ""
		if rng.IntN(2) == 0 {
			next = str()
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(newList(items, next)); err != nil {
			t.Fatal(err)
		}
		if got := appendClientList(nil, items, next); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("round %d:\n got %s\nwant %s", round, got, want.Bytes())
		}
	}
}

// BenchmarkClientListJSON: a page of 50 clients by encoding/json and by hand.
func BenchmarkClientListJSON(b *testing.B) {
	at := time.Date(2026, 12, 4, 16, 10, 0, 0, time.UTC)
	phone, chw := "+324942920027", "01a2429e-c835-7aa6-b003-5fb252d27a1e"
	y := 1978
	items := make([]clientDTO, 50)
	for i := range items {
		items[i] = clientDTO{Version: 1, ID: "01a2429e-cd55-74df-b996-5b52cadf330d", GivenName: "Sofia", FamilyName: "Peeters", BirthYear: &y, Phone: &phone,
			Language: "nl", SpokenLanguages: rawList(`["Berber"]`), TeamID: chw, AssignedCHWID: &chw, AssignedCHW: &userRef{ID: chw, Name: "Hanne Peeters"},
			Status: "active", CareRights: rawList(`["gmd"]`), Source: "outreach", LastActivityAt: at, CreatedAt: at, UpdatedAt: at}
	}
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			_ = json.NewEncoder(&buf).Encode(newList(items, "cursor"))
		}
	})
	b.Run("by hand", func(b *testing.B) {
		buf := make([]byte, 0, 64<<10)
		for b.Loop() {
			buf = appendClientList(buf[:0], items, "cursor")
		}
	})
}
