package demo

// The words of the demo programme, in the languages its teams work in
// (nl, fr, de): what clients need, what a CHW notes, why a barrier stands
// in the way, why a referral is made. Texts about one need stay together so
// a note, a referral reason and its provider type always agree.

// lang3 is one text in each language a team may work in.
type lang3 struct{ NL, FR, DE string }

func (l lang3) in(lang string) string {
	switch lang {
	case "fr":
		return l.FR
	case "de":
		return l.DE
	}
	return l.NL
}

// need is something a client needs help with: the visit topic it is noted
// under, the provider types a referral for it goes to (none: no referral),
// the reasons given on such referrals and the notes of visits about it.
type need struct {
	Code    string
	Topic   string
	Weight  int
	Types   []string
	Reasons []lang3
	Notes   []lang3
}

var needs = []need{
	{Code: "gp", Topic: "GP registration", Weight: 24, Types: []string{"gp", "gp", "gp", "community_health_centre"},
		Reasons: []lang3{
			{"Heeft nog geen huisarts; GMD openen", "N'a pas de médecin généraliste ; ouvrir un DMG", "Hat noch keinen Hausarzt; GMD eröffnen"},
			{"Zoekt een huisarts in de buurt met derdebetalersregeling", "Cherche un généraliste proche qui applique le tiers payant", "Sucht einen Hausarzt in der Nähe mit Drittzahlerregelung"},
		},
		Notes: []lang3{
			{"Uitgelegd wat een GMD is en waarom een consult dan goedkoper is.", "Expliqué ce qu'est le DMG et pourquoi la consultation coûte alors moins cher.", "Erklärt, was eine GMD ist und warum die Konsultation dann günstiger ist."},
			{"Samen een huisarts gezocht die nog nieuwe patiënten neemt.", "Cherché ensemble un généraliste qui accepte encore de nouveaux patients.", "Gemeinsam einen Hausarzt gesucht, der noch neue Patienten nimmt."},
			{"Afspraak bij de huisarts voorbereid; cliënt belt zelf.", "Rendez-vous chez le médecin préparé ; la personne appelle elle-même.", "Termin beim Hausarzt vorbereitet; der Klient ruft selbst an."},
		}},
	{Code: "dental", Topic: "dental care", Weight: 15, Types: []string{"dentist"},
		Reasons: []lang3{
			{"Al weken tandpijn", "Mal aux dents depuis des semaines", "Seit Wochen Zahnschmerzen"},
			{"Gebroken tand, durft niet naar de tandarts", "Dent cassée, a peur d'aller chez le dentiste", "Abgebrochener Zahn, traut sich nicht zum Zahnarzt"},
		},
		Notes: []lang3{
			{"Tandpijn besproken; uitgelegd dat een jaarlijkse controle bij de tandarts terugbetaald wordt.", "Parlé des douleurs dentaires ; expliqué que le contrôle annuel chez le dentiste est remboursé.", "Zahnschmerzen besprochen; erklärt, dass die jährliche Kontrolle beim Zahnarzt erstattet wird."},
			{"Een geconventioneerde tandarts gezocht.", "Cherché un dentiste conventionné.", "Einen vertragsgebundenen Zahnarzt gesucht."},
			{"Angst voor de tandarts besproken; aangeboden om mee te gaan.", "Parlé de la peur du dentiste ; proposé de l'accompagner.", "Über die Angst vor dem Zahnarzt gesprochen; Begleitung angeboten."},
		}},
	{Code: "mental", Topic: "mental health", Weight: 10, Types: []string{"psychologist", "psychologist", "mental_health_centre"},
		Reasons: []lang3{
			{"Somber, slaapt slecht", "Moral bas, dort mal", "Niedergeschlagen, schläft schlecht"},
			{"Veel stress en piekeren sinds de scheiding", "Beaucoup de stress et d'angoisses depuis la séparation", "Viel Stress und Grübeln seit der Trennung"},
		},
		Notes: []lang3{
			{"Gepraat over stress en slaap; eerstelijnspsycholoog voorgesteld (laag remgeld).", "Parlé du stress et du sommeil ; proposé un psychologue de première ligne (ticket modérateur réduit).", "Über Stress und Schlaf gesprochen; Psychologen der ersten Linie vorgeschlagen (geringe Eigenbeteiligung)."},
			{"Cliënt voelt zich iets beter; we blijven opvolgen.", "La personne se sent un peu mieux ; le suivi continue.", "Der Klient fühlt sich etwas besser; wir begleiten weiter."},
		}},
	{Code: "medication", Topic: "medication", Weight: 8, Types: []string{"pharmacy"},
		Reasons: []lang3{
			{"Medicatie nakijken, begrijpt het schema niet", "Revoir les médicaments, ne comprend pas le schéma", "Medikamente überprüfen, versteht den Plan nicht"},
		},
		Notes: []lang3{
			{"Medicatieschema samen overlopen.", "Parcouru ensemble le schéma des médicaments.", "Den Medikamentenplan gemeinsam durchgesehen."},
			{"Uitgelegd hoe je bij de apotheker goedkopere generieke medicatie vraagt.", "Expliqué comment demander des génériques moins chers à la pharmacie.", "Erklärt, wie man in der Apotheke günstigere Generika bekommt."},
		}},
	{Code: "insurance", Topic: "insurance fund", Weight: 14, Types: []string{"health_insurance_fund"},
		Reasons: []lang3{
			{"Niet in orde met het ziekenfonds; aansluiting regelen", "Pas en ordre de mutuelle ; régler l'affiliation", "Nicht bei der Krankenkasse in Ordnung; Anmeldung regeln"},
			{"Verhoogde tegemoetkoming aanvragen", "Demander l'intervention majorée", "Erhöhte Kostenbeteiligung beantragen"},
		},
		Notes: []lang3{
			{"Brieven van het ziekenfonds samen gelezen.", "Lu ensemble les courriers de la mutuelle.", "Die Briefe der Krankenkasse gemeinsam gelesen."},
			{"Documenten verzameld voor de aansluiting bij het ziekenfonds.", "Rassemblé les documents pour l'affiliation à la mutuelle.", "Unterlagen für die Anmeldung bei der Krankenkasse gesammelt."},
			{"Uitgelegd wat de verhoogde tegemoetkoming is en wie er recht op heeft.", "Expliqué l'intervention majorée et qui y a droit.", "Erklärt, was die erhöhte Kostenbeteiligung ist und wer Anspruch hat."},
		}},
	{Code: "child", Topic: "child and family", Weight: 6, Types: []string{"child_family"},
		Reasons: []lang3{
			{"Baby van drie maanden, nog niet bij het consultatiebureau geweest", "Bébé de trois mois, pas encore vu à la consultation ONE", "Baby von drei Monaten, noch nicht bei der Beratung von Kaleido"},
			{"Vaccinaties van de kinderen inhalen", "Rattraper les vaccinations des enfants", "Impfungen der Kinder nachholen"},
		},
		Notes: []lang3{
			{"Uitgelegd hoe het consultatiebureau van Kind en Gezin werkt (gratis).", "Expliqué le fonctionnement des consultations ONE (gratuites).", "Erklärt, wie die Beratung von Kaleido funktioniert (kostenlos)."},
			{"Vaccinatieboekje van de kinderen samen bekeken.", "Regardé ensemble le carnet de vaccination des enfants.", "Den Impfpass der Kinder gemeinsam angesehen."},
		}},
	{Code: "social", Topic: "costs", Weight: 8, Types: []string{"social_welfare"},
		Reasons: []lang3{
			{"Huurachterstand en onbetaalde ziekenhuisfacturen", "Arriérés de loyer et factures d'hôpital impayées", "Mietrückstand und unbezahlte Krankenhausrechnungen"},
			{"Steun van het OCMW vragen voor medische kosten", "Demander l'aide du CPAS pour les frais médicaux", "Hilfe des ÖSHZ für Arztkosten beantragen"},
		},
		Notes: []lang3{
			{"Facturen overlopen; een afbetalingsplan besproken.", "Parcouru les factures ; discuté d'un plan de paiement.", "Rechnungen durchgesehen; eine Ratenzahlung besprochen."},
			{"Uitgelegd wat het OCMW kan betalen (medische kaart).", "Expliqué ce que le CPAS peut prendre en charge (carte médicale).", "Erklärt, was das ÖSHZ übernehmen kann (Arztschein)."},
		}},
	{Code: "eyes", Topic: "eyes", Weight: 4, Types: []string{"specialist"},
		Reasons: []lang3{{"Ziet slecht, heeft een bril nodig; oogarts", "Voit mal, a besoin de lunettes ; ophtalmologue", "Sieht schlecht, braucht eine Brille; Augenarzt"}},
		Notes:   []lang3{{"Een oogarts gezocht met een korte wachttijd.", "Cherché un ophtalmologue avec un délai court.", "Einen Augenarzt mit kurzer Wartezeit gesucht."}}},
	{Code: "physio", Topic: "back pain", Weight: 3, Types: []string{"physiotherapist"},
		Reasons: []lang3{{"Rugpijn na het werk; kinesitherapie op voorschrift", "Mal de dos après le travail ; kinésithérapie sur prescription", "Rückenschmerzen nach der Arbeit; Physiotherapie auf Verschreibung"}},
		Notes:   []lang3{{"Rugpijn besproken; kinesitherapie kan met een voorschrift van de huisarts.", "Parlé du mal de dos ; la kinésithérapie est possible avec une prescription du médecin.", "Rückenschmerzen besprochen; Physiotherapie ist mit Verschreibung des Hausarztes möglich."}}},
	{Code: "hospital", Topic: "hospital follow-up", Weight: 3, Types: []string{"hospital"},
		Reasons: []lang3{{"Opvolging na ziekenhuisopname", "Suivi après une hospitalisation", "Nachsorge nach einem Krankenhausaufenthalt"}},
		Notes:   []lang3{{"Ontslagbrief van het ziekenhuis samen gelezen.", "Lu ensemble la lettre de sortie de l'hôpital.", "Den Entlassungsbrief des Krankenhauses gemeinsam gelesen."}}},
	{Code: "housing", Topic: "housing", Weight: 5,
		Notes: []lang3{{"Vochtige woning; de gevolgen voor de astma van de kinderen besproken.", "Logement humide ; parlé des effets sur l'asthme des enfants.", "Feuchte Wohnung; die Folgen für das Asthma der Kinder besprochen."}}},
	{Code: "digital", Topic: "digital", Weight: 4,
		Notes: []lang3{{"Geholpen met itsme en de eBox van de overheid.", "Aidé avec itsme et l'eBox des autorités.", "Bei itsme und der eBox der Behörden geholfen."}}},
}

