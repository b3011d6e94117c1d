package site

// tr is one text in the four languages.
type tr struct{ NL, FR, DE, EN string }

func (t tr) get(lang string) string {
	switch lang {
	case "nl":
		return t.NL
	case "fr":
		return t.FR
	case "de":
		return t.DE
	}
	return t.EN
}

// texts are the public pages' strings. A test checks that every key has
// all four languages and that every key the templates use exists.
var texts = map[string]tr{
	"site.tagline": {"Een brug naar zorg", "Un pont vers les soins", "Eine Brücke zur Versorgung", "A bridge to care"},
	"skip":         {"Naar de inhoud", "Aller au contenu", "Zum Inhalt", "Skip to content"},
	"nav.label":    {"Hoofdmenu", "Menu principal", "Hauptmenü", "Main menu"},
	"nav.home":     {"Home", "Accueil", "Startseite", "Home"},
	"nav.where":    {"Waar we werken", "Où nous travaillons", "Wo wir arbeiten", "Where we work"},
	"nav.contact":  {"Contact", "Contact", "Kontakt", "Contact"},
	"nav.privacy":  {"Privacy", "Vie privée", "Datenschutz", "Privacy"},
	"nav.signin":   {"Aanmelden voor medewerkers", "Connexion du personnel", "Anmeldung für Mitarbeitende", "Staff sign-in"},
	"lang.label":   {"Taal", "Langue", "Sprache", "Language"},
	"footer.who": {
		"Brug is het programma van gezondheidsbegeleiders (community health workers), samen georganiseerd door de Belgische ziekenfondsen.",
		"Brug est le programme des agents de santé communautaires (community health workers), organisé ensemble par les mutualités belges.",
		"Brug ist das Programm der Gesundheitslotsen (Community Health Workers), gemeinsam getragen von den belgischen Krankenkassen.",
		"Brug is the community health worker programme, run together by the Belgian health insurance funds.",
	},
	"footer.free": {"Een beroep doen op een CHW is altijd gratis.", "Faire appel à un CHW est toujours gratuit.", "Die Hilfe eines CHW ist immer kostenlos.", "Calling on a CHW is always free."},

	"home.title": {"Gezondheidsbegeleiders: een brug naar zorg", "Agents de santé communautaires : un pont vers les soins", "Gesundheitslotsen: eine Brücke zur Versorgung", "Community health workers: a bridge to care"},
	"home.description": {
		"Een community health worker (CHW) helpt je gratis de weg te vinden naar een huisarts, tandarts, psycholoog, apotheek, je ziekenfonds of Kind en Gezin.",
		"Un community health worker (CHW) vous aide gratuitement à trouver le chemin vers un médecin généraliste, un dentiste, un psychologue, une pharmacie, votre mutualité ou l'ONE.",
		"Ein Community Health Worker (CHW) hilft Ihnen kostenlos, den Weg zu Hausarzt, Zahnarzt, Psychologe, Apotheke, Krankenkasse oder Kind und Familie zu finden.",
		"A community health worker (CHW) helps you, free of charge, find your way to a GP, a dentist, a psychologist, a pharmacy, your health insurance fund or child and family care.",
	},
	"home.lead": {
		"Een community health worker (CHW) helpt mensen de weg te vinden naar zorg: een huisarts, een tandarts, een psycholoog, een apotheek, het ziekenfonds, Kind en Gezin.",
		"Un community health worker (CHW) aide les personnes à trouver le chemin des soins : un médecin généraliste, un dentiste, un psychologue, une pharmacie, la mutualité, l'ONE.",
		"Ein Community Health Worker (CHW) hilft Menschen, den Weg zur Versorgung zu finden: zum Hausarzt, zum Zahnarzt, zum Psychologen, zur Apotheke, zur Krankenkasse, zu Kind und Familie.",
		"A community health worker (CHW) helps people find their way to care: a GP, a dentist, a psychologist, a pharmacy, the health insurance fund, child and family care.",
	},
	"home.free.h": {"Altijd gratis", "Toujours gratuit", "Immer kostenlos", "Always free"},
	"home.free.p": {
		"Een beroep doen op een CHW kost niets, ook niet als je geen papieren hebt of niet weet bij welk ziekenfonds je bent.",
		"Faire appel à un CHW ne coûte rien, même si vous n'avez pas de papiers ou ne savez pas à quelle mutualité vous êtes affilié.",
		"Die Hilfe eines CHW kostet nichts, auch wenn Sie keine Papiere haben oder nicht wissen, bei welcher Krankenkasse Sie sind.",
		"Calling on a CHW costs nothing, even if you have no papers or do not know which health insurance fund you belong to.",
	},
	"home.what.h": {"Wat doet een CHW?", "Que fait un CHW ?", "Was macht ein CHW?", "What does a CHW do?"},
	"home.what.p": {
		"CHW's gaan naar de mensen toe: thuis, op straat, in buurthuizen. Ze luisteren, leggen uit, herinneren je aan afspraken en gaan mee als dat nodig is. Wat ze aan drempels zien, melden ze aan het beleid.",
		"Les CHW vont vers les gens : à domicile, dans la rue, dans les maisons de quartier. Ils écoutent, expliquent, rappellent les rendez-vous et vous accompagnent si nécessaire. Les obstacles qu'ils constatent, ils les signalent aux décideurs.",
		"CHW gehen zu den Menschen: nach Hause, auf die Straße, in Nachbarschaftshäuser. Sie hören zu, erklären, erinnern an Termine und begleiten Sie, wenn nötig. Hürden, die sie sehen, melden sie der Politik.",
		"CHWs go where people are: at home, in the street, in neighbourhood centres. They listen, explain, remind you of appointments and go along when needed. The barriers they see, they report to policy makers.",
	},
	"home.missions.h": {"Onze vijf opdrachten", "Nos cinq missions", "Unsere fünf Aufgaben", "Our five missions"},
	"home.who.h":      {"Wie zijn we?", "Qui sommes-nous ?", "Wer sind wir?", "Who are we?"},
	"home.who.p": {
		"Het programma wordt samen gedragen door de Belgische ziekenfondsen. Ongeveer vijftig CHW's werken in Vlaanderen, Wallonië, Brussel en de Duitstalige Gemeenschap. Je hoeft bij geen bepaald ziekenfonds aangesloten te zijn.",
		"Le programme est porté ensemble par les mutualités belges. Une cinquantaine de CHW travaillent en Flandre, en Wallonie, à Bruxelles et en Communauté germanophone. Il ne faut être affilié à aucune mutualité en particulier.",
		"Das Programm wird gemeinsam von den belgischen Krankenkassen getragen. Rund fünfzig CHW arbeiten in Flandern, der Wallonie, Brüssel und der Deutschsprachigen Gemeinschaft. Sie müssen bei keiner bestimmten Krankenkasse Mitglied sein.",
		"The programme is run together by the Belgian health insurance funds. About fifty CHWs work in Flanders, Wallonia, Brussels and the German-speaking Community. You do not need to belong to any particular fund.",
	},
	"home.cta.help":   {"Vraag een CHW", "Demander un CHW", "Einen CHW anfragen", "Ask for a CHW"},
	"home.cta.where":  {"Bekijk waar we werken", "Voir où nous travaillons", "Sehen, wo wir arbeiten", "See where we work"},
	"home.cta.collab": {"Samenwerken als organisatie of zorgverlener", "Collaborer en tant qu'organisation ou prestataire", "Als Organisation oder Fachkraft zusammenarbeiten", "Collaborate as an organisation or caregiver"},

	"where.title": {"Waar we werken", "Où nous travaillons", "Wo wir arbeiten", "Where we work"},
	"where.description": {
		"De steden, gemeenten en wijken waar de community health workers van Brug werken, en welk team je buurt bedient.",
		"Les villes, communes et quartiers où travaillent les community health workers de Brug, et quelle équipe couvre votre quartier.",
		"Die Städte, Gemeinden und Viertel, in denen die Community Health Workers von Brug arbeiten, und welches Team Ihr Viertel betreut.",
		"The cities, municipalities and neighbourhoods where Brug's community health workers work, and which team covers yours.",
	},
	"where.lead":         {"Onze teams werken in deze gemeenten en wijken.", "Nos équipes travaillent dans ces communes et quartiers.", "Unsere Teams arbeiten in diesen Gemeinden und Vierteln.", "Our teams work in these municipalities and neighbourhoods."},
	"where.search.label": {"Typ je wijk of gemeente", "Tapez votre quartier ou votre commune", "Geben Sie Ihr Viertel oder Ihre Gemeinde ein", "Type your neighbourhood or municipality"},
	"where.search.go":    {"Zoeken", "Chercher", "Suchen", "Search"},
	"where.results":      {"Resultaten voor “%s”", "Résultats pour « %s »", "Ergebnisse für „%s“", "Results for “%s”"},
	"where.none": {
		"We vonden geen team voor “%s”. Neem toch contact op: we zeggen je wie kan helpen.",
		"Nous n'avons trouvé aucune équipe pour « %s ». Contactez-nous quand même : nous vous dirons qui peut aider.",
		"Wir haben kein Team für „%s“ gefunden. Schreiben Sie uns trotzdem: Wir sagen Ihnen, wer helfen kann.",
		"We found no team for “%s”. Contact us anyway: we will tell you who can help.",
	},
	"where.covers":         {"%s: team %s", "%s : équipe %s", "%s: Team %s", "%s: team %s"},
	"where.team":           {"Team %s", "Équipe %s", "Team %s", "Team %s"},
	"where.municipalities": {"Gemeenten en wijken", "Communes et quartiers", "Gemeinden und Viertel", "Municipalities and neighbourhoods"},
	"where.whole":          {"de hele gemeente", "toute la commune", "die ganze Gemeinde", "the whole municipality"},
	"where.outreach":       {"Dit team werkt niet per wijk, maar via: %s", "Cette équipe ne travaille pas par quartier, mais via : %s", "Dieses Team arbeitet nicht nach Vierteln, sondern über: %s", "This team works not by neighbourhood but through: %s"},
	"where.count":          {"%d team(s) gevonden", "%d équipe(s) trouvée(s)", "%d Team(s) gefunden", "%d team(s) found"},
	"where.ask":            {"Vraag een CHW in deze buurt", "Demander un CHW dans ce quartier", "Einen CHW in diesem Viertel anfragen", "Ask for a CHW in this area"},

	"contact.title": {"Contact", "Contact", "Kontakt", "Contact"},
	"contact.description": {
		"Vraag de hulp van een community health worker, bied samenwerking aan of stel een vraag. Gratis, in het Nederlands, Frans, Duits of Engels.",
		"Demandez l'aide d'un community health worker, proposez une collaboration ou posez une question. Gratuit, en français, néerlandais, allemand ou anglais.",
		"Bitten Sie um die Hilfe eines Community Health Workers, bieten Sie eine Zusammenarbeit an oder stellen Sie eine Frage. Kostenlos, auf Deutsch, Niederländisch, Französisch oder Englisch.",
		"Ask for the help of a community health worker, offer to collaborate or ask a question. Free, in Dutch, French, German or English.",
	},
	"contact.lead": {
		"Vertel ons wat je nodig hebt. Een coördinator leest elke vraag en antwoordt binnen 3 werkdagen.",
		"Dites-nous ce dont vous avez besoin. Un coordinateur lit chaque demande et répond dans les 3 jours ouvrables.",
		"Sagen Sie uns, was Sie brauchen. Eine Koordinatorin oder ein Koordinator liest jede Anfrage und antwortet innerhalb von 3 Werktagen.",
		"Tell us what you need. A coordinator reads every request and answers within 3 working days.",
	},
	"contact.required":        {"Velden met * zijn verplicht.", "Les champs marqués * sont obligatoires.", "Felder mit * sind Pflichtfelder.", "Fields marked * are required."},
	"contact.kind":            {"Wat is je vraag?", "Quelle est votre demande ?", "Worum geht es?", "What is your request?"},
	"kind.want_chw":           {"Ik wil de hulp van een CHW", "Je voudrais l'aide d'un CHW", "Ich möchte die Hilfe eines CHW", "I want the help of a CHW"},
	"kind.collaboration":      {"We willen samenwerken als organisatie of zorgverlener", "Nous voulons collaborer en tant qu'organisation ou prestataire de soins", "Wir möchten als Organisation oder Fachkraft zusammenarbeiten", "We want to collaborate as an organisation or caregiver"},
	"kind.question":           {"Ik heb een vraag of opmerking over het werk van de CHW's", "J'ai une question ou une remarque sur le travail des CHW", "Ich habe eine Frage oder Anmerkung zur Arbeit der CHW", "I have a question or remark about the CHWs' work"},
	"field.name":              {"Je naam", "Votre nom", "Ihr Name", "Your name"},
	"field.organisation":      {"Organisatie", "Organisation", "Organisation", "Organisation"},
	"field.organisation.hint": {"Alleen bij een aanbod tot samenwerking.", "Uniquement pour une proposition de collaboration.", "Nur bei einem Angebot zur Zusammenarbeit.", "Only for an offer to collaborate."},
	"field.reach":             {"Hoe bereiken we je?", "Comment vous joindre ?", "Wie erreichen wir Sie?", "How can we reach you?"},
	"field.reach.hint":        {"Geef een telefoonnummer, een e-mailadres of beide.", "Indiquez un numéro de téléphone, une adresse e-mail ou les deux.", "Geben Sie eine Telefonnummer, eine E-Mail-Adresse oder beides an.", "Give a phone number, an e-mail address, or both."},
	"field.phone":             {"Telefoonnummer", "Numéro de téléphone", "Telefonnummer", "Phone number"},
	"field.email":             {"E-mailadres", "Adresse e-mail", "E-Mail-Adresse", "E-mail address"},
	"field.area":              {"Gemeente of wijk", "Commune ou quartier", "Gemeinde oder Viertel", "Municipality or neighbourhood"},
	"field.area.hint":         {"Waar woon je? Nodig als je een CHW vraagt.", "Où habitez-vous ? Nécessaire si vous demandez un CHW.", "Wo wohnen Sie? Nötig, wenn Sie einen CHW anfragen.", "Where do you live? Needed when you ask for a CHW."},
	"field.language":          {"In welke taal nemen we contact op?", "Dans quelle langue vous contacter ?", "In welcher Sprache sollen wir Sie kontaktieren?", "In which language should we contact you?"},
	"field.message":           {"Je bericht", "Votre message", "Ihre Nachricht", "Your message"},
	"field.message.hint":      {"Je hoeft hier geen medische details te geven. Gewone tekst, maximaal %d tekens.", "Inutile de donner des détails médicaux ici. Texte simple, %d caractères au maximum.", "Medizinische Einzelheiten sind hier nicht nötig. Einfacher Text, höchstens %d Zeichen.", "No need to share medical details here. Plain text, at most %d characters."},
	"field.consent":           {"Ik heb de privacytekst gelezen en ga ermee akkoord dat Brug deze gegevens bewaart om mijn vraag te behandelen.", "J'ai lu le texte sur la vie privée et j'accepte que Brug conserve ces données pour traiter ma demande.", "Ich habe den Datenschutztext gelesen und bin einverstanden, dass Brug diese Angaben zur Bearbeitung meiner Anfrage speichert.", "I have read the privacy text and agree that Brug keeps these details to handle my request."},
	"field.consent.read":      {"Lees de privacytekst (versie %s)", "Lire le texte sur la vie privée (version %s)", "Datenschutztext lesen (Version %s)", "Read the privacy text (version %s)"},
	"field.website":           {"Laat dit veld leeg", "Laissez ce champ vide", "Dieses Feld leer lassen", "Leave this field empty"},
	"contact.send":            {"Versturen", "Envoyer", "Senden", "Send"},
	"contact.errors":          {"Controleer deze velden:", "Vérifiez ces champs :", "Bitte prüfen Sie diese Felder:", "Please check these fields:"},
	"lang.nl":                 {"Nederlands", "Néerlandais", "Niederländisch", "Dutch"},
	"lang.fr":                 {"Frans", "Français", "Französisch", "French"},
	"lang.de":                 {"Duits", "Allemand", "Deutsch", "German"},
	"lang.en":                 {"Engels", "Anglais", "Englisch", "English"},

	"err.required":         {"Vul dit veld in.", "Remplissez ce champ.", "Bitte füllen Sie dieses Feld aus.", "Please fill in this field."},
	"err.contact_required": {"Geef een telefoonnummer of een e-mailadres.", "Indiquez un numéro de téléphone ou une adresse e-mail.", "Geben Sie eine Telefonnummer oder eine E-Mail-Adresse an.", "Give a phone number or an e-mail address."},
	"err.phone":            {"Dit is geen geldig telefoonnummer, bijvoorbeeld 0470 12 34 56.", "Ce n'est pas un numéro valide, par exemple 0470 12 34 56.", "Das ist keine gültige Nummer, zum Beispiel 0470 12 34 56.", "This is not a valid phone number, for example 0470 12 34 56."},
	"err.email":            {"Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.be.", "Ce n'est pas une adresse valide, par exemple nom@exemple.be.", "Das ist keine gültige Adresse, zum Beispiel name@beispiel.be.", "This is not a valid e-mail address, for example name@example.be."},
	"err.max":              {"Dit is te lang: maximaal %d tekens.", "C'est trop long : %d caractères au maximum.", "Das ist zu lang: höchstens %d Zeichen.", "This is too long: at most %d characters."},
	"err.html":             {"Schrijf gewone tekst, zonder HTML-code.", "Écrivez du texte simple, sans code HTML.", "Bitte schreiben Sie einfachen Text ohne HTML-Code.", "Please write plain text, without HTML code."},
	"err.control":          {"Dit veld bevat tekens die niet toegelaten zijn.", "Ce champ contient des caractères non autorisés.", "Dieses Feld enthält unzulässige Zeichen.", "This field contains characters that are not allowed."},
	"err.characters":       {"Dit veld bevat tekens die niet toegelaten zijn (onzichtbare tekens, stuurtekens of een nieuwe regel).", "Ce champ contient des caractères non autorisés (caractères invisibles, de contrôle ou un retour à la ligne).", "Dieses Feld enthält unzulässige Zeichen (unsichtbare Zeichen, Steuerzeichen oder einen Zeilenumbruch).", "This field contains characters that are not allowed (invisible or control characters, or a line break)."},
	"err.encoding":         {"Deze tekst is beschadigd. Typ hem opnieuw.", "Ce texte est endommagé. Retapez-le.", "Dieser Text ist beschädigt. Bitte tippen Sie ihn neu.", "This text is damaged. Please type it again."},
	"err.visible_letter":   {"Een naam moet minstens één letter bevatten.", "Un nom doit contenir au moins une lettre.", "Ein Name muss mindestens einen Buchstaben enthalten.", "A name must contain at least one letter."},
	"err.oneof":            {"Kies een van de mogelijkheden.", "Choisissez l'une des options.", "Bitte wählen Sie eine der Möglichkeiten.", "Please choose one of the options."},
	"err.consent.required": {"Vink het vakje aan om akkoord te gaan met de privacytekst.", "Cochez la case pour accepter le texte sur la vie privée.", "Kreuzen Sie das Kästchen an, um dem Datenschutztext zuzustimmen.", "Tick the box to accept the privacy text."},
	"err.consent.version":  {"De privacytekst is gewijzigd. Lees hem opnieuw en vink het vakje opnieuw aan.", "Le texte sur la vie privée a changé. Relisez-le et cochez à nouveau la case.", "Der Datenschutztext wurde geändert. Bitte lesen Sie ihn erneut und kreuzen Sie das Kästchen erneut an.", "The privacy text has changed. Please read it again and tick the box again."},
	"err.honeypot":         {"Dit formulier lijkt automatisch ingevuld. Laat het laatste veld leeg en verstuur opnieuw.", "Ce formulaire semble rempli automatiquement. Laissez le dernier champ vide et renvoyez.", "Dieses Formular scheint automatisch ausgefüllt. Lassen Sie das letzte Feld leer und senden Sie erneut.", "This form looks as if it was filled in automatically. Leave the last field empty and send again."},
	"err.rate": {
		"Je hebt op korte tijd veel berichten verstuurd. Probeer het over %d minuten opnieuw, of bel ons.",
		"Vous avez envoyé beaucoup de messages en peu de temps. Réessayez dans %d minutes, ou appelez-nous.",
		"Sie haben in kurzer Zeit viele Nachrichten gesendet. Versuchen Sie es in %d Minuten erneut oder rufen Sie uns an.",
		"You have sent many messages in a short time. Please try again in %d minutes, or call us.",
	},
	"err.too_large":   {"Je bericht is te groot om te versturen.", "Votre message est trop volumineux pour être envoyé.", "Ihre Nachricht ist zu groß zum Senden.", "Your message is too large to send."},
	"err.unavailable": {"Versturen lukt nu niet. Probeer het over enkele minuten opnieuw.", "L'envoi est impossible pour le moment. Réessayez dans quelques minutes.", "Das Senden ist gerade nicht möglich. Bitte versuchen Sie es in einigen Minuten erneut.", "Sending is not possible right now. Please try again in a few minutes."},

	"sent.title":     {"Bedankt, we hebben je vraag ontvangen", "Merci, nous avons reçu votre demande", "Danke, wir haben Ihre Anfrage erhalten", "Thank you, we received your request"},
	"sent.team":      {"Een coördinator van team %s neemt binnen 3 werkdagen contact met je op.", "Un coordinateur de l'équipe %s vous contactera dans les 3 jours ouvrables.", "Eine Koordinatorin oder ein Koordinator des Teams %s meldet sich innerhalb von 3 Werktagen.", "A coordinator of team %s will contact you within 3 working days."},
	"sent.noteam":    {"Een coördinator neemt binnen 3 werkdagen contact met je op.", "Un coordinateur vous contactera dans les 3 jours ouvrables.", "Eine Koordinatorin oder ein Koordinator meldet sich innerhalb von 3 Werktagen.", "A coordinator will contact you within 3 working days."},
	"sent.emailed":   {"We stuurden deze bevestiging ook naar je e-mailadres.", "Nous avons aussi envoyé cette confirmation à votre adresse e-mail.", "Wir haben diese Bestätigung auch an Ihre E-Mail-Adresse gesendet.", "We also sent this confirmation to your e-mail address."},
	"sent.withdraw":  {"Van gedachten veranderd? Met deze link trek je je toestemming op elk moment in. Bewaar hem goed:", "Vous avez changé d'avis ? Avec ce lien, vous pouvez retirer votre consentement à tout moment. Conservez-le :", "Meinung geändert? Mit diesem Link können Sie Ihre Einwilligung jederzeit widerrufen. Bewahren Sie ihn auf:", "Changed your mind? With this link you can withdraw your consent at any time. Keep it safe:"},
	"withdraw.title": {"Toestemming intrekken", "Retirer votre consentement", "Einwilligung widerrufen", "Withdraw your consent"},
	"withdraw.p": {
		"Als je je toestemming intrekt, wissen we de gegevens die je ons stuurde. Wat we er eerder mee deden, blijft rechtmatig.",
		"Si vous retirez votre consentement, nous effaçons les données que vous nous avez envoyées. Ce que nous en avons fait auparavant reste licite.",
		"Wenn Sie Ihre Einwilligung widerrufen, löschen wir die Angaben, die Sie uns gesendet haben. Was zuvor damit geschah, bleibt rechtmäßig.",
		"If you withdraw your consent, we delete the details you sent us. What we did with them before stays lawful.",
	},
	"withdraw.button": {"Mijn toestemming intrekken", "Retirer mon consentement", "Meine Einwilligung widerrufen", "Withdraw my consent"},
	"withdraw.done":   {"Je toestemming is ingetrokken en je gegevens zijn gewist.", "Votre consentement a été retiré et vos données ont été effacées.", "Ihre Einwilligung wurde widerrufen und Ihre Angaben wurden gelöscht.", "Your consent has been withdrawn and your details have been deleted."},
	"withdraw.converted": {
		"Je toestemming is ingetrokken en de gegevens van je aanvraag zijn gewist. We vragen je CHW om contact met je op te nemen. Je dossier bij de CHW volgt de toestemmingen die je daar gaf; die kan je met je CHW wijzigen.",
		"Votre consentement a été retiré et les données de votre demande ont été effacées. Nous demandons à votre CHW de vous contacter. Votre dossier chez le CHW suit les consentements que vous lui avez donnés ; vous pouvez les modifier avec lui.",
		"Ihre Einwilligung wurde widerrufen und die Angaben Ihrer Anfrage wurden gelöscht. Wir bitten Ihren CHW, sich bei Ihnen zu melden. Ihre Akte beim CHW folgt den Einwilligungen, die Sie dort gegeben haben; Sie können sie mit Ihrem CHW ändern.",
		"Your consent has been withdrawn and the details of your request have been deleted. We are asking your CHW to contact you. Your file with the CHW follows the consents you gave them; you can change those with your CHW.",
	},
	"withdraw.p.converted": {
		"Een CHW helpt je al met deze aanvraag. Als je je toestemming intrekt, wissen we de gegevens van je aanvraag en vragen we je CHW om contact met je op te nemen. Je dossier bij de CHW blijft bestaan en volgt de toestemmingen die je daar gaf. Wat we eerder deden, blijft rechtmatig.",
		"Un CHW vous aide déjà pour cette demande. Si vous retirez votre consentement, nous effaçons les données de votre demande et demandons à votre CHW de vous contacter. Votre dossier chez le CHW reste et suit les consentements que vous lui avez donnés. Ce que nous avons fait auparavant reste licite.",
		"Ein CHW hilft Ihnen bereits bei dieser Anfrage. Wenn Sie Ihre Einwilligung widerrufen, löschen wir die Angaben Ihrer Anfrage und bitten Ihren CHW, sich bei Ihnen zu melden. Ihre Akte beim CHW bleibt bestehen und folgt den Einwilligungen, die Sie dort gegeben haben. Was zuvor geschah, bleibt rechtmäßig.",
		"A CHW is already helping you with this request. If you withdraw your consent, we delete the details of your request and ask your CHW to contact you. Your file with the CHW stays and follows the consents you gave them. What we did before stays lawful.",
	},
	"withdraw.already": {"Je hebt je toestemming al ingetrokken op %s.", "Vous avez déjà retiré votre consentement le %s.", "Sie haben Ihre Einwilligung bereits am %s widerrufen.", "You already withdrew your consent on %s."},
	"withdraw.invalid": {"Deze link is niet geldig. Controleer of je de volledige link hebt gekopieerd.", "Ce lien n'est pas valide. Vérifiez que vous avez copié le lien complet.", "Dieser Link ist ungültig. Prüfen Sie, ob Sie den ganzen Link kopiert haben.", "This link is not valid. Check that you copied the whole link."},
	"back.home":        {"Terug naar de startpagina", "Retour à l'accueil", "Zurück zur Startseite", "Back to the home page"},

	"privacy.title": {"Privacy: wat we doen met je gegevens", "Vie privée : ce que nous faisons de vos données", "Datenschutz: was wir mit Ihren Angaben tun", "Privacy: what we do with your details"},
	"privacy.description": {
		"Hoe Brug de gegevens van het contactformulier gebruikt, hoe lang we ze bewaren en hoe je je toestemming intrekt.",
		"Comment Brug utilise les données du formulaire de contact, combien de temps nous les conservons et comment retirer votre consentement.",
		"Wie Brug die Angaben aus dem Kontaktformular verwendet, wie lange wir sie speichern und wie Sie Ihre Einwilligung widerrufen.",
		"How Brug uses the details from the contact form, how long we keep them and how to withdraw your consent.",
	},
	"privacy.version": {"Versie %s", "Version %s", "Version %s", "Version %s"},

	"notfound.title": {"Pagina niet gevonden", "Page introuvable", "Seite nicht gefunden", "Page not found"},
	"notfound.p":     {"Deze pagina bestaat niet (meer).", "Cette page n'existe pas (ou plus).", "Diese Seite gibt es nicht (mehr).", "This page does not exist (any more)."},

	"mail.subject": {"Je vraag aan Brug", "Votre demande à Brug", "Ihre Anfrage an Brug", "Your request to Brug"},
	"mail.body": {
		"Goeiedag,\n\nWe hebben je vraag goed ontvangen. Een coördinator neemt binnen 3 werkdagen contact met je op.\n\nVan gedachten veranderd? Met deze link trek je je toestemming in:\n%s\nDan wissen we de gegevens van je aanvraag. Helpt een CHW je al, dan vragen we die om contact met je op te nemen; je dossier bij de CHW volgt de toestemmingen die je daar geeft.\n\nMet vriendelijke groeten,\nhet team van Brug",
		"Bonjour,\n\nNous avons bien reçu votre demande. Un coordinateur vous contactera dans les 3 jours ouvrables.\n\nVous avez changé d'avis ? Avec ce lien, vous retirez votre consentement :\n%s\nNous effaçons alors les données de votre demande. Si un CHW vous aide déjà, nous lui demandons de vous contacter ; votre dossier chez le CHW suit les consentements que vous lui donnez.\n\nBien cordialement,\nl'équipe Brug",
		"Guten Tag,\n\nwir haben Ihre Anfrage erhalten. Eine Koordinatorin oder ein Koordinator meldet sich innerhalb von 3 Werktagen.\n\nMeinung geändert? Mit diesem Link widerrufen Sie Ihre Einwilligung:\n%s\nDann löschen wir die Angaben Ihrer Anfrage. Hilft Ihnen bereits ein CHW, bitten wir ihn, sich bei Ihnen zu melden; Ihre Akte beim CHW folgt den Einwilligungen, die Sie dort geben.\n\nMit freundlichen Grüßen\nIhr Brug-Team",
		"Hello,\n\nWe have received your request. A coordinator will contact you within 3 working days.\n\nChanged your mind? With this link you withdraw your consent:\n%s\nWe then delete the details of your request. If a CHW is already helping you, we ask them to contact you; your file with the CHW follows the consents you give them there.\n\nKind regards,\nthe Brug team",
	},
}

