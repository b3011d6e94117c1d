package research

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomPopulation draws n subjects from small value sets, skewed so that
// some classes are large and many are tiny.
func randomPopulation(rng *rand.Rand, n int) []Subject {
	munis := []string{"Gent", "Liège", "Eupen", "Antwerpen", "Tienen", "Oostende", "Seraing", ""}
	regions := map[string]string{"Gent": "vl", "Antwerpen": "vl", "Tienen": "vl", "Oostende": "vl", "Liège": "wa", "Seraing": "wa", "Eupen": "dg", "": ""}
	langs := []string{"nl", "fr", "de", "en"}
	rights := []string{"gmd", "increased_reimbursement", "third_party_payment", "maximum_billing", "urgent_medical_aid"}
	sources := []string{"outreach", "intake_form", "partner", "group_session"}
	pick := func(xs []string) string {
		// Squared uniform: the first values are far more common.
		f := rng.Float64()
		return xs[int(f*f*float64(len(xs)))]
	}
	out := make([]Subject, n)
	for i := range out {
		s := Subject{ClientID: fmt.Sprintf("client-%d", i), Language: pick(langs), Source: pick(sources)}
		if rng.IntN(15) > 0 {
			y := 1930 + rng.IntN(80)
			s.BirthYear = &y
		}
		s.Municipality = pick(munis)
		s.Region = regions[s.Municipality]
		for _, r := range rights {
			if rng.IntN(4) == 0 {
				s.CareRights = append(s.CareRights, r)
			}
		}
		out[i] = s
	}
	return out
}

// TestAnonymiseKeepsKAnonymity draws many random populations (fixed
// seeds) and checks on each that every released combination of
// quasi-identifiers holds at least K rows, that released plus suppressed
// is the number of eligible clients, and that no client appears twice.
func TestAnonymiseKeepsKAnonymity(t *testing.T) {
	for seed := uint64(1); seed <= 400; seed++ {
		rng := rand.New(rand.NewPCG(seed, 2026))
		n := rng.IntN(300)
		pop := randomPopulation(rng, n)
		res := Anonymise(pop, K)

		if got := len(res.Released) + res.Suppressed; got != n {
			t.Fatalf("seed %d: released %d + suppressed %d = %d, want the %d eligible", seed, len(res.Released), res.Suppressed, got, n)
		}
		if len(res.Released) > 0 && SmallestClass(res.Released) < K {
			t.Fatalf("seed %d: a released class has %d rows, fewer than k=%d", seed, SmallestClass(res.Released), K)
		}
		seen := map[string]bool{}
		generalised := 0
		for _, r := range res.Released {
			if seen[r.Subject.ClientID] {
				t.Fatalf("seed %d: client %s released twice", seed, r.Subject.ClientID)
			}
			seen[r.Subject.ClientID] = true
			if r.Level > 0 {
				generalised++
			}
		}
		if generalised != res.Generalised {
			t.Fatalf("seed %d: %d rows generalised, result says %d", seed, generalised, res.Generalised)
		}
	}
}

func TestAnonymiseGeneralisesBeforeLeavingOut(t *testing.T) {
	year := func(y int) *int { return &y }
	var pop []Subject
	// Five alike: released as they are.
	for i := range 5 {
		pop = append(pop, Subject{ClientID: fmt.Sprintf("a%d", i), BirthYear: year(1984), Municipality: "Gent", Region: "vl", Language: "nl", Source: "outreach"})
	}
	// Three in the 1970s and two in the 1960s of Liège: together in 1960-1979.
	for i := range 3 {
		pop = append(pop, Subject{ClientID: fmt.Sprintf("b%d", i), BirthYear: year(1975), Municipality: "Liège", Region: "wa", Language: "fr", Source: "partner"})
	}
	for i := range 2 {
		pop = append(pop, Subject{ClientID: fmt.Sprintf("c%d", i), BirthYear: year(1962), Municipality: "Liège", Region: "wa", Language: "fr", Source: "partner"})
	}
	// One alone: left out.
	pop = append(pop, Subject{ClientID: "d", BirthYear: year(2001), Municipality: "Eupen", Region: "dg", Language: "de", Source: "intake_form", CareRights: []string{"gmd"}})

	res := Anonymise(pop, K)
	if len(res.Released) != 10 || res.Generalised != 5 || res.Suppressed != 1 {
		t.Fatalf("released %d, generalised %d, suppressed %d; want 10, 5, 1", len(res.Released), res.Generalised, res.Suppressed)
	}
	for _, r := range res.Released {
		want := map[byte]string{'a': "1980-1989", 'b': "1960-1979", 'c': "1960-1979"}[r.Subject.ClientID[0]]
		if r.BirthBand != want {
			t.Errorf("%s: band %s, want %s", r.Subject.ClientID, r.BirthBand, want)
		}
		if r.Municipality == "Eupen" {
			t.Errorf("the lone row of Eupen was released")
		}
	}
}

func TestBirthBandAndPseudonym(t *testing.T) {
	y := 1989
	if got := BirthBand(&y, 10); got != "1980-1989" {
		t.Errorf("BirthBand(1989, 10) = %s", got)
	}
	if got := BirthBand(&y, 20); got != "1980-1999" {
		t.Errorf("BirthBand(1989, 20) = %s", got)
	}
	if got := BirthBand(nil, 10); got != Unknown {
		t.Errorf("BirthBand(nil) = %s", got)
	}
	k1, k2 := []byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")
	if Pseudonym(k1, "x") != Pseudonym(k1, "x") || Pseudonym(k1, "x") == Pseudonym(k2, "x") || Pseudonym(k1, "x") == Pseudonym(k1, "y") {
		t.Error("pseudonyms must be stable under one key and differ across keys and ids")
	}
	if CareRightsSet([]string{"b", "a", "b"}) != "a|b" || CareRightsSet(nil) != "none" {
		t.Error("care rights set is not canonical")
	}
}
