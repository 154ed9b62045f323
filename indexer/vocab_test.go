package indexer

import (
	"strings"
	"testing"
)

func TestLookupCity(t *testing.T) {
	for _, test := range []struct{ in, want, country string }{
		{"Lissabon", "Lisbon", "PT"},
		{"Lisbonne", "Lisbon", "PT"},
		{"LISBOA", "Lisbon", "PT"},
		{"  lisbon. ", "Lisbon", "PT"},
		{"München", "Munich", "DE"},
		{"Muenchen", "Munich", "DE"},
		{"munchen", "Munich", "DE"},
		{"Köln", "Cologne", "DE"},
		{"Koeln", "Cologne", "DE"},
		{"Duesseldorf", "Düsseldorf", "DE"},
		{"DUSSELDORF", "Düsseldorf", "DE"},
		{"Neukölln", "Berlin-Neukölln", "DE"},
		{"Straßburg", "Strasbourg", "FR"},
		{"Strassburg", "Strasbourg", "FR"},
		{"Genf", "Geneva", "CH"},
		{"Ginevra", "Geneva", "CH"},
		{"Neuenburg", "Neuchâtel", "CH"},
		{"Montréal", "Montreal", "CA"},
		{"Ville de Québec", "Quebec City", "CA"},
		{"Québec", "Quebec City", "CA"},
		{"København", "Copenhagen", "DK"},
		{"Kopenhagen", "Copenhagen", "DK"},
		{"Torino", "Turin", "IT"},
		{"Reggio d'Émilie", "Reggio Emilia", "IT"},
		{"Bruxelles", "Brussels", "BE"},
		{"Brüssel", "Brussels", "BE"},
		{"Malines", "Mechelen", "BE"},
		{"Gand", "Ghent", "BE"},
		{"Athènes", "Athens", "GR"},
		{"Αθήνα", "Athens", "GR"},
		{"Wien", "Vienna", "AT"},
		{"Ciudad de México", "Mexico City", "MX"},
		{"Mexiko-Stadt", "Mexico City", "MX"},
		{"Saint-Sébastien", "Donostia-San Sebastián", "ES"},
		{"San Sebastian", "Donostia-San Sebastián", "ES"},
		{"Barcelone", "Barcelona", "ES"},
	} {
		got, ok := LookupCity(test.in)
		if !ok || got.Name != test.want || got.Country != test.country {
			t.Errorf("LookupCity(%q) = %q %q, %v; want %q %q", test.in, got.Name, got.Country, ok, test.want, test.country)
		}
	}
	for _, unknown := range []string{"", "Atlantis", "Lisbonnes", "Springfield", "Neukölln-Süd"} {
		if got, ok := LookupCity(unknown); ok {
			t.Errorf("LookupCity(%q) = %q; want not found", unknown, got.Name)
		}
	}
}

func TestCityLabel(t *testing.T) {
	for _, test := range []struct{ name, ui, want string }{
		{"Lisbon", "fr", "Lisbonne"},
		{"Lisbon", "de", "Lissabon"},
		{"Lisbon", "en", "Lisbon"},
		{"Lisbon", "es", "Lisbon"},
		{"Munich", "de", "München"},
		{"Cologne", "de", "Köln"},
		{"Brussels", "fr", "Bruxelles"},
		{"Mexico City", "fr", "Mexico"},
		{"Atlantis", "fr", "Atlantis"},
	} {
		if got := CityLabel(test.name, test.ui); got != test.want {
			t.Errorf("CityLabel(%q, %q) = %q; want %q", test.name, test.ui, got, test.want)
		}
	}
}

func TestEveryCityRoundTrips(t *testing.T) {
	for _, c := range Cities() {
		forms := append([]string{c.Name, strings.ToUpper(c.Name)}, c.Aliases...)
		for _, n := range c.Names {
			forms = append(forms, n)
		}
		for _, f := range forms {
			if got, ok := LookupCity(f); !ok || got.Name != c.Name {
				t.Errorf("LookupCity(%q) = %q, %v; want %q", f, got.Name, ok, c.Name)
			}
		}
		if CountryLabel(c.Country, "en") == c.Country {
			t.Errorf("city %s: country %q has no name", c.Name, c.Country)
		}
	}
}

