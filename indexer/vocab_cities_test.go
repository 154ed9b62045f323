package indexer

import (
	"strings"
	"testing"
)

// memberForms are member cities of Intercultural Cities and of the
// Observatory of Mayors on Living Together, in the forms their own sites
// and the networks' sites write them, with the English name and country
// they must give.
var memberForms = []struct{ in, want, country string }{
	// local names and exonyms
	{"Lisboa", "Lisbon", "PT"}, {"Torino", "Turin", "IT"}, {"Genova", "Genoa", "IT"}, {"Gênes", "Genoa", "IT"},
	{"Genua", "Genoa", "IT"}, {"Milano", "Milan", "IT"}, {"Mailand", "Milan", "IT"}, {"Venezia", "Venice", "IT"},
	{"Padova", "Padua", "IT"}, {"Forlì", "Forlì", "IT"}, {"Göteborg", "Gothenburg", "SE"}, {"Gothembourg", "Gothenburg", "SE"},
	{"Goteborg", "Gothenburg", "SE"}, {"Malmo", "Malmö", "SE"}, {"Bruxelles", "Brussels", "BE"}, {"Brussel", "Brussels", "BE"},
	{"Brüssel", "Brussels", "BE"}, {"Anvers", "Antwerp", "BE"}, {"Antwerpen", "Antwerp", "BE"}, {"Lüttich", "Liège", "BE"},
	{"Liege", "Liège", "BE"}, {"Louvain", "Leuven", "BE"}, {"Warszawa", "Warsaw", "PL"}, {"Varsovie", "Warsaw", "PL"},
	{"Warschau", "Warsaw", "PL"}, {"Kraków", "Kraków", "PL"}, {"Krakau", "Kraków", "PL"}, {"Cracovie", "Kraków", "PL"},
	{"Krakow", "Kraków", "PL"}, {"Danzig", "Gdańsk", "PL"}, {"Breslau", "Wrocław", "PL"}, {"Beograd", "Belgrade", "RS"},
	{"Београд", "Belgrade", "RS"}, {"Sevilla", "Seville", "ES"}, {"Séville", "Seville", "ES"}, {"València", "Valencia", "ES"},
	{"Zürich", "Zurich", "CH"}, {"Zuerich", "Zurich", "CH"}, {"Bâle", "Basel", "CH"}, {"Berne", "Bern", "CH"},
	{"Luzern", "Lucerne", "CH"}, {"Den Haag", "The Hague", "NL"}, {"The Hague", "The Hague", "NL"}, {"La Haye", "The Hague", "NL"},
	{"'s-Gravenhage", "The Hague", "NL"}, {"Kyiv", "Kyiv", "UA"}, {"Kiev", "Kyiv", "UA"}, {"Kiew", "Kyiv", "UA"},
	{"Київ", "Kyiv", "UA"}, {"Lviv", "Lviv", "UA"}, {"Lwiw", "Lviv", "UA"}, {"Lvov", "Lviv", "UA"}, {"Lemberg", "Lviv", "UA"},
	{"Odessa", "Odesa", "UA"}, {"Charkiw", "Kharkiv", "UA"}, {"Pavlograd", "Pavlohrad", "UA"}, {"Vinnitsa", "Vinnytsia", "UA"},
	{"Chisinau", "Chișinău", "MD"}, {"Balti", "Bălți", "MD"}, {"Bucarest", "Bucharest", "RO"}, {"București", "Bucharest", "RO"},
	{"Iasi", "Iași", "RO"}, {"Fünfkirchen", "Pécs", "HU"}, {"Szabadka", "Subotica", "RS"}, {"Laibach", "Ljubljana", "SI"},
	{"Fiume", "Rijeka", "HR"}, {"Λεμεσός", "Limassol", "CY"}, {"Lemesos", "Limassol", "CY"}, {"La Valette", "Valletta", "MT"},
	{"Θεσσαλονίκη", "Thessaloniki", "GR"}, {"Thessalonique", "Thessaloniki", "GR"}, {"Patra", "Patras", "GR"},
	{"Tbilissi", "Tbilisi", "GE"}, {"Tiflis", "Tbilisi", "GE"}, {"İzmir", "Izmir", "TR"}, {"İstanbul", "Istanbul", "TR"},
	{"København", "Copenhagen", "DK"}, {"Århus", "Aarhus", "DK"}, {"Helsingfors", "Helsinki", "FI"}, {"Åbo", "Turku", "FI"},
	{"Tromso", "Tromsø", "NO"}, {"Reykjavik", "Reykjavík", "IS"}, {"Baile Átha Cliath", "Dublin", "IE"}, {"Luimneach", "Limerick", "IE"},
	{"Londres", "London", "GB"}, {"Édimbourg", "Edinburgh", "GB"}, {"Caerdydd", "Cardiff", "GB"}, {"Wien", "Vienna", "AT"},
	{"Salzbourg", "Salzburg", "AT"}, {"Köln", "Cologne", "DE"}, {"München", "Munich", "DE"}, {"Nürnberg", "Nuremberg", "DE"},
	{"Francfort", "Frankfurt", "DE"}, {"Frankfurt am Main", "Frankfurt", "DE"}, {"Hannover", "Hanover", "DE"},
	{"Hambourg", "Hamburg", "DE"}, {"Berlin", "Berlin", "DE"}, {"Neukölln", "Berlin-Neukölln", "DE"},
	{"Donostia", "Donostia-San Sebastián", "ES"}, {"Bilbo", "Bilbao", "ES"}, {"Gasteiz", "Vitoria-Gasteiz", "ES"},
	{"Castelló", "Castellón de la Plana", "ES"}, {"Saragosse", "Zaragoza", "ES"}, {"Tenerife", "Santa Cruz de Tenerife", "ES"},
	{"Oporto", "Porto", "PT"}, {"Setubal", "Setúbal", "PT"},
	// the Observatory of Mayors on Living Together
	{"Montréal", "Montreal", "CA"}, {"Québec", "Quebec City", "CA"}, {"Laval", "Laval", "CA"}, {"Longueuil", "Longueuil", "CA"},
	{"Gatineau", "Gatineau", "CA"}, {"Sherbrooke", "Sherbrooke", "CA"}, {"Trois-Rivières", "Trois-Rivières", "CA"},
	{"Vaudreuil-Dorion", "Vaudreuil-Dorion", "CA"}, {"Paris", "Paris", "FR"}, {"Lyon", "Lyon", "FR"}, {"Bordeaux", "Bordeaux", "FR"},
	{"Strasbourg", "Strasbourg", "FR"}, {"Straßburg", "Strasbourg", "FR"}, {"Genève", "Geneva", "CH"}, {"Lausanne", "Lausanne", "CH"},
	{"Barcelone", "Barcelona", "ES"}, {"Lisbonne", "Lisbon", "PT"}, {"Dakar", "Dakar", "SN"}, {"Bamako", "Bamako", "ML"},
	{"Abidjan", "Abidjan", "CI"}, {"Ouagadougou", "Ouagadougou", "BF"}, {"Tunis", "Tunis", "TN"}, {"Rabat", "Rabat", "MA"},
	{"Beyrouth", "Beirut", "LB"}, {"Beirut", "Beirut", "LB"}, {"Mexico", "Mexico City", "MX"}, {"Ciudad de México", "Mexico City", "MX"},
	{"CDMX", "Mexico City", "MX"}, {"Bogota", "Bogotá", "CO"}, {"Medellin", "Medellín", "CO"}, {"Boston", "Boston", "US"},
	// further afield
	{"Hamamatsu", "Hamamatsu", "JP"}, {"浜松市", "Hamamatsu", "JP"}, {"Ansan", "Ansan", "KR"}, {"Séoul", "Seoul", "KR"},
	{"Melbourne", "Melbourne", "AU"}, {"Ballarat", "Ballarat", "AU"}, {"Auckland", "Auckland", "NZ"},
	{"Tāmaki Makaurau", "Auckland", "NZ"}, {"Tel Aviv", "Tel Aviv-Yafo", "IL"}, {"Haïfa", "Haifa", "IL"},
	{"Tanger", "Tangier", "MA"}, {"Marrakech", "Marrakesh", "MA"}, {"Fès", "Fez", "MA"}, {"Alger", "Algiers", "DZ"},
	{"New York City", "New York", "US"}, {"Philadelphie", "Philadelphia", "US"},
}

