// Package research owns the anonymisation of the research extract: birth
// years in bands, k-anonymity on the quasi-identifiers by generalising the
// rows of small equivalence classes step by step and leaving out the rows
// that still break it, and the keyed pseudonym that replaces a client's id.
package research

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// K is the smallest equivalence class the extract releases.
const K = 5

// QuasiIdentifiers are the columns an outsider could know about a person
// and link back to them; every combination released is shared by at least
// K rows. Status, counts and contact months are treated as research data.
var QuasiIdentifiers = []string{"birth_band", "municipality", "language", "care_rights", "source"}

// Unknown stands for a value the record does not have.
const Unknown = "unknown"

// Other is the place of a row generalised beyond its region.
const Other = "other"

// Subject is one eligible client as the extract sees them, before
// anonymisation: no name, no contact, no free text.
type Subject struct {
	ClientID     string
	BirthYear    *int
	Municipality string // "" when unknown
	Region       string // "" when unknown
	Language     string
	CareRights   []string
	Source       string
}

// Row is a released row's quasi-identifiers, generalised as far as needed.
type Row struct {
	Subject      *Subject
	BirthBand    string
	Municipality string
	Language     string
	CareRights   string
	Source       string
	// Level is how many generalisation steps the row went through (0: none).
	Level int
}

// Key is the row's equivalence class: its quasi-identifiers joined.
func (r Row) Key() string {
	return strings.Join([]string{r.BirthBand, r.Municipality, r.Language, r.CareRights, r.Source}, "\x1f")
}

// Result is the outcome of Anonymise.
type Result struct {
	Released    []Row
	Generalised int // released rows that went through at least one step
	Suppressed  int // rows left out
}

// BirthBand is the band of width years that holds year ("1980-1989" for a
// width of 10, "1980-1999" for 20).
func BirthBand(year *int, width int) string {
	if year == nil {
		return Unknown
	}
	lo := *year - ((*year%width)+width)%width
	return fmt.Sprintf("%d-%d", lo, lo+width-1)
}

// CareRightsSet is the canonical text of a set of care rights.
func CareRightsSet(rights []string) string {
	if len(rights) == 0 {
		return "none"
	}
	s := append([]string(nil), rights...)
	sort.Strings(s)
	out := s[:0]
	for i, r := range s {
		if i == 0 || r != s[i-1] {
			out = append(out, r)
		}
	}
	return strings.Join(out, "|")
}

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}

// steps are the generalisations, in order, applied to the rows of classes
// smaller than k: a 20-year birth band; the region instead of the
// municipality; the number of care rights instead of which ones; no place
// at all; a 40-year birth band.
var steps = []func(*Row){
	func(r *Row) { r.BirthBand = BirthBand(r.Subject.BirthYear, 20) },
	func(r *Row) { r.Municipality = "region:" + orUnknown(r.Subject.Region) },
	func(r *Row) { r.CareRights = CareRightsCount(r.Subject.CareRights) },
	func(r *Row) { r.Municipality = Other },
	func(r *Row) { r.BirthBand = BirthBand(r.Subject.BirthYear, 40) },
}

// Generalisation describes the steps, for the data dictionary.
var Generalisation = []string{
	"birth_band: 10-year band -> 20-year band",
	"municipality: municipality -> region:<code>",
	"care_rights: the set -> count:<n> (how many rights, not which)",
	"municipality: region:<code> -> other",
	"birth_band: 20-year band -> 40-year band (1960-1999)",
	"rows still in a class smaller than k are left out",
}

// CareRightsCount is the generalised care rights: how many, not which.
func CareRightsCount(rights []string) string {
	set := CareRightsSet(rights)
	if set == "none" {
		return "count:0"
	}
	return fmt.Sprintf("count:%d", strings.Count(set, "|")+1)
}

// Anonymise makes every released combination of quasi-identifiers hold at
// least k rows: rows of smaller classes go through the steps one at a time
// (classes counted again over all rows after each), and rows still in a
// class smaller than k are left out. Released rows keep the input order.
func Anonymise(subjects []Subject, k int) Result {
	rows := make([]Row, len(subjects))
	for i := range subjects {
		s := &subjects[i]
		rows[i] = Row{
			Subject:      s,
			BirthBand:    BirthBand(s.BirthYear, 10),
			Municipality: orUnknown(s.Municipality),
			Language:     orUnknown(s.Language),
			CareRights:   CareRightsSet(s.CareRights),
			Source:       orUnknown(s.Source),
		}
	}
	for _, step := range steps {
		sizes := classSizes(rows)
		for i := range rows {
			if sizes[rows[i].Key()] < k {
				step(&rows[i])
				rows[i].Level++
			}
		}
	}
	sizes := classSizes(rows)
	var res Result
	for _, r := range rows {
		if sizes[r.Key()] < k {
			res.Suppressed++
			continue
		}
		if r.Level > 0 {
			res.Generalised++
		}
		res.Released = append(res.Released, r)
	}
	return res
}

func classSizes(rows []Row) map[string]int {
	sizes := make(map[string]int, len(rows))
	for _, r := range rows {
		sizes[r.Key()]++
	}
	return sizes
}

// SmallestClass is the size of the smallest equivalence class of rows (0
// when there are none).
func SmallestClass(rows []Row) int {
	least := 0
	for _, n := range classSizes(rows) {
		if least == 0 || n < least {
			least = n
		}
	}
	return least
}

// Pseudonym is the keyed pseudonym of a client id: HMAC-SHA256 with the
// extract's key, the first 16 bytes in hex. The same id gives the same
// pseudonym within one extract and, with another key, an unrelated one.
func Pseudonym(key []byte, clientID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(clientID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Fingerprint is the hex SHA-256 of a key: what is kept of it.
func Fingerprint(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:])
}
