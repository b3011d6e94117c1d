package service

import (
	"encoding/json"
	"strings"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
)

// Tasks made by rules do not store a sentence: they store their kind and
// parameters (tasks.params), and each reader sees the sentence in their
// own language. The web app has the same sentences in its catalogue; these
// are the API's readable fallback ("text") for other readers.

// TaskParams encodes a rule task's parameters.
func TaskParams(p map[string]string) string {
	if len(p) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// DecodeTaskParams reads tasks.params; a task made by hand has none.
func DecodeTaskParams(raw string) map[string]string {
	out := map[string]string{}
	if raw != "" {
		_ = json.Unmarshal([]byte(raw), &out)
	}
	return out
}

// taskTexts are the rule tasks' sentences; {message} and the like are
// parameters.
var taskTexts = map[string]reference.Labels{
	TaskAlertNoVisits: {
		NL: "{name} heeft al {days} werkdagen geen bezoek geregistreerd (laatste: {since}).",
		FR: "{name} n'a enregistré aucune visite depuis {days} jours ouvrables (dernière : {since}).",
		DE: "{name} hat seit {days} Arbeitstagen keinen Besuch erfasst (letzter: {since}).",
		EN: "{name} has logged no visit for {days} working days (last: {since}).",
	},
	TaskAlertOverdueTasks: {
		NL: "{name} heeft {count} achterstallige taken (drempel {max}).",
		FR: "{name} a {count} tâches en retard (seuil {max}).",
		DE: "{name} hat {count} überfällige Aufgaben (Schwelle {max}).",
		EN: "{name} has {count} overdue tasks (threshold {max}).",
	},
	TaskAlertStuckReferral: {
		NL: "Deze doorverwijzing staat al meer dan {days} dagen stil (sinds {since}).",
		FR: "Cette orientation n'a pas bougé depuis plus de {days} jours (depuis le {since}).",
		DE: "Diese Überweisung steht seit mehr als {days} Tagen still (seit {since}).",
		EN: "This referral has not moved for over {days} days (since {since}).",
	},
	TaskAlertMissedInRow: {
		NL: "Deze cliënt heeft {count} afspraken op rij gemist.",
		FR: "Ce client a manqué {count} rendez-vous d'affilée.",
		DE: "Diese Person hat {count} Termine in Folge verpasst.",
		EN: "This client missed {count} appointments in a row.",
	},
	TaskReviewEmergency: {
		NL: "{name} heeft dit dossier met noodtoegang geopend tot {until}. Reden: {reason}. Kijk na of dat terecht was.",
		FR: "{name} a ouvert ce dossier en accès d'urgence jusqu'au {until}. Motif : {reason}. Vérifiez que c'était justifié.",
		DE: "{name} hat diese Akte per Notfallzugriff bis {until} geöffnet. Grund: {reason}. Prüfen Sie, ob das berechtigt war.",
		EN: "{name} opened this record with emergency access until {until}. Reason: {reason}. Check that it was justified.",
	},
	TaskFirstContact: {
		NL: "Via het contactformulier: {message}",
		FR: "Via le formulaire de contact : {message}",
		DE: "Über das Kontaktformular: {message}",
		EN: "From the contact form: {message}",
	},
	TaskConsentGone: {
		NL: "De toestemming van het contactformulier is ingetrokken en de gegevens van de aanvraag zijn gewist. Neem contact op met de cliënt en bespreek welke toestemmingen blijven gelden.",
		FR: "Le consentement du formulaire de contact a été retiré et les données de la demande ont été effacées. Contactez le client et voyez avec lui quels consentements restent valables.",
		DE: "Die Einwilligung aus dem Kontaktformular wurde widerrufen und die Angaben der Anfrage wurden gelöscht. Nehmen Sie Kontakt mit der Klientin oder dem Klienten auf und klären Sie, welche Einwilligungen weiter gelten.",
		EN: "The consent given on the contact form was withdrawn and the request's details were erased. Contact the client and go through which consents still stand.",
	},
}

// TaskText is what a task says in lang: a rule's sentence with its
// parameters, then the note a person wrote, if any.
func TaskText(t model.Task, lang string) string {
	var parts []string
	if tmpl, ok := taskTexts[t.Kind]; ok && t.Params != "" {
		s := tmpl.Get(lang)
		for k, v := range DecodeTaskParams(t.Params) {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		parts = append(parts, s)
	}
	if t.Note != "" {
		parts = append(parts, t.Note)
	}
	return strings.Join(parts, "\n")
}
