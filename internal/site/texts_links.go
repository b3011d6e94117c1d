package site

import "maps"

// linkTexts are the strings of the two token pages a client or a provider
// opens from a message: the reply page (/a/{token}) and the provider's
// answer page (/provider/{token}). The wording is the staff app's, which
// showed these pages before.
var linkTexts = map[string]tr{
	"reply.title":                 {"Je afspraak", "Votre rendez-vous", "Ihr Termin", "Your appointment"},
	"reply.confirm":               {"Ik kom", "Je viendrai", "Ich komme", "I will come"},
	"reply.reschedule":            {"Ik heb een ander moment nodig", "J’ai besoin d’un autre moment", "Ich brauche einen anderen Termin", "I need another time"},
	"reply.thanks_confirm":        {"Dank je, tot dan.", "Merci, à bientôt.", "Danke, bis dann.", "Thank you, see you then."},
	"reply.thanks_reschedule":     {"Dank je. Je gezondheidswerker neemt contact met je op.", "Merci. Votre agent de santé vous contactera.", "Danke. Ihr Gesundheitslotse meldet sich bei Ihnen.", "Thank you. Your community health worker will contact you."},
	"reply.past":                  {"Deze afspraak ligt niet meer voor ons.", "Ce rendez-vous est passé.", "Dieser Termin ist vorbei.", "This appointment is no longer ahead."},
	"link.title":                  {"Een doorverwijzing voor u", "Une orientation pour vous", "Eine Überweisung für Sie", "A referral for you"},
	"link.person":                 {"Persoon", "Personne", "Person", "Person"},
	"link.chw":                    {"Gezondheidswerker", "Agent de santé communautaire", "Gesundheitslotse", "Community health worker"},
	"link.until":                  {"Link geldig tot", "Lien valable jusqu’au", "Link gültig bis", "Link valid until"},
	"link.answer":                 {"Uw antwoord", "Votre réponse", "Ihre Antwort", "Your answer"},
	"link.acknowledge":            {"Ontvangen, we bekijken het", "Reçu, nous allons l’examiner", "Erhalten, wir sehen es uns an", "Received, we will look at it"},
	"link.accept":                 {"We kunnen deze persoon opnemen", "Nous pouvons accueillir cette personne", "Wir können diese Person aufnehmen", "We can take this person"},
	"link.waitlist":               {"Op de wachtlijst", "Sur liste d’attente", "Auf der Warteliste", "On the waiting list"},
	"link.decline":                {"We kunnen deze persoon niet opnemen", "Nous ne pouvons pas accueillir cette personne", "Wir können diese Person nicht aufnehmen", "We cannot take this person"},
	"link.send":                   {"Antwoord versturen", "Envoyer la réponse", "Antwort senden", "Send the answer"},
	"link.thanks":                 {"Dank u. De gezondheidswerker ziet uw antwoord nu.", "Merci. L’agent de santé voit votre réponse maintenant.", "Danke. Der Gesundheitslotse sieht Ihre Antwort jetzt.", "Thank you. The community health worker sees your answer now."},
	"link.gone":                   {"Deze link werd al gebruikt of is verlopen. Vraag de gezondheidswerker om een nieuwe.", "Ce lien a déjà été utilisé ou a expiré. Demandez-en un nouveau à l’agent de santé.", "Dieser Link wurde schon benutzt oder ist abgelaufen. Bitten Sie den Gesundheitslotsen um einen neuen.", "This link was already used or has expired. Contact the community health worker for a new one."},
	"link.invalid":                {"Deze link is niet geldig.", "Ce lien n’est pas valable.", "Dieser Link ist ungültig.", "This link is not valid."},
	"link.acknowledged":           {"Dank u: de gezondheidswerker weet dat u het ontving. U kunt hier antwoorden zodra u meer weet.", "Merci : l'agent de santé sait que vous l'avez reçue. Vous pourrez répondre ici quand vous en saurez plus.", "Danke: der Gesundheitslotse weiß, dass Sie sie erhalten haben. Sie können hier antworten, sobald Sie mehr wissen.", "Thank you: the community health worker knows you received it. You can answer here when you know more."},
	"link.gone.answered.accept":   {"U beantwoordde deze doorverwijzing al via deze link: u kunt deze persoon ontvangen. De gezondheidswerker heeft uw antwoord.", "Vous avez déjà répondu à cette orientation par ce lien : vous pouvez accueillir cette personne. L'agent de santé a votre réponse.", "Sie haben diese Überweisung über diesen Link schon beantwortet: Sie können die Person aufnehmen. Der Gesundheitslotse hat Ihre Antwort.", "You already answered this referral through this link: you can take this person. The community health worker has your answer."},
	"link.gone.answered.waitlist": {"U beantwoordde deze doorverwijzing al via deze link: de persoon staat op uw wachtlijst. De gezondheidswerker heeft uw antwoord.", "Vous avez déjà répondu à cette orientation par ce lien : la personne est sur votre liste d'attente. L'agent de santé a votre réponse.", "Sie haben diese Überweisung über diesen Link schon beantwortet: die Person steht auf Ihrer Warteliste. Der Gesundheitslotse hat Ihre Antwort.", "You already answered this referral through this link: the person is on your waiting list. The community health worker has your answer."},
	"link.gone.answered.decline":  {"U beantwoordde deze doorverwijzing al via deze link: u kunt deze persoon niet ontvangen. De gezondheidswerker heeft uw antwoord.", "Vous avez déjà répondu à cette orientation par ce lien : vous ne pouvez pas accueillir cette personne. L'agent de santé a votre réponse.", "Sie haben diese Überweisung über diesen Link schon beantwortet: Sie können die Person nicht aufnehmen. Der Gesundheitslotse hat Ihre Antwort.", "You already answered this referral through this link: you cannot take this person. The community health worker has your answer."},
	"link.gone.replaced":          {"Er werd een nieuwere link gestuurd voor deze doorverwijzing, dus deze werkt niet meer. Gebruik de nieuwste link of neem contact op met de gezondheidswerker.", "Un lien plus récent a été envoyé pour cette orientation ; celui-ci ne fonctionne plus. Utilisez le lien le plus récent ou contactez l'agent de santé.", "Für diese Überweisung wurde ein neuerer Link gesendet, dieser gilt nicht mehr. Nutzen Sie den neuesten Link oder wenden Sie sich an den Gesundheitslotsen.", "A newer link was sent for this referral, so this one no longer works. Use the newest link, or contact the community health worker."},
	"link.gone.referral_answered": {"Deze doorverwijzing werd al op een andere manier beantwoord (bijvoorbeeld telefonisch). Via deze link is niets meer nodig.", "Cette orientation a déjà reçu une réponse par un autre moyen (par exemple par téléphone). Plus rien n'est nécessaire par ce lien.", "Diese Überweisung wurde schon auf anderem Weg beantwortet (zum Beispiel telefonisch). Über diesen Link ist nichts mehr nötig.", "This referral has already been answered in another way (for instance by phone). Nothing more is needed through this link."},
	"link.gone.referral_closed":   {"Deze doorverwijzing is afgesloten. Neem contact op met de gezondheidswerker als u een vraag hebt.", "Cette orientation est clôturée. Contactez l'agent de santé si vous avez une question.", "Diese Überweisung ist abgeschlossen. Wenden Sie sich bei Fragen an den Gesundheitslotsen.", "This referral is closed. Contact the community health worker if you have a question."},
	"link.gone.expired":           {"Deze link verliep op %s. Vraag de gezondheidswerker om een nieuwe.", "Ce lien a expiré le %s. Demandez-en un nouveau à l'agent de santé.", "Dieser Link ist am %s abgelaufen. Bitten Sie den Gesundheitslotsen um einen neuen.", "This link expired on %s. Ask the community health worker for a new one."},
	"link.decline_reason":         {"Waarom niet", "Pourquoi pas", "Warum nicht", "Why not"},
	"urgency.routine":             {"gewoon", "normal", "normal", "routine"},
	"urgency.soon":                {"binnenkort", "bientôt", "bald", "soon"},
	"urgency.urgent":              {"dringend", "urgent", "dringend", "urgent"},
	"link.reason":                 {"Reden", "Motif", "Grund", "Reason"},
	"link.urgency":                {"Dringendheid", "Urgence", "Dringlichkeit", "Urgency"},
	"link.date":                   {"Datum", "Date", "Datum", "Date"},
	"link.time":                   {"Uur", "Heure", "Uhrzeit", "Time"},
	"link.location":               {"Plaats", "Lieu", "Ort", "Place"},
	"reply.answered":              {"Je antwoord: „%s”. Je kunt het hieronder nog veranderen.", "Votre réponse : « %s ». Vous pouvez encore la changer ci-dessous.", "Ihre Antwort: „%s“. Sie können sie unten noch ändern.", "Your answer: “%s”. You can still change it below."},
	"link.if_accept":              {"Als u deze persoon kunt opnemen: de afspraak (niet verplicht)", "Si vous pouvez accueillir cette personne : le rendez-vous (facultatif)", "Wenn Sie die Person aufnehmen können: der Termin (freiwillig)", "If you can take this person: the appointment (optional)"},
	"link.if_decline":             {"Als u deze persoon niet kunt opnemen", "Si vous ne pouvez pas accueillir cette personne", "Wenn Sie die Person nicht aufnehmen können", "If you cannot take this person"},
	"err.origin":                  {"Dit formulier kwam niet van deze pagina. Open de link opnieuw en probeer nog eens.", "Ce formulaire ne venait pas de cette page. Ouvrez à nouveau le lien et réessayez.", "Dieses Formular kam nicht von dieser Seite. Öffnen Sie den Link erneut und versuchen Sie es noch einmal.", "This form did not come from this page. Open the link again and try once more."},
	"err.conflict":                {"Deze doorverwijzing veranderde intussen. Open de link opnieuw.", "Cette orientation a changé entre-temps. Ouvrez à nouveau le lien.", "Diese Überweisung hat sich inzwischen geändert. Öffnen Sie den Link erneut.", "This referral changed meanwhile. Open the link again."},
	"err.time_gap":                {"Dit uur bestaat niet in Brussel: die nacht gaat de klok vooruit.", "Cette heure n'existe pas à Bruxelles : l'horloge avance cette nuit-là.", "Diese Uhrzeit gibt es in Brüssel nicht: In dieser Nacht wird die Uhr vorgestellt.", "This time does not exist in Brussels: the clocks go forward that night."},
	"err.date_time":               {"Vul een geldige datum en een geldig uur in, of laat beide leeg.", "Indiquez une date et une heure valables, ou laissez les deux vides.", "Geben Sie ein gültiges Datum und eine gültige Uhrzeit an oder lassen Sie beides leer.", "Fill in a valid date and time, or leave both empty."},
	"err.retry":                   {"Dat lukt nu niet. Probeer het over enkele minuten opnieuw.", "Ce n'est pas possible pour le moment. Réessayez dans quelques minutes.", "Das ist gerade nicht möglich. Bitte versuchen Sie es in einigen Minuten erneut.", "That is not possible right now. Please try again in a few minutes."},
	"link.field.action":           {"Uw antwoord", "Votre réponse", "Ihre Antwort", "Your answer"},
}

func init() { maps.Copy(texts, linkTexts) }
