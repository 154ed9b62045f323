package indexer

import (
	"fmt"
	"slices"
	"strings"
)

// Theme is one entry of the controlled theme vocabulary (CONTRACT §4).
type Theme struct {
	ID       string
	Labels   map[string]string // "en", "fr", "de"
	Synonyms []string          // tags and words in any language that mean this theme
}

// City is a city of the vocabulary. Name is the English name used in
// documents and facets; Names holds the name in other languages ("fr",
// "de", and the local language); Aliases other spellings.
type City struct {
	Name    string
	Country string // ISO 3166-1 alpha-2
	Names   map[string]string
	Aliases []string
}

// country is an entry of the country table.
type country struct {
	Code    string            // ISO 3166-1 alpha-2
	Names   map[string]string // "en", "fr", "de" and local languages
	Aliases []string          // alpha-3 codes, short and historic names
}

// The lookup tables, built once by init from the vocabulary data.
var (
	themeTable   = newLookupTable(func(a, b string) bool { return a == b })
	themeByID    = map[string]*Theme{}
	cityTable    = cityLookup{newLookupTable(func(a, b *City) bool { return a == b })}
	cityByName   = map[string]*City{}
	countryTable = newLookupTable(func(a, b string) bool { return a == b })
	countryByISO = map[string]*country{}
)

func init() {
	if err := buildVocabulary(); err != nil {
		panic(err)
	}
}

// buildVocabulary fills the lookup tables and fails on a label that would
// map to two different entries.
func buildVocabulary() error {
	for i := range themes {
		t := &themes[i]
		themeByID[t.ID] = t
		words := []string{t.ID}
		for _, l := range t.Labels {
			words = append(words, l)
		}
		words = append(words, t.Synonyms...)
		for _, w := range words {
			if old, ok := themeTable.add(w, t.ID); !ok {
				return fmt.Errorf("vocabulary: theme label %q means both %s and %s", w, old, t.ID)
			}
		}
	}
	for i := range countries {
		c := &countries[i]
		if countryByISO[c.Code] != nil {
			return fmt.Errorf("vocabulary: country %s listed twice", c.Code)
		}
		if err := checkNames("country "+c.Code, c.Names); err != nil {
			return err
		}
		countryByISO[c.Code] = c
		words := append([]string{c.Code}, c.Aliases...)
		for _, n := range c.Names {
			words = append(words, n)
		}
		for _, w := range words {
			if old, ok := countryTable.add(w, c.Code); !ok {
				return fmt.Errorf("vocabulary: country name %q means both %s and %s", w, old, c.Code)
			}
		}
	}
	for i := range cities {
		c := &cities[i]
		if countryByISO[c.Country] == nil {
			return fmt.Errorf("vocabulary: city %s has unknown country %q", c.Name, c.Country)
		}
		if cityByName[c.Name] != nil {
			return fmt.Errorf("vocabulary: city %s listed twice", c.Name)
		}
		if c.Names["en"] != c.Name {
			return fmt.Errorf("vocabulary: city %s has the English name %q", c.Name, c.Names["en"])
		}
		if err := checkNames("city "+c.Name, c.Names); err != nil {
			return err
		}
		cityByName[c.Name] = c
		words := append([]string{c.Name}, c.Aliases...)
		for _, n := range c.Names {
			words = append(words, n)
		}
		for _, w := range words {
			if old, ok := cityTable.add(w, c); !ok {
				return fmt.Errorf("vocabulary: city name %q means both %s and %s", w, old.Name, c.Name)
			}
		}
	}
	for code, names := range languages {
		if len(code) != 2 {
			return fmt.Errorf("vocabulary: language code %q is not two letters", code)
		}
		for _, ui := range []string{"en", "fr", "de"} {
			if names[ui] == "" {
				return fmt.Errorf("vocabulary: language %s has no %s label", code, ui)
			}
		}
		for _, n := range names {
			langByName[fold(n)] = code
		}
	}
	return nil
}