// followUpNotes are notes of visits that only check how things go.
var followUpNotes = []lang3{
	{"Opvolgingsgesprek; het gaat goed.", "Entretien de suivi ; ça va bien.", "Folgegespräch; es geht gut."},
	{"Kort gebeld om te horen hoe het gaat.", "Appel rapide pour prendre des nouvelles.", "Kurz angerufen, um zu hören, wie es geht."},
	{"Samen de volgende stappen overlopen.", "Revu ensemble les prochaines étapes.", "Gemeinsam die nächsten Schritte besprochen."},
}

// barrierKind is a barrier category with how often CHWs meet it and what
// they write about it.
type barrierKind struct {
	Code   string
	Weight int
	Detail lang3
}

var barrierKinds = []barrierKind{
	{"financial", 24, lang3{"Kan het remgeld bij de huisarts niet voorschieten.", "Ne peut pas avancer le ticket modérateur chez le médecin.", "Kann die Eigenbeteiligung beim Arzt nicht vorstrecken."}},
	{"administrative", 20, lang3{"Begrijpt de brieven van de administratie niet; documenten ontbreken.", "Ne comprend pas les courriers administratifs ; des documents manquent.", "Versteht die Behördenbriefe nicht; Unterlagen fehlen."}},
	{"insurance_status", 10, lang3{"Niet in orde met het ziekenfonds.", "Pas en ordre de mutuelle.", "Bei der Krankenkasse nicht in Ordnung."}},
	{"language", 9, lang3{"Spreekt weinig Nederlands; heeft een tolk nodig bij de dokter.", "Parle peu le français ; a besoin d'un interprète chez le médecin.", "Spricht wenig Deutsch; braucht einen Dolmetscher beim Arzt."}},
	{"digital", 8, lang3{"Geen itsme; kan geen afspraken online maken.", "Pas d'itsme ; ne peut pas prendre rendez-vous en ligne.", "Kein itsme; kann keine Termine online buchen."}},
	{"health_literacy", 6, lang3{"Weet niet bij wie je met welke klacht terechtkunt.", "Ne sait pas à qui s'adresser pour quel problème.", "Weiß nicht, wohin man mit welcher Beschwerde geht."}},
	{"availability", 5, lang3{"Geen huisarts in de buurt die nog nieuwe patiënten neemt.", "Aucun médecin du quartier n'accepte de nouveaux patients.", "Kein Hausarzt in der Nähe nimmt neue Patienten."}},
	{"mobility", 4, lang3{"Kan de verplaatsing naar de afspraak niet betalen.", "Ne peut pas payer le trajet jusqu'au rendez-vous.", "Kann die Fahrt zum Termin nicht bezahlen."}},
	{"trust", 4, lang3{"Slechte ervaring gehad; vertrouwt dokters niet meer.", "Mauvaise expérience ; ne fait plus confiance aux médecins.", "Schlechte Erfahrung gemacht; vertraut Ärzten nicht mehr."}},
	{"residence_status", 4, lang3{"Zonder verblijfsvergunning; dringende medische hulp aanvragen.", "Sans titre de séjour ; demander l'aide médicale urgente.", "Ohne Aufenthaltstitel; dringende medizinische Hilfe beantragen."}},
	{"living_conditions", 4, lang3{"Vochtige, overbevolkte woning.", "Logement humide et surpeuplé.", "Feuchte, überbelegte Wohnung."}},
	{"care_duties", 3, lang3{"Zorgt alleen voor drie kinderen; geen tijd voor eigen afspraken.", "S'occupe seule de trois enfants ; pas de temps pour ses propres rendez-vous.", "Kümmert sich allein um drei Kinder; keine Zeit für eigene Termine."}},
	{"discrimination", 2, lang3{"Voelde zich niet welkom in een vorige praktijk.", "Ne s'est pas senti bienvenu dans un cabinet précédent.", "Fühlte sich in einer früheren Praxis nicht willkommen."}},
	{"other", 1, lang3{"Andere drempel; zie het gesprek.", "Autre obstacle ; voir l'entretien.", "Andere Hürde; siehe Gespräch."}},
}