// shortForms is the list of theme tags sites use, as given to every helper
// (notes/common.md): id, then the forms separated by "," and "/".
const shortForms = `
anti-discrimination: Anti-discrimination, Equality, Discrimination / Lutte contre les discriminations, Égalité, Discriminations / Antidiskriminierung, Gleichstellung, Diskriminierung
anti-rumour: Anti-rumour, Anti-rumours / Anti-rumeurs / Anti-Gerüchte
business-employment: Employment, Business, Jobs / Emploi, Entreprises / Beschäftigung, Arbeit, Wirtschaft, Arbeitsmarkt
communication: Communication, Public awareness / Communication, Sensibilisation / Kommunikation, Öffentlichkeitsarbeit
culture: Culture, Leisure, Heritage / Culture, Loisirs, Patrimoine / Kultur, Freizeit, Kulturerbe
openness: Interculturality, Openness / Interculturalité, Ouverture / Interkulturalität, Offenheit
education: Education, Schools / Éducation, École / Bildung, Schule
gender: Gender equality, Gender / Égalité femmes-hommes, Genre / Geschlechtergerechtigkeit, Gleichstellung der Geschlechter
health-social: Health, Social care, Families / Santé, Action sociale, Familles / Gesundheit, Soziales, Familie
housing-urban: Housing, Urban planning / Logement, Urbanisme / Wohnen, Stadtplanung, Stadtentwicklung
leadership: Leadership, Political commitment / Engagement politique / Führung, Politisches Engagement
mediation: Mediation, Conflict resolution / Médiation / Mediation, Konfliktlösung
multilingualism: Multilingualism, Languages / Multilinguisme, Plurilinguisme, Langues / Mehrsprachigkeit, Sprachen
participation: Participation, Citizen participation / Participation citoyenne / Beteiligung, Bürgerbeteiligung, Partizipation
public-services: Public services, Community services / Services publics / Öffentliche Dienste, Verwaltung
refugees: Refugees, Asylum / Réfugiés, Asile / Geflüchtete, Flüchtlinge, Asyl
religion: Religion, Interfaith / Dialogue interreligieux / Religion, Interreligiöser Dialog
roma: Roma / Roms / Roma, Sinti und Roma
safety: Safety, Security, Justice, Policing / Sécurité, Justice / Sicherheit, Justiz
welcoming: Welcoming, Integration, Newcomers / Accueil, Intégration, Nouveaux arrivants / Willkommenskultur, Integration, Neuzugewanderte
neighbourhoods: Neighbourhoods, Public space / Quartiers, Espace public / Stadtteile, Nachbarschaft, Öffentlicher Raum, Quartier
youth: Youth, Young people / Jeunesse, Jeunes / Jugend, Jugendliche
sport: Sport, Sports / Sport / Sport
`

func TestEveryShortFormMapsToItsTheme(t *testing.T) {
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(shortForms), "\n") {
		id, forms, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		ids[id] = true
		for _, f := range strings.FieldsFunc(forms, func(r rune) bool { return r == ',' || r == '/' }) {
			f = strings.TrimSpace(f)
			for _, variant := range []string{f, strings.ToLower(f), strings.ToUpper(f), fold(f)} {
				if got, ok := LookupTheme(variant); !ok || got != id {
					t.Errorf("LookupTheme(%q) = %q, %v; want %q", variant, got, ok, id)
				}
			}
		}
	}
	if len(ids) != 23 || len(Themes()) != 23 {
		t.Errorf("%d themes in the list, %d in the vocabulary; want 23", len(ids), len(Themes()))
	}
}

func TestLookupTheme(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"Réfugiés", "refugees"},
		{"refugies", "refugees"},
		{"Geflüchtete", "refugees"},
		{"Gefluechtete", "refugees"},
		{"Flüchtlinge", "refugees"},
		{"asylum seekers", "refugees"},
		{"migrants", "refugees"},
		{"Wohnen", "housing-urban"},
		{"Wohnungslosigkeit", "housing-urban"},
		{"housing-urban", "housing-urban"},
		{"Housing and urban planning", "housing-urban"},
		{"Housing & Urban Planning", "housing-urban"},
		{"Logement et urbanisme", "housing-urban"},
		{"integration", "welcoming"},
		{"Integration", "welcoming"},
		{"Willkommenskultur und Integration", "welcoming"},
		{"Culture d'ouverture et interculturalité", "openness"},
		{"Culture, loisirs et patrimoine", "culture"},
		{"Santé, action sociale et familles", "health-social"},
		{"Anti-discrimination & equality", "anti-discrimination"},
		{"anti rumour", "anti-rumour"},
		{"Sinti und Roma", "roma"},
	} {
		if got, ok := LookupTheme(test.in); !ok || got != test.want {
			t.Errorf("LookupTheme(%q) = %q, %v; want %q", test.in, got, ok, test.want)
		}
	}
	for _, unknown := range []string{"", "   ", "Cooking", "et", "&"} {
		if got, ok := LookupTheme(unknown); ok {
			t.Errorf("LookupTheme(%q) = %q; want not found", unknown, got)
		}
	}
}

