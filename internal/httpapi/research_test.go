package httpapi_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// extract is a released research extract as a test reads it.
type extract struct {
	key    []byte
	header []string
	rows   []map[string]string
	raw    string
}

func postExtract(t *testing.T, api *testutil.API) (testutil.Response, extract) {
	t.Helper()
	r := api.Do(http.MethodPost, "/api/v1/research/extracts", map[string]any{}, api.Bearer(mgr))
	var e extract
	if r.Status != http.StatusCreated {
		return r, e
	}
	key, err := hex.DecodeString(r.Header.Get("Brug-Extract-Key"))
	if err != nil || len(key) != 32 {
		t.Fatalf("Brug-Extract-Key %q is not 32 bytes in hex", r.Header.Get("Brug-Extract-Key"))
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("extract is not CSV: %v", err)
	}
	e = extract{key: key, header: recs[0], raw: string(r.Body)}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, col := range recs[0] {
			row[col] = rec[i]
		}
		e.rows = append(e.rows, row)
	}
	return r, e
}

// pseudonymOf recomputes a client's pseudonym with an extract's key, as the
// researcher holding the key could.
func pseudonymOf(key []byte, clientID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(clientID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func (e extract) has(clientID string) bool {
	p := pseudonymOf(e.key, clientID)
	return slices.ContainsFunc(e.rows, func(r map[string]string) bool { return r["pseudonym"] == p })
}

func TestResearchExtract(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		consent := func(id string) {
			if r := api.Do("POST", "/api/v1/clients/"+id+"/consents", map[string]any{"purpose": "research"}, api.Bearer(chw)); r.Status != 200 {
				t.Fatalf("research consent: %d %s", r.Status, r.Body)
			}
		}

		// Six alike in Gent, born in the 1980s, with a research consent.
		var alike []string
		for i := range 6 {
			id := newClient(t, api, chw, map[string]any{"given_name": "Researchname", "family_name": "Alike" + string(rune('A'+i)),
				"birth_year": 1981 + i, "language": "nl", "source": "outreach", "phone": "+3247011223" + string(rune('0'+i))})
			consent(id)
			alike = append(alike, id)
		}
		// One alone (other language, birth decade and care rights): left out.
		alone := newClient(t, api, chw, map[string]any{"given_name": "Loner", "birth_year": 1950, "language": "fr", "care_rights": []string{"gmd"}})
		consent(alone)
		// No research consent: never in an extract.
		none := newClient(t, api, chw, map[string]any{"given_name": "Noconsent", "birth_year": 1984, "language": "nl", "source": "outreach"})

		visit := api.Do("POST", "/api/v1/clients/"+alike[0]+"/visits", map[string]any{"mode": "home", "duration_minutes": 20,
			"missions": []string{"inform", "support"}, "note": "Secretnote about the family", "barriers": []map[string]any{{"category": "language", "detail": "Secretdetail"}}}, api.Bearer(chw))
		if visit.Status != 201 {
			t.Fatalf("visit: %d %s", visit.Status, visit.Body)
		}

		r, first := postExtract(t, api)
		if r.Status != http.StatusCreated {
			t.Fatalf("extract: %d %s", r.Status, r.Body)
		}
		if got := r.Header.Get("Brug-Extract-Rows") + "/" + r.Header.Get("Brug-Extract-Generalised") + "/" + r.Header.Get("Brug-Extract-Suppressed"); got != "6/0/1" {
			t.Errorf("rows/generalised/suppressed = %s, want 6/0/1", got)
		}
		if len(first.rows) != 6 {
			t.Fatalf("released %d rows, want 6", len(first.rows))
		}
		for _, id := range alike {
			if !first.has(id) {
				t.Errorf("client %s with a research consent is missing", id)
			}
		}
		if first.has(alone) || first.has(none) {
			t.Error("a client breaking k-anonymity, or without research consent, was released")
		}
		for _, secret := range []string{"Researchname", "Alike", "Secretnote", "Secretdetail", "+3247", alike[0], "Gent-", "@"} {
			if strings.Contains(first.raw, secret) {
				t.Errorf("the extract contains %q", secret)
			}
		}
		row := first.rows[slices.IndexFunc(first.rows, func(r map[string]string) bool { return r["pseudonym"] == pseudonymOf(first.key, alike[0]) })]
		want := map[string]string{"birth_band": "1980-1989", "municipality": "Gent", "language": "nl", "care_rights": "none", "source": "outreach",
			"status": "active", "visits": "1", "visits_mode_home": "1", "visits_mission_inform": "1", "visits_mission_support": "1",
			"visits_mission_direct": "0", "barriers": "1", "barriers_category_language": "1", "barriers_status_open": "1", "referrals": "0",
			"first_contact_month": row["last_contact_month"]}
		for col, v := range want {
			if row[col] != v {
				t.Errorf("column %s = %q, want %q", col, row[col], v)
			}
		}
		if len(row["first_contact_month"]) != 7 {
			t.Errorf("first_contact_month %q is not YYYY-MM", row["first_contact_month"])
		}

		// A second extract: a new key, so other pseudonyms for the same people.
		_, second := postExtract(t, api)
		if hex.EncodeToString(second.key) == hex.EncodeToString(first.key) {
			t.Fatal("two extracts share a key")
		}
		for _, r := range second.rows {
			if strings.Contains(first.raw, r["pseudonym"]) {
				t.Errorf("pseudonym %s appears in both extracts", r["pseudonym"])
			}
		}

		// The list shows both, with the key's fingerprint and never the key.
		list := api.Do("GET", "/api/v1/research/extracts", nil, api.Bearer(mgr))
		if list.Status != 200 {
			t.Fatalf("list: %d %s", list.Status, list.Body)
		}
		items := list.JSON(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("%d extracts listed, want 2", len(items))
		}
		fp := sha256.Sum256(first.key)
		newest, oldest := items[0].(map[string]any), items[1].(map[string]any)
		if oldest["key_fingerprint"] != hex.EncodeToString(fp[:]) || oldest["rows"] != 6.0 || oldest["suppressed"] != 1.0 || oldest["eligible"] != 7.0 {
			t.Errorf("first extract listed as %v", oldest)
		}
		if newest["requested_by"].(map[string]any)["name"] != "Marc Manager" {
			t.Errorf("requested_by %v", newest["requested_by"])
		}
		for _, k := range [][]byte{first.key, second.key} {
			if strings.Contains(string(list.Body), hex.EncodeToString(k)) {
				t.Error("the list shows a key")
			}
		}
		var stored int64
		api.DB.Gorm.Model(&model.ResearchExtract{}).Where("key_fingerprint = ?", hex.EncodeToString(first.key)).Count(&stored)
		if stored != 0 {
			t.Error("the key is stored in clear")
		}
		var audited int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'research.extract' AND actor_role = 'manager'").Count(&audited)
		if audited != 2 {
			t.Errorf("%d extracts audited, want 2", audited)
		}

		// The dictionary describes every column, in the extract's order.
		dict := api.Do("GET", "/api/v1/research/dictionary", nil, api.Bearer(mgr))
		if dict.Status != 200 {
			t.Fatalf("dictionary: %d %s", dict.Status, dict.Body)
		}
		var names []string
		for _, c := range dict.JSON(t)["columns"].([]any) {
			names = append(names, c.(map[string]any)["name"].(string))
		}
		if !slices.Equal(names, first.header) {
			t.Errorf("dictionary columns %v, extract header %v", names, first.header)
		}

		// Withdrawing leaves the client out of the very next extract.
		if r := api.Do("DELETE", "/api/v1/clients/"+alike[5]+"/consents/research", nil, api.Bearer(chw)); r.Status != 204 {
			t.Fatalf("withdraw: %d", r.Status)
		}
		_, third := postExtract(t, api)
		if len(third.rows) != 5 || third.has(alike[5]) {
			t.Errorf("after a withdrawal: %d rows, withdrawn client released: %v", len(third.rows), third.has(alike[5]))
		}

		// An Idempotency-Key is not replayed: the rows and the key are never
		// kept on the server, so a retry makes a new extract.
		h := api.Bearer(mgr)
		h["Idempotency-Key"] = "research-retry-1"
		a := api.Do(http.MethodPost, "/api/v1/research/extracts", map[string]any{}, h)
		b := api.Do(http.MethodPost, "/api/v1/research/extracts", map[string]any{}, h)
		if a.Status != 201 || b.Status != 201 || b.Header.Get("Idempotent-Replayed") != "" || a.Header.Get("Brug-Extract-Key") == b.Header.Get("Brug-Extract-Key") {
			t.Errorf("retry with an Idempotency-Key: %d %d replayed=%q", a.Status, b.Status, b.Header.Get("Idempotent-Replayed"))
		}
		var kept int64
		api.DB.Gorm.Table("idempotency_keys").Where("key = ?", "research-retry-1").Count(&kept)
		if kept != 0 {
			t.Error("the extract was kept for an Idempotency-Key replay")
		}

		// Below k releasable clients: 409, nothing released or recorded.
		api.Do("DELETE", "/api/v1/clients/"+alike[4]+"/consents/research", nil, api.Bearer(chw))
		refused, _ := postExtract(t, api)
		if refused.Status != http.StatusConflict || !strings.Contains(string(refused.Body), "nothing was released") || refused.Header.Get("Brug-Extract-Key") != "" {
			t.Errorf("below k: %d %s", refused.Status, refused.Body)
		}
		var n int64
		api.DB.Gorm.Model(&model.ResearchExtract{}).Count(&n)
		if n != 5 {
			t.Errorf("%d extracts recorded, want 5", n)
		}
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'research.extract_refused'").Count(&n)
		if n != 1 {
			t.Errorf("refusal audited %d times, want 1", n)
		}
		// Fewer than k eligible at all (four live research consents): the
		// same 409 before anything is anonymised, nothing recorded.
		api.Do("DELETE", "/api/v1/clients/"+alike[3]+"/consents/research", nil, api.Bearer(chw))
		var live int64
		api.DB.Gorm.Model(&model.Consent{}).Where("purpose = 'research' AND withdrawn_at IS NULL").Count(&live)
		if live != 4 {
			t.Fatalf("fixture: %d live research consents, want 4", live)
		}
		few, _ := postExtract(t, api)
		if few.Status != http.StatusConflict || !strings.Contains(string(few.Body), "nothing was released") || few.Header.Get("Brug-Extract-Key") != "" {
			t.Errorf("fewer than k eligible: %d %s", few.Status, few.Body)
		}
		api.DB.Gorm.Model(&model.ResearchExtract{}).Count(&n)
		if n != 5 {
			t.Errorf("%d extracts recorded after a refusal, want 5", n)
		}
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'research.extract_refused'").Count(&n)
		if n != 2 {
			t.Errorf("refusals audited %d times, want 2", n)
		}

		api.Run(t, []testutil.Scenario{
			{Name: "unknown field", Method: "POST", Path: "/api/v1/research/extracts", As: mgr, Body: map[string]any{"k": 2, "columns": "all"}, Status: 422, Fields: []string{"columns", "k"}},
			{Name: "not JSON", Method: "POST", Path: "/api/v1/research/extracts", As: mgr, Body: "k=2", Status: 400},
			{Name: "coordinator may not", Method: "POST", Path: "/api/v1/research/extracts", As: coord, Body: map[string]any{}, Status: 403},
			{Name: "admin may not list", Method: "GET", Path: "/api/v1/research/extracts", As: admin, Status: 403},
			{Name: "unknown query parameter", Method: "GET", Path: "/api/v1/research/dictionary?format=csv", As: mgr, Status: 422, Fields: []string{"format"}},
		})
	})
}