// structuralOf: which structural text goes with a barrier category that
// CHWs signal to policy (other categories are not signalled in the demo).
var structuralOf = map[string]int{"availability": 0, "insurance_status": 1, "administrative": 1, "language": 2, "digital": 3}

// structural is what a CHW adds when they signal a barrier to policy.
var structural = []lang3{
	{"Structureel: in de wijk neemt geen enkele huisarts nog nieuwe patiënten aan. Gesignaleerd aan de eerstelijnszone.",
		"Structurel : aucun généraliste du quartier n'accepte encore de nouveaux patients. Signalé au conseil de santé local.",
		"Strukturell: Kein Hausarzt im Viertel nimmt noch neue Patienten an. An den lokalen Gesundheitsrat gemeldet."},
	{"Structureel: de aansluiting bij het ziekenfonds duurt maanden omdat de gemeente documenten traag aflevert. Gesignaleerd.",
		"Structurel : l'affiliation à la mutuelle prend des mois parce que la commune tarde à délivrer les documents. Signalé.",
		"Strukturell: Die Anmeldung bei der Krankenkasse dauert Monate, weil die Gemeinde Dokumente spät ausstellt. Gemeldet."},
	{"Structureel: geen tolken beschikbaar bij de tandartsen van de regio. Gesignaleerd aan het beleid.",
		"Structurel : pas d'interprètes disponibles chez les dentistes de la région. Signalé aux décideurs.",
		"Strukturell: Bei den Zahnärzten der Region sind keine Dolmetscher verfügbar. An die Politik gemeldet."},
	{"Structureel: afspraken bij de huisarts kunnen enkel nog online; zonder itsme lukt het niet. Gesignaleerd.",
		"Structurel : les rendez-vous chez le médecin ne se prennent plus qu'en ligne ; sans itsme c'est impossible. Signalé.",
		"Strukturell: Arzttermine gibt es nur noch online; ohne itsme geht es nicht. Gemeldet."},
}

