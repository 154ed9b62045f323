package indexer

import (
	"slices"
	"strings"
)

// cityLookup is the city table plus the wrappings sites put around a
// city's name: the administrative forms of the city government ("Ville de
// Montréal", "Stadt Düsseldorf", "Câmara Municipal de Lisboa", "Oslo
// kommune"), a country or region after it ("Lisbon, Portugal", "Lisbon
// (PT)", "Laval, QC") and postal codes ("75001 Paris").
type cityLookup struct{ *lookupTable[*City] }

// maxCityUnwrap bounds how many wrappings are taken off one name.
const maxCityUnwrap = 4

// get finds the city name stands for, first as written, then without its
// wrappings. A qualifier that names another country ("Laval, France")
// makes the name unknown rather than wrong.
func (t cityLookup) get(name string) (*City, bool) {
	return t.find(name, 0)
}

func (t cityLookup) find(name string, depth int) (*City, bool) {
	if c, ok := t.lookupTable.get(name); ok {
		return c, true
	}
	if depth >= maxCityUnwrap {
		return nil, false
	}
	if head, tail, ok := splitQualifier(name); ok {
		c, found := t.find(head, depth+1)
		if found && t.qualifies(c, tail) {
			return c, true
		}
		return nil, false
	}
	key := fold(name)
	for range maxCityUnwrap {
		next, candidates := unwrapAdmin(key)
		if next == "" || next == key {
			return nil, false
		}
		for _, k := range candidates {
			if c, ok := t.lookupTable.get(k); ok {
				return c, true
			}
		}
		key = next
	}
	return nil, false
}

// splitQualifier splits "Lisbon (PT)" into "Lisbon" and "PT", and
// "Lisbon, Portugal" or "Lisbon – Portugal" at the last separator.
func splitQualifier(name string) (head, tail string, ok bool) {
	name = strings.TrimSpace(name)
	if strings.HasSuffix(name, ")") {
		if i := strings.LastIndex(name, "("); i > 0 {
			head, tail = name[:i], name[i+1:len(name)-1]
		}
	}
	if head == "" {
		for _, sep := range []string{",", " – ", " — ", " - ", " / "} {
			if i := strings.LastIndex(name, sep); i > 0 {
				head, tail = name[:i], name[i+len(sep):]
				break
			}
		}
	}
	head, tail = strings.TrimSpace(head), strings.TrimSpace(tail)
	return head, tail, head != "" && fold(tail) != ""
}

// qualifies reports whether every comma-separated part of tail fits city
// c: its country (name or code), a region of that country, another name
// of the same city, or a postal code.
func (t cityLookup) qualifies(c *City, tail string) bool {
	for _, part := range strings.Split(tail, ",") {
		k := fold(part)
		switch {
		case k == "":
		case isNumberWords(k):
		case regionKeys[c.Country][k]:
		default:
			if code, ok := LookupCountry(part); ok && code == c.Country {
				continue
			}
			if same, ok := t.lookupTable.get(part); ok && same == c {
				continue
			}
			return false
		}
	}
	return true
}

// isNumberWords reports whether folded key holds only digits and spaces.
func isNumberWords(k string) bool {
	return strings.Trim(k, "0123456789 ") == ""
}

// unwrapAdmin takes one wrapping off the folded key: postal codes at
// either end, then an administrative prefix, then an administrative
// suffix. It returns the key without it and the keys to look up (several
// when the suffix puts the name in the genitive: "Göteborgs stad",
// "Getxoko Udala").
func unwrapAdmin(key string) (next string, candidates []string) {
	words := strings.Fields(key)
	trimmed := words
	for len(trimmed) > 1 && isNumberWords(trimmed[0]) {
		trimmed = trimmed[1:]
	}
	for len(trimmed) > 1 && isNumberWords(trimmed[len(trimmed)-1]) {
		trimmed = trimmed[:len(trimmed)-1]
	}
	if len(trimmed) < len(words) {
		next = strings.Join(trimmed, " ")
		return next, []string{next}
	}
	for _, p := range adminPrefixKeys {
		if rest, ok := strings.CutPrefix(key, p+" "); ok && rest != "" {
			return rest, []string{rest}
		}
	}
	for _, s := range adminSuffixKeys {
		rest, ok := strings.CutSuffix(key, " "+s.key)
		if !ok || rest == "" {
			continue
		}
		candidates = []string{rest}
		for _, end := range s.genitive {
			if base, ok := strings.CutSuffix(rest, end); ok && base != "" {
				candidates = append(candidates, base)
			}
		}
		return rest, candidates
	}
	return key, nil
}