// consentTexts are the privacy texts the form's tick box refers to, by
// version. A new version is added, never edited, so that what a visitor
// accepted can always be shown again.
var consentTexts = map[string][]tr{
	"2026-11": {
		{"Brug is het programma van community health workers (CHW's), samen georganiseerd door de Belgische ziekenfondsen. Zij zijn verantwoordelijk voor je gegevens.",
			"Brug est le programme des community health workers (CHW), organisé ensemble par les mutualités belges. Elles sont responsables de vos données.",
			"Brug ist das Programm der Community Health Workers (CHW), gemeinsam getragen von den belgischen Krankenkassen. Sie sind für Ihre Angaben verantwortlich.",
			"Brug is the community health worker (CHW) programme, run together by the Belgian health insurance funds. They are responsible for your details."},
		{"We gebruiken wat je in het formulier invult (naam, telefoon of e-mail, gemeente of wijk, taal en bericht) alleen om je vraag te behandelen: om je te contacteren, je naar het juiste team te sturen of een samenwerking te bespreken.",
			"Nous utilisons ce que vous indiquez dans le formulaire (nom, téléphone ou e-mail, commune ou quartier, langue et message) uniquement pour traiter votre demande : vous contacter, vous orienter vers la bonne équipe ou discuter d'une collaboration.",
			"Wir verwenden, was Sie im Formular angeben (Name, Telefon oder E-Mail, Gemeinde oder Viertel, Sprache und Nachricht), nur zur Bearbeitung Ihrer Anfrage: um Sie zu kontaktieren, Sie an das richtige Team weiterzuleiten oder eine Zusammenarbeit zu besprechen.",
			"We use what you fill in (name, phone or e-mail, municipality or neighbourhood, language and message) only to handle your request: to contact you, to pass it to the right team, or to discuss a collaboration."},
		{"Alleen de coördinatoren van het team dat je buurt bedient, lezen je vraag. We delen je gegevens met niemand anders en gebruiken ze niet voor reclame.",
			"Seuls les coordinateurs de l'équipe qui couvre votre quartier lisent votre demande. Nous ne partageons vos données avec personne d'autre et ne les utilisons pas à des fins publicitaires.",
			"Nur die Koordinatorinnen und Koordinatoren des Teams, das Ihr Viertel betreut, lesen Ihre Anfrage. Wir geben Ihre Angaben an niemanden sonst weiter und nutzen sie nicht für Werbung.",
			"Only the coordinators of the team that covers your area read your request. We share your details with nobody else and never use them for advertising."},
		{"Zodra je vraag behandeld is, bewaren we je gegevens nog 6 maanden; daarna worden ze gewist. Word je begeleid door een CHW, dan bespreekt die met jou welke gegevens in je dossier komen.",
			"Une fois votre demande traitée, nous conservons vos données encore 6 mois ; ensuite, elles sont effacées. Si un CHW vous accompagne, il discutera avec vous des données qui figurent dans votre dossier.",
			"Nach Bearbeitung Ihrer Anfrage speichern wir Ihre Angaben noch 6 Monate; danach werden sie gelöscht. Begleitet Sie ein CHW, bespricht er mit Ihnen, welche Angaben in Ihre Akte kommen.",
			"Once your request has been handled, we keep your details for 6 more months; then they are deleted. If a CHW supports you, they will discuss with you which details go into your file."},
		{"Je kunt je toestemming op elk moment intrekken via de link die je na het versturen krijgt. We wissen dan je gegevens, tenzij een CHW je al begeleidt. Intrekken maakt wat we eerder met je gegevens deden niet onrechtmatig.",
			"Vous pouvez retirer votre consentement à tout moment via le lien reçu après l'envoi. Nous effaçons alors vos données, sauf si un CHW vous accompagne déjà. Le retrait ne rend pas illicite ce que nous avons fait auparavant avec vos données.",
			"Sie können Ihre Einwilligung jederzeit über den Link widerrufen, den Sie nach dem Senden erhalten. Wir löschen dann Ihre Angaben, außer ein CHW begleitet Sie bereits. Der Widerruf macht die vorherige Verarbeitung nicht unrechtmäßig.",
			"You can withdraw your consent at any time with the link you receive after sending. We then delete your details, unless a CHW is already supporting you. Withdrawing does not make what we did with your details before unlawful."},
		{"Je hebt het recht je gegevens in te zien, te laten verbeteren of wissen. Heb je een klacht, dan kun je terecht bij de Gegevensbeschermingsautoriteit (www.gegevensbeschermingsautoriteit.be).",
			"Vous avez le droit de consulter, faire corriger ou effacer vos données. En cas de plainte, vous pouvez vous adresser à l'Autorité de protection des données (www.autoriteprotectiondonnees.be).",
			"Sie haben das Recht, Ihre Angaben einzusehen, berichtigen oder löschen zu lassen. Bei Beschwerden können Sie sich an die Datenschutzbehörde wenden (www.datenschutzbehorde.be).",
			"You have the right to see, correct or delete your details. If you have a complaint, you can turn to the Belgian Data Protection Authority (www.dataprotectionauthority.be)."},
	},
}