var declineReasons = []lang3{
	{"Geen nieuwe patiënten deze maand", "Pas de nouveaux patients ce mois-ci", "Diesen Monat keine neuen Patienten"},
	{"Wachtlijst is afgesloten", "La liste d'attente est fermée", "Die Warteliste ist geschlossen"},
}

var closeReasons = []lang3{
	{"Doel bereikt: vaste huisarts en in orde met het ziekenfonds", "Objectif atteint : médecin traitant et mutuelle en ordre", "Ziel erreicht: fester Hausarzt und Krankenkasse in Ordnung"},
	{"Verhuisd naar een andere stad", "A déménagé dans une autre ville", "In eine andere Stadt umgezogen"},
	{"Wil geen begeleiding meer", "Ne souhaite plus d'accompagnement", "Möchte keine Begleitung mehr"},
}

var taskNotes = []lang3{
	{"Bellen om te horen hoe de afspraak ging", "Appeler pour savoir comment s'est passé le rendez-vous", "Anrufen und fragen, wie der Termin war"},
	{"Formulier van het ziekenfonds meebrengen", "Apporter le formulaire de la mutuelle", "Das Formular der Krankenkasse mitbringen"},
	{"Nagaan of het GMD geopend is", "Vérifier que le DMG est ouvert", "Prüfen, ob die GMD eröffnet ist"},
}

// ReasonProviderTypes maps every referral reason the demo writes, in every
// language, to the provider types that fit it (tests check the demo never
// sends a toothache to a pharmacy).
func ReasonProviderTypes() map[string][]string {
	out := map[string][]string{}
	for _, n := range needs {
		for _, r := range n.Reasons {
			for _, text := range []string{r.NL, r.FR, r.DE} {
				out[text] = n.Types
			}
		}
	}
	return out
}