func TestGazetteerMembers(t *testing.T) {
	for _, test := range memberForms {
		got, ok := LookupCity(test.in)
		if !ok || got.Name != test.want || got.Country != test.country {
			t.Errorf("LookupCity(%q) = %q %q, %v; want %q %q", test.in, got.Name, got.Country, ok, test.want, test.country)
		}
	}
	if n := len(Cities()); n < 180 {
		t.Errorf("%d cities in the gazetteer; want at least 180", n)
	}
}

func TestCityLabelsInEveryLanguage(t *testing.T) {
	for _, test := range []struct{ name, ui, want string }{
		{"Genoa", "fr", "Gênes"}, {"Genoa", "de", "Genua"}, {"Genoa", "it", "Genova"},
		{"Gothenburg", "fr", "Göteborg"}, {"Gothenburg", "sv", "Göteborg"},
		{"The Hague", "de", "Den Haag"}, {"The Hague", "fr", "La Haye"},
		{"Kyiv", "de", "Kiew"}, {"Lviv", "de", "Lwiw"}, {"Kraków", "fr", "Cracovie"}, {"Kraków", "de", "Krakau"},
		{"Warsaw", "pl", "Warszawa"}, {"Seville", "es", "Sevilla"}, {"Zurich", "de", "Zürich"},
		{"Beirut", "fr", "Beyrouth"}, {"Montreal", "fr", "Montréal"},
		// any known form works as the name
		{"Ville de Montréal", "fr", "Montréal"}, {"Stadt München", "fr", "Munich"}, {"Lisboa", "de", "Lissabon"},
	} {
		if got := CityLabel(test.name, test.ui); got != test.want {
			t.Errorf("CityLabel(%q, %q) = %q; want %q", test.name, test.ui, got, test.want)
		}
	}
}

