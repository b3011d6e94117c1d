package httpapi

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/brug-chw/brug/internal/service"
)

// DejaVu Sans (Bitstream Vera licence, fonts/LICENSE) covers every letter
// of nl, fr and de, and most names people have.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

// exportTexts are the headings and labels of the subject export document.
var exportTexts = map[string]map[string]string{
	"nl": {"title": "Gegevens die Brug over u bewaart", "exported": "Uitgevoerd op", "client": "Persoonsgegevens", "name": "Naam",
		"pseudonym": "Schuilnaam", "birth_year": "Geboortejaar", "phone": "Telefoon", "email": "E-mail", "language": "Taal", "status": "Status",
		"created": "Aangemaakt", "erased": "Gegevens gewist op", "hold": "Wettelijke bewaring", "consents": "Toestemmingen", "given": "gegeven",
		"withdrawn": "ingetrokken", "visits": "Bezoeken", "barriers": "Drempels", "referrals": "Doorverwijzingen", "appointments": "Afspraken",
		"reminders": "Verstuurde herinneringen", "tasks": "Taken", "contacts": "Contactaanvragen", "groups": "Groepssessies",
		"merges": "Samengevoegde dossiers", "audit": "Wie het dossier las of wijzigde", "none": "Geen.", "minutes": "min", "by": "door", "note": "Notitie"},
	"fr": {"title": "Données que Brug conserve sur vous", "exported": "Exporté le", "client": "Données personnelles", "name": "Nom",
		"pseudonym": "Pseudonyme", "birth_year": "Année de naissance", "phone": "Téléphone", "email": "E-mail", "language": "Langue", "status": "Statut",
		"created": "Créé le", "erased": "Données effacées le", "hold": "Conservation légale", "consents": "Consentements", "given": "donné",
		"withdrawn": "retiré", "visits": "Visites", "barriers": "Obstacles", "referrals": "Orientations", "appointments": "Rendez-vous",
		"reminders": "Rappels envoyés", "tasks": "Tâches", "contacts": "Demandes de contact", "groups": "Séances de groupe",
		"merges": "Dossiers fusionnés", "audit": "Qui a lu ou modifié le dossier", "none": "Aucun.", "minutes": "min", "by": "par", "note": "Note"},
	"de": {"title": "Daten, die Brug über Sie speichert", "exported": "Exportiert am", "client": "Persönliche Daten", "name": "Name",
		"pseudonym": "Pseudonym", "birth_year": "Geburtsjahr", "phone": "Telefon", "email": "E-Mail", "language": "Sprache", "status": "Status",
		"created": "Angelegt am", "erased": "Daten gelöscht am", "hold": "Gesetzliche Aufbewahrung", "consents": "Einwilligungen", "given": "erteilt",
		"withdrawn": "widerrufen", "visits": "Besuche", "barriers": "Hürden", "referrals": "Überweisungen", "appointments": "Termine",
		"reminders": "Gesendete Erinnerungen", "tasks": "Aufgaben", "contacts": "Kontaktanfragen", "groups": "Gruppensitzungen",
		"merges": "Zusammengeführte Akten", "audit": "Wer die Akte gelesen oder geändert hat", "none": "Keine.", "minutes": "Min.", "by": "von", "note": "Notiz"},
	"en": {"title": "Data Brug holds about you", "exported": "Exported on", "client": "Personal data", "name": "Name",
		"pseudonym": "Pseudonym", "birth_year": "Birth year", "phone": "Phone", "email": "E-mail", "language": "Language", "status": "Status",
		"created": "Created", "erased": "Data erased on", "hold": "Legal hold", "consents": "Consents", "given": "given",
		"withdrawn": "withdrawn", "visits": "Visits", "barriers": "Barriers", "referrals": "Referrals", "appointments": "Appointments",
		"reminders": "Reminders sent", "tasks": "Tasks", "contacts": "Contact requests", "groups": "Group sessions",
		"merges": "Merged records", "audit": "Who read or changed the record", "none": "None.", "minutes": "min", "by": "by", "note": "Note"},
}

func brusselsTime(t time.Time) string { return t.In(service.Brussels).Format("02/01/2006 15:04") }

func refName(r *userRef) string {
	if r == nil {
		return ""
	}
	return r.Name
}