func TestThemeLabelsComplete(t *testing.T) {
	for _, th := range Themes() {
		for _, ui := range []string{"en", "fr", "de"} {
			l := ThemeLabel(th.ID, ui)
			if l == "" || l == th.ID {
				t.Errorf("ThemeLabel(%q, %q) = %q; want a label", th.ID, ui, l)
			}
			if got, ok := LookupTheme(l); !ok || got != th.ID {
				t.Errorf("LookupTheme(ThemeLabel(%q, %q) = %q) = %q, %v", th.ID, ui, l, got, ok)
			}
		}
	}
	if got := ThemeLabel("refugees", "de"); got != "Geflüchtete" {
		t.Errorf("ThemeLabel(refugees, de) = %q; want Geflüchtete", got)
	}
	if got := ThemeLabel("refugees", "pt"); got != "Refugees" {
		t.Errorf("ThemeLabel(refugees, pt) = %q; want the English label", got)
	}
	if got := ThemeLabel("cooking", "en"); got != "cooking" {
		t.Errorf("ThemeLabel of an unknown id = %q; want the id", got)
	}
}

func TestLookupCountry(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"Deutschland", "DE"}, {"Allemagne", "DE"}, {"germany", "DE"}, {"DE", "DE"}, {"de", "DE"}, {"DEU", "DE"},
		{"Portugal", "PT"}, {"Suisse", "CH"}, {"Schweiz", "CH"}, {"Svizzera", "CH"},
		{"Royaume-Uni", "GB"}, {"UK", "GB"}, {"Vereinigtes Königreich", "GB"},
		{"Österreich", "AT"}, {"Oesterreich", "AT"}, {"España", "ES"}, {"Espagne", "ES"},
		{"Belgique", "BE"}, {"België", "BE"}, {"Ελλάδα", "GR"}, {"Grèce", "GR"},
		{"Mexique", "MX"}, {"Sénégal", "SN"}, {"Pays-Bas", "NL"}, {"Polska", "PL"}, {"Norge", "NO"},
		{"Sverige", "SE"}, {"Danmark", "DK"}, {"Irlande", "IE"}, {"Italia", "IT"}, {"Kanada", "CA"}, {"France", "FR"},
	} {
		if got, ok := LookupCountry(test.in); !ok || got != test.want {
			t.Errorf("LookupCountry(%q) = %q, %v; want %q", test.in, got, ok, test.want)
		}
	}
	if got, ok := LookupCountry("Atlantis"); ok {
		t.Errorf("LookupCountry(Atlantis) = %q; want not found", got)
	}
	for _, test := range []struct{ code, ui, want string }{
		{"DE", "fr", "Allemagne"}, {"DE", "de", "Deutschland"}, {"PT", "en", "Portugal"}, {"ch", "de", "Schweiz"},
		{"GB", "es", "United Kingdom"}, {"ZZ", "en", "ZZ"},
	} {
		if got := CountryLabel(test.code, test.ui); got != test.want {
			t.Errorf("CountryLabel(%q, %q) = %q; want %q", test.code, test.ui, got, test.want)
		}
	}
}

func TestLangLabel(t *testing.T) {
	for _, test := range []struct{ code, ui, want string }{
		{"fr", "de", "Französisch"}, {"fr", "fr", "Français"}, {"de", "en", "German"}, {"en", "fr", "Anglais"},
		{"eu", "en", "Basque"}, {"ca", "de", "Katalanisch"}, {"el", "fr", "Grec"}, {"no", "de", "Norwegisch"},
		{"de-AT", "en", "German"}, {"nb", "en", "Norwegian"}, {"xx", "en", "XX"},
	} {
		if got := LangLabel(test.code, test.ui); got != test.want {
			t.Errorf("LangLabel(%q, %q) = %q; want %q", test.code, test.ui, got, test.want)
		}
	}
	for _, code := range []string{"en", "fr", "de", "es", "pt", "it", "nl", "ca", "eu", "no", "sv", "da", "pl", "el"} {
		for _, ui := range []string{"en", "fr", "de"} {
			if l := LangLabel(code, ui); l == strings.ToUpper(code) {
				t.Errorf("LangLabel(%q, %q) has no label", code, ui)
			}
		}
	}
}

func TestNormalizeLang(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"de-DE", "de"}, {"fr_CA", "fr"}, {"EN", "en"}, {" pt-BR ", "pt"}, {"nb-NO", "no"}, {"deu", "de"},
		{"Deutsch", "de"}, {"français", "fr"}, {"English", "en"}, {"x-default", ""}, {"", ""}, {"12", ""},
	} {
		if got := NormalizeLang(test.in); got != test.want {
			t.Errorf("NormalizeLang(%q) = %q; want %q", test.in, got, test.want)
		}
	}
}