func TestLookupCityAdministrativeForms(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"Ville de Montréal", "Montreal"},
		{"City of Lisbon", "Lisbon"},
		{"The City of Dublin", "Dublin"},
		{"Stadt Düsseldorf", "Düsseldorf"},
		{"Landeshauptstadt München", "Munich"},
		{"Landeshauptstadt Stuttgart", "Stuttgart"},
		{"Freie und Hansestadt Hamburg", "Hamburg"},
		{"Bezirksamt Neukölln", "Berlin-Neukölln"},
		{"Comune di Torino", "Turin"},
		{"Comune di Reggio nell'Emilia", "Reggio Emilia"},
		{"Città di Genova", "Genoa"},
		{"Ayuntamiento de Barcelona", "Barcelona"},
		{"Ajuntament de Barcelona", "Barcelona"},
		{"Ayuntamiento de Getxo", "Getxo"},
		{"Getxoko Udala", "Getxo"},
		{"Donostiako Udala", "Donostia-San Sebastián"},
		{"Câmara Municipal de Lisboa", "Lisbon"},
		{"Câmara Municipal do Porto", "Porto"},
		{"Câmara Municipal da Amadora", "Amadora"},
		{"Mairie de Paris", "Paris"},
		{"Ville d'Ottawa", "Ottawa"},
		{"Ville et Eurométropole de Strasbourg", "Strasbourg"},
		{"Gemeente Rotterdam", "Rotterdam"},
		{"Stad Gent", "Ghent"},
		{"Oslo kommune", "Oslo"},
		{"Københavns Kommune", "Copenhagen"},
		{"Göteborgs Stad", "Gothenburg"},
		{"Botkyrka kommun", "Botkyrka"},
		{"Helsingin kaupunki", "Helsinki"},
		{"Dublin City Council", "Dublin"},
		{"Limerick City and County Council", "Limerick"},
		{"Bradford Metropolitan District Council", "Bradford"},
		{"London Borough of Lewisham", "Lewisham"},
		{"Miasto Stołeczne Warszawa", "Warsaw"},
		{"Urząd Miasta Lublin", "Lublin"},
		{"Grad Zagreb", "Zagreb"},
		{"Mestna občina Ljubljana", "Ljubljana"},
		{"Primăria Municipiului Chișinău", "Chișinău"},
		{"İzmir Büyükşehir Belediyesi", "Izmir"},
		{"Tbilisi City Hall", "Tbilisi"},
		{"Gobierno de la Ciudad de México", "Mexico City"},
		{"Alcaldía de Medellín", "Medellín"},
		{"Hamamatsu City", "Hamamatsu"},
		// postal codes
		{"75004 Paris", "Paris"},
		{"40213 Düsseldorf", "Düsseldorf"},
		{"1000 Bruxelles", "Brussels"},
		// a country, region or code after the name
		{"Lisbon, Portugal", "Lisbon"},
		{"Lisbon (PT)", "Lisbon"},
		{"Lisboa (Portugal)", "Lisbon"},
		{"Lisbonne – Portugal", "Lisbon"},
		{"Montréal (Québec)", "Montreal"},
		{"Montréal, QC, Canada", "Montreal"},
		{"Laval, Québec", "Laval"},
		{"Ville de Laval (QC)", "Laval"},
		{"Torino (TO)", "Turin"},
		{"Reggio Emilia, Italy", "Reggio Emilia"},
		{"Düsseldorf, NRW", "Düsseldorf"},
		{"Düsseldorf (Deutschland)", "Düsseldorf"},
		{"Barcelona, Catalunya", "Barcelona"},
		{"Bilbao, Bizkaia", "Bilbao"},
		{"Mechelen, Antwerpen", "Mechelen"},
		{"Boston, MA", "Boston"},
		{"Geneva, Switzerland", "Geneva"},
		{"Genève (GE)", "Geneva"},
		{"Bruxelles / Brussel", "Brussels"},
		{"Berlin-Neukölln, Berlin", "Berlin-Neukölln"},
	} {
		got, ok := LookupCity(test.in)
		if !ok || got.Name != test.want {
			t.Errorf("LookupCity(%q) = %q, %v; want %q", test.in, got.Name, ok, test.want)
		}
	}
	// A qualifier naming another place, or a list of cities, is not
	// taken for the first city.
	for _, in := range []string{
		"Laval, France", "Lisbon, Spain", "Lisbon (ES)", "Lisbon, Porto", "Paris, Texas", "City of Atlantis",
		"Stadt", "Ville de", "Comune di", "12345", "Québec (Stadt) (Frankreich)", "Stadt Springfield",
	} {
		if got, ok := LookupCity(in); ok {
			t.Errorf("LookupCity(%q) = %q; want not found", in, got.Name)
		}
	}
}

