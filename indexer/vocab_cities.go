package indexer

import "slices"

// cities is the city gazetteer: the member cities of the Council of
// Europe's Intercultural Cities programme and of the International
// Observatory of Mayors on Living Together, and the other cities member
// sites write about. Each has its English name (the value stored in
// documents and shown in facets), its ISO 3166-1 alpha-2 country, its
// names in French, German and the local languages, and other spellings.
// The gazetteer is wider than the memberships: a city that is not (or no
// longer) a member does no harm here.
var cities = slices.Concat(
	citiesIberia, citiesItaly, citiesFranceBenelux, citiesGermanAlps,
	citiesNordicBritish, citiesCentralEast, citiesSouthEast,
	citiesAfricaMiddleEast, citiesAmericas, citiesAsiaPacific,
)

// names holds a city's names by language code.
type names = map[string]string

// city builds a gazetteer entry. fr and de are the French and German
// names, empty when they are the English one; local holds the names in
// the languages of the place (nil when they are the English one); aliases
// are other spellings and the official forms sites write.
func city(name, country, fr, de string, local names, aliases ...string) City {
	if fr == "" {
		fr = name
	}
	if de == "" {
		de = name
	}
	n := names{"en": name, "fr": fr, "de": de}
	for lang, v := range local {
		if lang != "en" {
			n[lang] = v
		}
	}
	return City{Name: name, Country: country, Names: n, Aliases: aliases}
}