// A merged pair is one person: the tombstone is never a row of its own,
// even when both records had a research consent.
func TestResearchExtractCountsAMergedPairOnce(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		var ids []string
		for i := range 6 {
			id := newClient(t, api, chw, map[string]any{"given_name": "Merge", "family_name": "Pair" + string(rune('A'+i)),
				"birth_year": 1990 + i, "language": "fr", "source": "partner"})
			api.Do("POST", "/api/v1/clients/"+id+"/consents", map[string]any{"purpose": "research"}, api.Bearer(chw))
			ids = append(ids, id)
		}
		survivor, merged := ids[4], ids[5]
		if r := api.Do("POST", "/api/v1/clients/"+survivor+"/merge", map[string]any{"merged_id": merged}, api.Bearer(coord)); r.Status != 200 {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}

		r, e := postExtract(t, api)
		if r.Status != http.StatusCreated {
			t.Fatalf("extract: %d %s", r.Status, r.Body)
		}
		if len(e.rows) != 5 || !e.has(survivor) || e.has(merged) {
			t.Errorf("%d rows; survivor released %v, tombstone released %v", len(e.rows), e.has(survivor), e.has(merged))
		}
		list := api.Do("GET", "/api/v1/research/extracts", nil, api.Bearer(mgr)).JSON(t)["items"].([]any)
		if got := list[0].(map[string]any)["eligible"]; got != 5.0 {
			t.Errorf("eligible = %v, want 5", got)
		}
	})
}
