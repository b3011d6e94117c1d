package reference

// Other names of the municipalities in areas.json. areas.json (a copy of
// the shared file, kept identical by a test) gives each municipality once,
// as the programme's pages name it; visitors of the contact form write the
// place in their own language ("Gand", "Lüttich", "Anvers") or give a
// postcode. Those names live here, keyed by the areas.json name, so the
// shared file stays as it is.

// PlaceNames are one municipality's names in nl, fr, de and en (those that
// differ from the areas.json name, and the parts of a two-language name)
// and its postcodes.
type PlaceNames struct {
	Names     []string
	Postcodes []string
}

// municipalityNames is keyed by the municipality's name in areas.json. A
// name that another Belgian municipality uses is left out: "Sint-Niklaas"
// is a town in East Flanders, not Saint-Nicolas near Liège.
var municipalityNames = map[string]PlaceNames{
	"Antwerpen": {
		Names:     []string{"Anvers", "Antwerp", "Antwerpen"},
		Postcodes: []string{"2000", "2018", "2020", "2030", "2040", "2050", "2060", "2100", "2140", "2170", "2180", "2600", "2610", "2660"},
	},
	"Genk":     {Postcodes: []string{"3600"}},
	"Gent":     {Names: []string{"Gand", "Ghent"}, Postcodes: []string{"9000", "9030", "9031", "9032", "9040", "9041", "9042", "9050", "9051", "9052"}},
	"Oostende": {Names: []string{"Ostende", "Ostend"}, Postcodes: []string{"8400"}},
	"Tienen":   {Names: []string{"Tirlemont"}, Postcodes: []string{"3300"}},
	"Charleroi": {
		Postcodes: []string{"6000", "6001", "6010", "6020", "6030", "6031", "6032", "6040", "6041", "6042", "6043", "6044", "6060", "6061", "6200"},
	},
	"Liège":         {Names: []string{"Luik", "Lüttich", "Liege"}, Postcodes: []string{"4000", "4020", "4030", "4031", "4032"}},
	"Saint-Nicolas": {Postcodes: []string{"4420"}},
	"Seraing":       {Postcodes: []string{"4100", "4101", "4102"}},
	"Verviers-Dison": {
		Names:     []string{"Verviers", "Dison"},
		Postcodes: []string{"4800", "4801", "4802", "4820", "4821", "4860"},
	},
	"Neder-Over-Heembeek": {Postcodes: []string{"1120"}},
	"Laken/Laeken":        {Names: []string{"Laken", "Laeken"}, Postcodes: []string{"1020"}},
	"Jette":               {Postcodes: []string{"1090"}},
	"Schaarbeek/Schaerbeek": {
		Names:     []string{"Schaarbeek", "Schaerbeek"},
		Postcodes: []string{"1030"},
	},
	"Brussel Centrum/Bruxelles Centre": {
		Names: []string{"Brussel", "Bruxelles", "Brüssel", "Brussels", "Brussel-Stad", "Bruxelles-Ville", "Brussel Centrum", "Bruxelles Centre",
			"Brüssel Zentrum", "Brussels Centre", "City of Brussels"},
		Postcodes: []string{"1000"},
	},
	"Anderlecht": {Postcodes: []string{"1070"}},
	"Eupen":      {Postcodes: []string{"4700", "4701"}},
	"Kelmis":     {Names: []string{"La Calamine"}, Postcodes: []string{"4720", "4721", "4728"}},
}

// OtherNames returns a municipality's other names and postcodes (nothing
// for a name it does not know).
func OtherNames(municipality string) PlaceNames { return municipalityNames[municipality] }

// NamedMunicipalities lists the municipalities that have other names (the
// reference test checks each is in areas.json).
func NamedMunicipalities() []string {
	out := make([]string, 0, len(municipalityNames))
	for k := range municipalityNames {
		out = append(out, k)
	}
	return out
}

// teamOutreach is how a team without named neighbourhoods works, in the four
// languages; keyed by the team's name, its English text is areas.json's
// "outreach".
var teamOutreach = map[string]Labels{
	"Gent": {
		NL: "laagdrempelige inloopplekken in de hele stad",
		FR: "des lieux d'accueil à bas seuil dans toute la ville",
		DE: "niedrigschwellige Anlaufstellen in der ganzen Stadt",
		EN: "low-threshold drop-in places across the city",
	},
	"Tienen": {
		NL: "Bezorgd Om Mensen, het inloophuis, andere organisaties, en outreach waar kwetsbare mensen samenkomen",
		FR: "Bezorgd Om Mensen, la maison d'accueil (inloophuis), d'autres organisations, et le travail de rue là où se retrouvent les personnes vulnérables",
		DE: "Bezorgd Om Mensen, das Inloophuis (offener Treff), andere Organisationen und aufsuchende Arbeit dort, wo sich schutzbedürftige Menschen treffen",
		EN: "Bezorgd Om Mensen, the inloophuis (drop-in house), other organisations, and outreach where vulnerable people gather",
	},
}

// Outreach returns a team's way of working in lang; the areas.json text
// (English) when the team has no translation here.
func Outreach(team, english, lang string) string {
	if l, ok := teamOutreach[team]; ok {
		if s := l.Get(lang); s != "" {
			return s
		}
	}
	return english
}

// OutreachTeams lists the teams with translated outreach texts (for the test).
func OutreachTeams() map[string]Labels { return teamOutreach }