// adminPrefixes are the forms city governments put before the name, in
// the languages of the member cities.
var adminPrefixes = []string{
	// English
	"City of", "The City of", "Town of", "Municipality of", "Borough of", "London Borough of",
	"Royal Borough of", "Metropolitan Borough of", "City and County of", "City Council of",
	"Mayor of", "Office of the Mayor of", "Metropolitan Municipality of", "City Hall of",
	// French
	"Ville de", "Ville d'", "La Ville de", "Mairie de", "Mairie d'", "Commune de", "Commune d'",
	"Municipalité de", "Cité de", "Hôtel de Ville de", "Métropole de", "Métropole d'",
	"Eurométropole de", "Ville et Eurométropole de", "Communauté urbaine de", "Agglomération de",
	"Administration communale de", "Administration communale d'",
	// German
	"Stadt", "Landeshauptstadt", "Bundeshauptstadt", "Bundesstadt", "Hansestadt", "Freie und Hansestadt",
	"Freie Hansestadt", "Universitätsstadt", "Kreisfreie Stadt", "Große Kreisstadt", "Stadtverwaltung",
	"Magistrat der Stadt", "Stadtgemeinde", "Gemeinde", "Marktgemeinde", "Bezirk", "Bezirksamt",
	// Italian
	"Comune di", "Città di", "Città metropolitana di", "Municipio di",
	// Spanish, Catalan, Galician, Basque
	"Ayuntamiento de", "Ajuntament de", "Ajuntament d'", "Concello de", "Municipio de", "Municipalidad de",
	"Alcaldía de", "Alcaldía Mayor de", "Ciudad de", "Gobierno de la Ciudad de", "Cabildo de",
	// Portuguese
	"Câmara Municipal de", "Câmara Municipal do", "Câmara Municipal da", "Município de", "Município do",
	"Município da", "Prefeitura de", "Prefeitura Municipal de", "Prefeitura da Cidade de", "Cidade de",
	// Dutch
	"Gemeente", "Stad", "Stadsbestuur",
	// Polish, Czech, Slovak
	"Miasto", "Miasto Stołeczne", "Urząd Miasta", "Gmina Miejska", "Gmina Miasto", "Město", "Statutární město",
	"Mesto", "Hlavné mesto",
	// South Slavic, Hungarian, Romanian
	"Grad", "Općina", "Opština", "Opcina", "Mestna občina", "Primăria", "Primăria Municipiului", "Municipiul",
	"Primăria municipiului", "Град",
	// Greek, Turkish, Ukrainian
	"Dimos", "Δήμος",
}

// adminSuffix is a form put after the name; genitive lists the endings
// the name takes before it ("Københavns Kommune", "Bilboko Udala").
type adminSuffix struct {
	key      string
	genitive []string
}

var adminSuffixes = []adminSuffix{
	{"City", nil}, {"City Council", nil}, {"Council", nil}, {"City Hall", nil}, {"Municipality", nil},
	{"Municipal Council", nil}, {"Metropolitan Borough Council", nil}, {"Metropolitan District Council", nil},
	{"County Council", nil}, {"City and County Council", nil}, {"Town Hall", nil},
	{"kommun", []string{"s"}}, {"kommune", []string{"s"}}, {"stad", []string{"s"}}, {"stads", []string{"s"}},
	{"kaupunki", nil}, {"Udala", []string{"ko", "eko", "go"}}, {"Belediyesi", nil}, {"Büyükşehir Belediyesi", nil},
	{"Stadt", nil}, {"Megyei Jogú Város", nil}, {"Önkormányzata", nil},
}

