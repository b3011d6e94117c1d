// Package reminder owns the outbox worker that sends appointment reminders,
// the SMS and e-mail senders, and the message templates in nl, fr, de, en.
package reminder

import (
	"fmt"
	"strings"
	"time"
)

// Kinds of message.
const (
	KindReminder     = "reminder"
	KindCancellation = "cancellation"
	KindReferralLink = "referral_link" // to a provider: the link to answer a referral
	KindInvitation   = "invitation"    // to a staff member: the link to set their password (%[2]s is their first name)
	// KindSecondFactorReset tells a staff member an admin reset their second
	// factor (%[1]s when, %[2]s their first name, %[3]s the sign-in page).
	KindSecondFactorReset = "second_factor_reset"
	// KindMonthlySummary tells a CHW or coordinator that last month's
	// summary is ready (%[2]s their first name, %[3]s the summary page);
	// it carries no figures.
	KindMonthlySummary = "monthly_summary"
)

// Languages and kinds every template set covers (a test checks).
var (
	Languages = []string{"nl", "fr", "de", "en"}
	Kinds     = []string{KindReminder, KindCancellation, KindReferralLink, KindInvitation, KindSecondFactorReset, KindMonthlySummary}
)

// Data fills a template. It never carries a diagnosis, a provider's name or
// specialty, or the client's family name: messages can be read by others.
type Data struct {
	When     time.Time // the appointment, shown in Brussels time
	CHWName  string    // first name of the CHW
	ReplyURL string    // confirm or ask to reschedule
}

// Message is a rendered message.
type Message struct {
	SMS     string
	Subject string
	Text    string
	HTML    string
}

var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err)
	}
	return loc
}()