// exportPDF lays the export out on A4 pages, in lang.
func exportPDF(doc exportDTO, lang string, label func(kind, code string) string) ([]byte, error) {
	tx := exportTexts[lang]
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("dejavu", "", dejaVuSans)
	pdf.AddUTF8FontFromBytes("dejavu", "B", dejaVuSansBold)
	pdf.SetTitle(tx["title"], true)
	pdf.SetCreator("Brug", true)
	pdf.SetCreationDate(doc.ExportedAt)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AddPage()
	pdf.SetFont("dejavu", "B", 17)
	pdf.MultiCell(0, 9, tx["title"], "", "L", false)
	pdf.SetFont("dejavu", "", 10)
	pdf.MultiCell(0, 6, tx["exported"]+": "+brusselsTime(doc.ExportedAt), "", "L", false)
	heading := func(key string, n int) bool {
		pdf.Ln(3)
		pdf.SetFont("dejavu", "B", 13)
		pdf.MultiCell(0, 8, tx[key], "", "L", false)
		pdf.SetFont("dejavu", "", 10)
		if n == 0 {
			pdf.MultiCell(0, 5, tx["none"], "", "L", false)
		}
		return n > 0
	}
	line := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if strings.TrimSpace(p) != "" {
				kept = append(kept, p)
			}
		}
		pdf.MultiCell(0, 5, "• "+strings.Join(kept, " · "), "", "L", false)
	}
	cl := doc.Client
	heading("client", 1)
	field := func(key, v string) {
		if v != "" {
			pdf.MultiCell(0, 5, tx[key]+": "+v, "", "L", false)
		}
	}
	field("name", strings.TrimSpace(cl.GivenName+" "+cl.FamilyName))
	field("pseudonym", cl.Pseudonym)
	if cl.BirthYear != nil {
		field("birth_year", fmt.Sprint(*cl.BirthYear))
	}
	if cl.Phone != nil {
		field("phone", *cl.Phone)
	}
	if cl.Email != nil {
		field("email", *cl.Email)
	}
	field("language", cl.Language)
	field("status", label("status", cl.Status))
	field("created", brusselsTime(cl.CreatedAt))
	if cl.ErasedAt != nil {
		field("erased", brusselsTime(*cl.ErasedAt))
	}
	if cl.LegalHold != nil {
		field("hold", brusselsTime(cl.LegalHold.At)+" — "+cl.LegalHold.Reason)
	}
	if heading("consents", len(doc.Consents)) {
		for _, c := range doc.Consents {
			w := ""
			if c.WithdrawnAt != nil {
				w = tx["withdrawn"] + " " + brusselsTime(*c.WithdrawnAt)
			}
			line(label("consent", c.Purpose), tx["given"]+" "+brusselsTime(c.GivenAt), w)
		}
	}
	if heading("visits", len(doc.Visits)) {
		for _, v := range doc.Visits {
			missions := make([]string, len(v.Missions))
			for i, m := range v.Missions {
				missions[i] = label("chw_missions", m)
			}
			line(brusselsTime(v.VisitedAt), label("mode", v.Mode), fmt.Sprintf("%d %s", v.DurationMinutes, tx["minutes"]), strings.Join(missions, ", "), v.Note)
		}
	}
	if heading("barriers", len(doc.Barriers)) {
		for _, b := range doc.Barriers {
			line(brusselsTime(b.DetectedAt), label("barrier_categories", b.Category), label("barrier", b.Status), b.Detail)
		}
	}
	if heading("referrals", len(doc.Referrals)) {
		for _, r := range doc.Referrals {
			line(brusselsTime(r.CreatedAt), label("provider_types", r.ProviderType), refName(r.Provider), label("referral", r.Status), r.Reason, r.Note)
			for _, e := range r.Events {
				line("   "+brusselsTime(e.At), label("referral", e.From)+" → "+label("referral", e.To), tx["by"]+" "+refName(e.Actor)+e.By, e.Note)
			}
		}
	}
	if heading("appointments", len(doc.Appointments)) {
		for _, a := range doc.Appointments {
			line(brusselsTime(a.StartsAt), refName(a.Provider), a.Location, label("appointment", a.Status), a.Note)
		}
	}
	if heading("reminders", len(doc.Reminders)) {
		for _, r := range doc.Reminders {
			when := brusselsTime(r.DueAt)
			if r.SentAt != nil {
				when = brusselsTime(*r.SentAt)
			}
			line(when, strings.ToUpper(r.Channel), label("reminder", r.Status), r.Destination)
			pdf.MultiCell(0, 5, "   "+r.Text, "", "L", false)
		}
	}
	if heading("tasks", len(doc.Tasks)) {
		for _, t := range doc.Tasks {
			line(t.DueOn, t.Text, t.Note)
		}
	}
	if heading("contacts", len(doc.ContactRequests)) {
		for _, c := range doc.ContactRequests {
			line(brusselsTime(c.CreatedAt), c.Kind, c.Name, c.Message)
		}
	}
	if heading("groups", len(doc.GroupSessions)) {
		for _, g := range doc.GroupSessions {
			line(brusselsTime(g.StartsAt), g.Title, g.Location, g.PartnerOrganisation)
		}
	}
	if heading("merges", len(doc.Merges)) {
		for _, m := range doc.Merges {
			line(brusselsTime(m.CreatedAt), m.MergedID+" → "+m.SurvivorID)
		}
	}
	if heading("audit", len(doc.Audit)) {
		pdf.SetFont("dejavu", "", 8)
		for _, e := range doc.Audit {
			line(brusselsTime(e.At), e.Action, refName(e.Actor), e.ActorRole)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("client export pdf: %w", err)
	}
	return buf.Bytes(), nil
}