// regions are the regions, provinces and their codes that sites write after
// a city's name, by country.
var regions = map[string][]string{
	"AT": {"Wien", "Vienna", "Steiermark", "Styria", "Oberösterreich", "Upper Austria", "Salzburg", "Tirol", "Tyrol"},
	"AU": {"Victoria", "VIC", "New South Wales", "NSW", "Queensland", "QLD"},
	"BE": {"Flanders", "Vlaanderen", "Flandre", "Flandern", "Wallonia", "Wallonie", "Wallonien",
		"Antwerpen", "Province d'Anvers", "Oost-Vlaanderen", "East Flanders", "Flandre-Orientale", "Hainaut", "Henegouwen"},
	"CA": {"Quebec", "Québec", "QC", "Ontario", "ON", "British Columbia", "Colombie-Britannique", "BC",
		"Alberta", "AB", "Manitoba", "MB", "Nova Scotia", "Nouvelle-Écosse", "NS", "New Brunswick", "Nouveau-Brunswick", "NB"},
	"CH": {"GE", "VD", "NE", "BE", "ZH", "BS", "LU", "TI", "Genève", "Geneva", "Genf", "Vaud", "Waadt", "Neuchâtel", "Neuenburg",
		"Berne", "Bern", "Zurich", "Zürich", "Basel-Stadt", "Bâle-Ville", "Lucerne", "Luzern", "Ticino", "Tessin"},
	"CO": {"Antioquia", "Cundinamarca", "Valle del Cauca", "D.C.", "Distrito Capital"},
	"DE": {"Bayern", "Bavaria", "Bavière", "Nordrhein-Westfalen", "North Rhine-Westphalia", "Rhénanie-du-Nord-Westphalie", "NRW",
		"Baden-Württemberg", "BW", "Hessen", "Hesse", "Berlin", "Hamburg", "Bremen", "Sachsen", "Saxony", "Saxe",
		"Niedersachsen", "Lower Saxony", "Basse-Saxe"},
	"ES": {"Catalonia", "Catalunya", "Cataluña", "Catalogne", "Katalonien", "Basque Country", "País Vasco", "Euskadi",
		"Pays basque", "Baskenland", "Bizkaia", "Biscay", "Vizcaya", "Gipuzkoa", "Guipúzcoa", "Andalusia", "Andalucía",
		"Andalousie", "Andalusien", "Comunidad de Madrid", "Canary Islands", "Canarias", "Îles Canaries",
		"Kanarische Inseln", "Comunitat Valenciana", "Comunidad Valenciana", "Valencian Community", "Región de Murcia",
		"La Rioja", "Aragón", "Aragon", "Illes Balears", "Balearic Islands", "Baleares"},
	"FR": {"Île-de-France", "Alsace", "Grand Est", "Auvergne-Rhône-Alpes", "Nouvelle-Aquitaine", "Occitanie",
		"Provence-Alpes-Côte d'Azur", "PACA", "Hauts-de-France", "Bretagne", "Brittany", "Pays de la Loire",
		"Seine-Saint-Denis", "Bas-Rhin", "Haut-Rhin", "Rhône", "Gironde", "Nord", "Isère", "Hérault", "Alpes-Maritimes",
		"Bouches-du-Rhône", "Haute-Garonne", "Loire-Atlantique", "Ille-et-Vilaine"},
	"GB": {"West Yorkshire", "Yorkshire", "Greater Manchester", "West Midlands", "Greater London", "Merseyside", "Leicestershire"},
	"GR": {"Attica", "Attiki", "Attique", "Attika", "Central Macedonia", "Crete", "Crète", "Kreta"},
	"IE": {"County Dublin", "Co. Dublin", "County Limerick", "Co. Limerick", "County Cork", "Co. Cork", "County Galway", "Co. Galway"},
	"IT": {"Piedmont", "Piemonte", "Piémont", "Emilia-Romagna", "Émilie-Romagne", "Lombardy", "Lombardia", "Lombardie",
		"Lombardei", "Tuscany", "Toscana", "Toscane", "Liguria", "Ligurie", "Ligurien", "Veneto", "Vénétie", "Venetien",
		"Lazio", "Latium", "Sicily", "Sicilia", "Sicile", "Sizilien", "Apulia", "Puglia", "Pouilles", "Apulien",
		"Campania", "Campanie", "Kampanien", "Friuli-Venezia Giulia", "Marche", "Marches", "Marken",
		"RE", "TO", "GE", "MI", "RM", "BA", "BG", "NA", "PA", "BO", "FI", "VE", "PD", "MO", "PV", "RN", "RA", "FC",
		"LO", "UD", "PO", "ME", "CT", "AN", "PI", "LU"},
	"JP": {"Shizuoka", "Kanagawa"},
	"KR": {"Gyeonggi", "Gyeonggi-do"},
	"MX": {"Jalisco", "Nuevo León", "Nuevo Leon"},
	"NL": {"Zuid-Holland", "South Holland", "Noord-Holland", "North Holland", "Noord-Brabant", "North Brabant"},
	"PL": {"Lubelskie", "Lublin Voivodeship", "Mazowieckie", "Małopolskie", "Pomorskie", "Dolnośląskie", "Wielkopolskie", "Łódzkie"},
	"US": {"Massachusetts", "MA", "New York", "NY", "Illinois", "IL", "California", "CA", "Pennsylvania", "PA",
		"Georgia", "GA", "Ohio", "OH", "Washington", "WA"},
}

// The folded forms of the tables above, built before init runs.
var (
	adminPrefixKeys = foldLongestFirst(adminPrefixes)
	adminSuffixKeys = foldSuffixes(adminSuffixes)
	regionKeys      = foldRegions(regions)
)

func foldLongestFirst(forms []string) []string {
	var keys []string
	for _, f := range forms {
		if k := fold(f); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.SortStableFunc(keys, func(a, b string) int { return len(b) - len(a) })
	return keys
}

func foldSuffixes(forms []adminSuffix) []adminSuffix {
	out := make([]adminSuffix, 0, len(forms))
	for _, s := range forms {
		out = append(out, adminSuffix{key: fold(s.key), genitive: s.genitive})
	}
	slices.SortStableFunc(out, func(a, b adminSuffix) int { return len(b.key) - len(a.key) })
	return out
}

func foldRegions(in map[string][]string) map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(in))
	for code, forms := range in {
		out[code] = map[string]bool{}
		for _, f := range forms {
			out[code][fold(f)] = true
		}
	}
	return out
}