// checkNames fails unless names has an English, French and German name
// and every key is a lower-case ISO 639 code.
func checkNames(what string, names map[string]string) error {
	for _, ui := range []string{"en", "fr", "de"} {
		if names[ui] == "" {
			return fmt.Errorf("vocabulary: %s has no %s name", what, ui)
		}
	}
	for lang, n := range names {
		if len(lang) < 2 || len(lang) > 3 || strings.ToLower(lang) != lang || n == "" {
			return fmt.Errorf("vocabulary: %s has the name %q under language %q", what, n, lang)
		}
	}
	return nil
}

// Themes returns the theme vocabulary in CONTRACT §4 order. The result is a
// copy; changing it changes nothing here.
func Themes() []Theme {
	out := make([]Theme, len(themes))
	for i, t := range themes {
		lb := make(map[string]string, len(t.Labels))
		for k, v := range t.Labels {
			lb[k] = v
		}
		out[i] = Theme{ID: t.ID, Labels: lb, Synonyms: slices.Clone(t.Synonyms)}
	}
	return out
}

// LookupTheme maps a theme id, label or synonym in any language onto the
// theme id. Case, accents, punctuation and connector words ("&", "and",
// "et", "und") do not matter: "Réfugiés", "refugies", "Flüchtlinge" and
// "Asylum seekers" all give "refugees".
func LookupTheme(label string) (id string, ok bool) {
	return themeTable.get(label)
}

// ThemeLabel returns the label of theme id in the interface language ui
// ("en", "fr", "de"), English for other languages, and id itself for an
// unknown id.
func ThemeLabel(id, ui string) string {
	t := themeByID[id]
	if t == nil {
		return id
	}
	if l := t.Labels[ui]; l != "" {
		return l
	}
	return t.Labels["en"]
}

// LookupCity finds a city by any of its names or aliases, in any case and
// with or without accents: "Lissabon", "lisbonne" and "LISBOA" all give
// Lisbon. The forms city governments and sites wrap names in are
// understood too: "Câmara Municipal de Lisboa", "City of Lisbon",
// "Lisbon, Portugal", "Lisbon (PT)", "1100 Lisboa"; a qualifier naming
// another country ("Lisbon, Spain") makes the name unknown.
func LookupCity(name string) (City, bool) {
	c, ok := cityTable.get(name)
	if !ok {
		return City{}, false
	}
	return cloneCity(c), true
}

func cloneCity(c *City) City {
	names := make(map[string]string, len(c.Names))
	for k, v := range c.Names {
		names[k] = v
	}
	return City{Name: c.Name, Country: c.Country, Names: names, Aliases: slices.Clone(c.Aliases)}
}

// Cities returns the city vocabulary.
func Cities() []City {
	out := make([]City, len(cities))
	for i := range cities {
		out[i] = cloneCity(&cities[i])
	}
	return out
}

// CityLabel returns the name of a city in the interface language ui
// ("Lisbon", "fr" -> "Lisbonne"). name may be any known form; an unknown
// city comes back as given.
func CityLabel(name, ui string) string {
	c := cityByName[name]
	if c == nil {
		var ok bool
		if c, ok = cityTable.get(name); !ok {
			return name
		}
	}
	if l := c.Names[ui]; l != "" {
		return l
	}
	return c.Name
}

// LookupCountry maps an ISO 3166-1 alpha-2 or alpha-3 code or a country
// name in English, French, German or a local language onto the alpha-2
// code: "Deutschland", "Allemagne", "germany" and "DE" all give "DE".
func LookupCountry(name string) (code string, ok bool) {
	return countryTable.get(name)
}

// CountryLabel returns the name of the country with the given code in the
// interface language ui, English for other languages, and the code itself
// when unknown.
func CountryLabel(code, ui string) string {
	c := countryByISO[strings.ToUpper(code)]
	if c == nil {
		return code
	}
	if l := c.Names[ui]; l != "" {
		return l
	}
	return c.Names["en"]
}