func TestNormalizeUsesCityForms(t *testing.T) {
	p, err := Normalize(Practice{URL: "https://example.org/p", Title: "T",
		Cities: []string{"Ville de Montréal; Stadt Düsseldorf", "Lisbon, Portugal"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(p.Cities, "|"), "Montreal|Düsseldorf|Lisbon"; got != want {
		t.Errorf("Normalize cities = %q; want %q", got, want)
	}
	if p.Country != "CA" {
		t.Errorf("Normalize country = %q; want CA, the country of the first city", p.Country)
	}
}

func TestEveryCityCountryIsNamed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Cities() {
		for _, ui := range []string{"en", "fr", "de"} {
			if c.Names[ui] == "" {
				t.Errorf("city %s has no %s name", c.Name, ui)
			}
		}
		if seen[c.Country] {
			continue
		}
		seen[c.Country] = true
		names := map[string]bool{}
		for _, ui := range []string{"en", "fr", "de"} {
			l := CountryLabel(c.Country, ui)
			if l == c.Country {
				t.Errorf("country %s (of %s) has no %s name", c.Country, c.Name, ui)
			}
			names[l] = true
			if got, ok := LookupCountry(l); !ok || got != c.Country {
				t.Errorf("LookupCountry(%q) = %q, %v; want %s", l, got, ok, c.Country)
			}
		}
	}
	if len(seen) < 40 {
		t.Errorf("cities in %d countries; want the 40 or more of the two networks", len(seen))
	}
}

func TestCountryLocalNames(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"Sakartvelo", "GE"}, {"საქართველო", "GE"}, {"Україна", "UA"}, {"Republica Moldova", "MD"}, {"Hrvatska", "HR"},
		{"Srbija", "RS"}, {"Bosna i Hercegovina", "BA"}, {"Slovenija", "SI"}, {"Magyarország", "HU"}, {"România", "RO"},
		{"Κύπρος", "CY"}, {"Türkiye", "TR"}, {"Turquie", "TR"}, {"المغرب", "MA"}, {"Maroc", "MA"}, {"ישראל", "IL"},
		{"日本", "JP"}, {"대한민국", "KR"}, {"Aotearoa", "NZ"}, {"Suomi", "FI"}, {"Éire", "IE"}, {"Liban", "LB"},
		{"Côte d'Ivoire", "CI"}, {"Cote d'Ivoire", "CI"}, {"Elfenbeinküste", "CI"}, {"Burkina Faso", "BF"}, {"Mali", "ML"},
		{"Kolumbien", "CO"}, {"Colombie", "CO"}, {"États-Unis", "US"}, {"Vereinigte Staaten", "US"}, {"Kanada", "CA"},
	} {
		if got, ok := LookupCountry(test.in); !ok || got != test.want {
			t.Errorf("LookupCountry(%q) = %q, %v; want %q", test.in, got, ok, test.want)
		}
	}
}

func FuzzLookupCity(f *testing.F) {
	for _, s := range []string{"Ville de Montréal", "Lisbon (PT)", "Montréal, QC, Canada", "75004 Paris", "Getxoko Udala",
		"((((", "a, b, c, d, e, f", ", , ,", "Stadt Stadt Stadt Köln", "()", "Lisbon ()"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, ok := LookupCity(name)
		if !ok {
			return
		}
		back, ok := LookupCity(c.Name)
		if !ok || back.Name != c.Name {
			t.Errorf("LookupCity(%q) = %q, whose own name gives %q, %v", name, c.Name, back.Name, ok)
		}
		if CountryLabel(c.Country, "en") == c.Country {
			t.Errorf("LookupCity(%q) = %q in unnamed country %q", name, c.Name, c.Country)
		}
	})
}