var weekdays = map[string][7]string{
	"nl": {"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	"de": {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

var months = map[string][12]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// FormatWhen writes an appointment's date and time the way each language
// does: "dinsdag 24 november om 14.30 uur", "mardi 24 novembre à 14h30",
// "Dienstag, 24. November, um 14:30 Uhr", "Tuesday 24 November at 14:30".
func FormatWhen(lang string, t time.Time) string {
	l := t.In(brussels)
	wd, d, m := weekdays[lang][l.Weekday()], l.Day(), months[lang][l.Month()-1]
	switch lang {
	case "nl":
		return fmt.Sprintf("%s %d %s om %d.%02d uur", wd, d, m, l.Hour(), l.Minute())
	case "fr":
		return fmt.Sprintf("%s %d %s à %dh%02d", wd, d, m, l.Hour(), l.Minute())
	case "de":
		return fmt.Sprintf("%s, %d. %s, um %d:%02d Uhr", wd, d, m, l.Hour(), l.Minute())
	}
	return fmt.Sprintf("%s %d %s at %d:%02d", wd, d, m, l.Hour(), l.Minute())
}

type texts struct{ sms, subject, body string }

// templates: %[1]s is the date and time, %[2]s the CHW, %[3]s the reply
// link (for referral_link: the provider's link; the date is when it expires).
var templates = map[string]map[string]texts{
	"nl": {
		KindMonthlySummary: {"Brug: je overzicht van vorige maand staat klaar (%[1]s): %[3]s",
			"Je maandoverzicht in Brug", "Dag %[2]s,\n\nJe overzicht van vorige maand, tegenover de doelen, staat klaar in Brug: %[3]s\n\nBrug"},
		KindReminder: {"Herinnering: afspraak %[1]s. Kom je? Bevestig of verzet: %[3]s Groeten, %[2]s",
			"Herinnering aan je afspraak", "Dag,\n\nWe herinneren je aan je afspraak op %[1]s.\nBevestig dat je komt, of vraag een nieuw moment: %[3]s\n\nGroeten,\n%[2]s, gezondheidswerker"},
		KindCancellation: {"Je afspraak van %[1]s gaat niet door. %[2]s neemt contact op.",
			"Je afspraak gaat niet door", "Dag,\n\nJe afspraak op %[1]s gaat niet door.\n%[2]s neemt contact met je op voor een nieuwe afspraak.\n\nGroeten,\n%[2]s"},
		KindReferralLink: {"Brug: %[2]s verwijst iemand naar u. Antwoord tot %[1]s via %[3]s",
			"Doorverwijzing van een gezondheidswerker", "Goeiedag,\n\n%[2]s, gezondheidswerker, verwijst iemand naar u door.\nU kunt antwoorden zonder account, tot %[1]s: %[3]s\n\nMet dank,\n%[2]s"},
		KindInvitation: {"Brug: kies je wachtwoord voor %[1]s via %[3]s",
			"Je account bij Brug", "Dag %[2]s,\n\nEr is een account bij Brug voor je klaar. Kies je wachtwoord via deze link; hij werkt één keer, tot %[1]s:\n%[3]s\n\nVroeg je dit niet aan? Laat het je beheerder weten.\n\nBrug"},
		KindSecondFactorReset: {"Brug: je tweede factor (code-app) werd gewist op %[1]s. Niet gevraagd? Meld het meteen aan je beheerder.",
			"Je tweede factor bij Brug werd gewist", "Dag %[2]s,\n\nOp %[1]s heeft een beheerder de tweede factor (de code-app) van je Brug-account gewist, bijvoorbeeld na een verloren telefoon. Je sessies werden beëindigd. Bij je volgende aanmelding stel je een nieuwe in: %[3]s\n\nHeb je dit niet gevraagd? Meld het meteen aan je coördinator of beheerder.\n\nBrug"},
	},
	"fr": {
		KindMonthlySummary: {"Brug : le bilan du mois passé est disponible (%[1]s) : %[3]s",
			"Votre bilan mensuel dans Brug", "Bonjour %[2]s,\n\nVotre bilan du mois passé, face aux objectifs, est prêt dans Brug : %[3]s\n\nBrug"},
		KindReminder: {"Rappel : rendez-vous %[1]s. Confirmez ou déplacez : %[3]s %[2]s",
			"Rappel de votre rendez-vous", "Bonjour,\n\nNous vous rappelons votre rendez-vous le %[1]s.\nConfirmez votre venue ou demandez un autre moment : %[3]s\n\nCordialement,\n%[2]s, agent de santé"},
		KindCancellation: {"Votre rendez-vous du %[1]s est annulé. %[2]s vous contactera.",
			"Votre rendez-vous est annulé", "Bonjour,\n\nVotre rendez-vous du %[1]s est annulé.\n%[2]s vous contactera pour un nouveau rendez-vous.\n\nCordialement,\n%[2]s"},
		KindReferralLink: {"Brug : %[2]s vous oriente une personne. Répondez avant le %[1]s : %[3]s",
			"Orientation par un agent de santé", "Bonjour,\n\n%[2]s, agent de santé communautaire, vous oriente une personne.\nVous pouvez répondre sans compte, jusqu'au %[1]s : %[3]s\n\nMerci,\n%[2]s"},
		KindInvitation: {"Brug : choisissez votre mot de passe avant le %[1]s : %[3]s",
			"Votre compte Brug", "Bonjour %[2]s,\n\nUn compte Brug vous attend. Choisissez votre mot de passe par ce lien ; il fonctionne une seule fois, jusqu'au %[1]s :\n%[3]s\n\nVous n'avez rien demandé ? Prévenez votre administrateur.\n\nBrug"},
		KindSecondFactorReset: {"Brug : votre second facteur (app de codes) a été effacé le %[1]s. Pas demandé ? Prévenez votre administrateur.",
			"Votre second facteur Brug a été effacé", "Bonjour %[2]s,\n\nLe %[1]s, un administrateur a effacé le second facteur (l'application de codes) de votre compte Brug, par exemple après la perte d'un téléphone. Vos sessions ont été fermées. À votre prochaine connexion, vous en configurerez un nouveau : %[3]s\n\nVous n'avez rien demandé ? Prévenez tout de suite votre coordinateur ou administrateur.\n\nBrug"},
	},
	"de": {
		KindMonthlySummary: {"Brug: Ihre Übersicht des letzten Monats ist bereit (%[1]s): %[3]s",
			"Ihre Monatsübersicht in Brug", "Guten Tag %[2]s,\n\nIhre Übersicht des letzten Monats, gemessen an den Zielen, ist in Brug bereit: %[3]s\n\nBrug"},
		KindReminder: {"Erinnerung: Termin %[1]s. Bestätigen/verschieben: %[3]s %[2]s",
			"Erinnerung an Ihren Termin", "Guten Tag,\n\nwir erinnern Sie an Ihren Termin am %[1]s.\nBitte bestätigen Sie oder bitten Sie um einen anderen Zeitpunkt: %[3]s\n\nFreundliche Grüße\n%[2]s, Gesundheitslotse"},
		KindCancellation: {"Ihr Termin am %[1]s entfällt. %[2]s meldet sich.",
			"Ihr Termin entfällt", "Guten Tag,\n\nIhr Termin am %[1]s entfällt.\n%[2]s meldet sich für einen neuen Termin.\n\nFreundliche Grüße\n%[2]s"},
		KindReferralLink: {"Brug: %[2]s überweist Ihnen eine Person. Antwort bis %[1]s: %[3]s",
			"Überweisung durch einen Gesundheitslotsen", "Guten Tag,\n\n%[2]s, Gesundheitslotse, überweist Ihnen eine Person.\nSie können ohne Konto antworten, bis %[1]s: %[3]s\n\nDanke\n%[2]s"},
		KindInvitation: {"Brug: Passwort wählen bis %[1]s: %[3]s",
			"Ihr Konto bei Brug", "Guten Tag %[2]s,\n\nein Konto bei Brug ist für Sie bereit. Wählen Sie Ihr Passwort über diesen Link; er funktioniert einmal, bis %[1]s:\n%[3]s\n\nHaben Sie das nicht erwartet? Sagen Sie es Ihrer Administration.\n\nBrug"},
		KindSecondFactorReset: {"Brug: Ihr zweiter Faktor (Code-App) wurde am %[1]s gelöscht. Nicht veranlasst? Melden Sie es Ihrer Administration.",
			"Ihr zweiter Faktor bei Brug wurde gelöscht", "Guten Tag %[2]s,\n\nam %[1]s hat eine Administratorin oder ein Administrator den zweiten Faktor (die Code-App) Ihres Brug-Kontos gelöscht, etwa nach einem verlorenen Telefon. Ihre Sitzungen wurden beendet. Bei der nächsten Anmeldung richten Sie einen neuen ein: %[3]s\n\nHaben Sie das nicht veranlasst? Melden Sie es sofort Ihrer Koordination oder Administration.\n\nBrug"},
	},
	"en": {
		KindMonthlySummary: {"Brug: your summary of last month is ready (%[1]s): %[3]s",
			"Your monthly summary in Brug", "Hello %[2]s,\n\nYour summary of last month, against the goals, is ready in Brug: %[3]s\n\nBrug"},
		KindReminder: {"Reminder: appointment %[1]s. Confirm or change: %[3]s %[2]s",
			"Reminder of your appointment", "Hello,\n\nThis is a reminder of your appointment on %[1]s.\nPlease confirm, or ask for another time: %[3]s\n\nKind regards,\n%[2]s, community health worker"},
		KindCancellation: {"Your appointment of %[1]s is cancelled. %[2]s will contact you.",
			"Your appointment is cancelled", "Hello,\n\nYour appointment on %[1]s is cancelled.\n%[2]s will contact you for a new appointment.\n\nKind regards,\n%[2]s"},
		KindReferralLink: {"Brug: %[2]s refers someone to you. Answer by %[1]s: %[3]s",
			"A referral from a community health worker", "Hello,\n\n%[2]s, community health worker, refers someone to you.\nYou can answer without an account until %[1]s: %[3]s\n\nThank you,\n%[2]s"},
		KindInvitation: {"Brug: choose your password by %[1]s: %[3]s",
			"Your Brug account", "Hello %[2]s,\n\nA Brug account is ready for you. Choose your password with this link; it works once, until %[1]s:\n%[3]s\n\nDid not expect this? Tell your administrator.\n\nBrug"},
		KindSecondFactorReset: {"Brug: your second factor (code app) was reset on %[1]s. Not you? Tell your administrator now.",
			"Your Brug second factor was reset", "Hello %[2]s,\n\nOn %[1]s an administrator reset the second factor (the code app) of your Brug account, for instance after a lost phone. Your sessions were ended. At your next sign-in you will set up a new one: %[3]s\n\nDid you not ask for this? Tell your coordinator or administrator at once.\n\nBrug"},
	},
}

// Render fills the template of a language and kind (English when the
// language is unknown).
func Render(lang, kind string, d Data) (Message, error) {
	set, ok := templates[lang]
	if !ok {
		lang, set = "en", templates["en"]
	}
	tx, ok := set[kind]
	if !ok {
		return Message{}, fmt.Errorf("no %s template in %s", kind, lang)
	}
	when := FormatWhen(lang, d.When)
	text := fmt.Sprintf(tx.body, when, d.CHWName, d.ReplyURL)
	return Message{
		SMS:     fmt.Sprintf(tx.sms, when, d.CHWName, d.ReplyURL),
		Subject: tx.subject,
		Text:    text,
		HTML:    toHTML(text),
	}, nil
}

func toHTML(text string) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(text)
	var b strings.Builder
	b.WriteString(`<!doctype html><html><body style="font-family:sans-serif;font-size:16px;line-height:1.5">`)
	for _, para := range strings.Split(esc, "\n\n") {
		words := strings.Fields(para)
		for i, w := range words {
			if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
				words[i] = `<a href="` + w + `">` + w + `</a>`
			}
		}
		b.WriteString("<p>" + strings.ReplaceAll(strings.Join(words, " "), "\n", "<br>") + "</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// gsm7 is the GSM 03.38 basic character set (plus the extension table's
// characters, which count double).
const gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const gsm7ext = "^{}\\[~]|€"

// SMSParts counts the SMS segments a text needs: 160 GSM-7 characters, or
// 70 UCS-2 characters when it has a character outside GSM-7.
func SMSParts(s string) (parts int, gsm bool) {
	n := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsm7, r):
			n++
		case strings.ContainsRune(gsm7ext, r):
			n += 2
		default:
			u := len([]rune(s))
			if u <= 70 {
				return 1, false
			}
			return (u + 66) / 67, false
		}
	}
	if n <= 160 {
		return 1, true
	}
	return (n + 152) / 153, true
}
