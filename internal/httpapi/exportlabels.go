package httpapi

import (
	"strings"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/service"
)

// exportWords name, in each language, the codes a subject export prints:
// "status.closed", "mode.home", "consent.research", …
var exportWords = map[string]map[string][]string{
	"status":      {"nl": {"actief", "gepauzeerd", "afgesloten"}, "fr": {"actif", "en pause", "clôturé"}, "de": {"aktiv", "pausiert", "abgeschlossen"}, "en": {"active", "paused", "closed"}},
	"mode":        {"nl": {"huisbezoek", "op straat", "op kantoor", "telefonisch", "bij een partner"}, "fr": {"à domicile", "en rue", "au bureau", "par téléphone", "chez un partenaire"}, "de": {"Hausbesuch", "auf der Straße", "im Büro", "telefonisch", "bei einem Partner"}, "en": {"home visit", "street", "office", "phone", "at a partner"}},
	"consent":     {"nl": {"zorgcoördinatie", "herinneringen per sms", "herinneringen per e-mail", "delen met een zorgverlener", "onderzoek"}, "fr": {"coordination des soins", "rappels par SMS", "rappels par e-mail", "partage avec un prestataire", "recherche"}, "de": {"Versorgungskoordination", "Erinnerungen per SMS", "Erinnerungen per E-Mail", "Weitergabe an einen Leistungserbringer", "Forschung"}, "en": {"care coordination", "SMS reminders", "e-mail reminders", "sharing with a provider", "research"}},
	"barrier":     {"nl": {"open", "aangepakt", "opgelost", "gesignaleerd"}, "fr": {"ouvert", "pris en charge", "résolu", "signalé"}, "de": {"offen", "angegangen", "gelöst", "gemeldet"}, "en": {"open", "addressed", "resolved", "signalled"}},
	"referral":    {"nl": {"concept", "verstuurd", "ontvangen", "aanvaard", "geweigerd", "wachtlijst", "afspraak gemaakt", "afgerond", "geannuleerd", "verlopen"}, "fr": {"brouillon", "envoyée", "reçue", "acceptée", "refusée", "liste d'attente", "rendez-vous fixé", "terminée", "annulée", "expirée"}, "de": {"Entwurf", "gesendet", "erhalten", "angenommen", "abgelehnt", "Warteliste", "Termin vereinbart", "abgeschlossen", "storniert", "abgelaufen"}, "en": {"draft", "sent", "acknowledged", "accepted", "declined", "waitlisted", "appointment set", "completed", "cancelled", "expired"}},
	"appointment": {"nl": {"gepland", "bijgewoond", "gemist", "geannuleerd", "verplaatst"}, "fr": {"prévu", "honoré", "manqué", "annulé", "reporté"}, "de": {"geplant", "wahrgenommen", "versäumt", "abgesagt", "verschoben"}, "en": {"planned", "attended", "missed", "cancelled", "rescheduled"}},
	"reminder":    {"nl": {"in wachtrij", "wordt verstuurd", "verstuurd", "mislukt", "geannuleerd", "overgeslagen"}, "fr": {"en attente", "en cours d'envoi", "envoyé", "échoué", "annulé", "ignoré"}, "de": {"in Warteschlange", "wird gesendet", "gesendet", "fehlgeschlagen", "storniert", "übersprungen"}, "en": {"queued", "sending", "sent", "failed", "cancelled", "skipped"}},
}

// exportCodes are the codes of each kind, in the order of exportWords.
var exportCodes = map[string][]string{
	"status":      model.ClientStatuses,
	"mode":        model.VisitModes,
	"consent":     model.ConsentPurposes,
	"barrier":     model.BarrierStatuses,
	"referral":    service.ReferralStatuses,
	"appointment": model.AppointmentStatuses,
	"reminder":    {"queued", "sending", "sent", "failed", "cancelled", "skipped"},
}

// exportLabeler names codes in lang: the fixed words above, and the
// taxonomy's own labels (barrier categories, provider types, missions).
func exportLabeler(lang string, terms []model.TaxonomyTerm) func(kind, code string) string {
	out := map[string]string{}
	for kind, codes := range exportCodes {
		for i, c := range codes {
			if w := exportWords[kind][lang]; i < len(w) {
				out[kind+"."+c] = w[i]
			}
		}
	}
	for _, t := range terms {
		out[t.Kind+"."+t.Code] = reference.Labels{NL: t.LabelNL, FR: t.LabelFR, DE: t.LabelDE, EN: t.LabelEN}.Get(lang)
	}
	return func(kind, code string) string {
		if l, ok := out[kind+"."+code]; ok && l != "" {
			return l
		}
		return strings.ReplaceAll(code, "_", " ")
	}
}
