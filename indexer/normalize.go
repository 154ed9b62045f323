package indexer

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// maxIDLen bounds the length of a practice id.
const maxIDLen = 256

// Normalize maps a practice with the raw values a page or an import line
// used onto the controlled vocabulary and cleans it:
//
//   - text fields are valid UTF-8 (NFC) without control characters, with
//     white space collapsed (the body keeps its paragraphs);
//   - cities become their English names ("Lissabon" -> "Lisbon"), unknown
//     cities are kept (capitalised when written all in one case),
//     duplicates are dropped and the main city stays first; a raw entry may
//     hold several cities separated by ";";
//   - country becomes an ISO code, from the country given or else from the
//     first known city;
//   - themes become theme ids; unknown labels are dropped;
//   - lang becomes a lowercase ISO 639-1 code ("de-DE" -> "de");
//   - the period is cleaned (ParsePeriod) and a year of 0 (or outside
//     1900..2100) is its start year ("since 2014" -> 2014, "until 2020"
//     and "ongoing" -> 0);
//   - published becomes an RFC 3339 full date, or is dropped;
//   - an empty id is derived from the URL (IDForURL);
//   - translations get normalised languages, lose duplicates and the
//     practice itself, and are sorted by language.
//
// Normalize is idempotent. It returns an error wrapping ErrInvalid, naming
// the field, when both id and url are empty or when the title is empty.
func Normalize(p Practice) (Practice, error) {
	n := Practice{
		ID:      cleanLine(p.ID),
		URL:     cleanLine(p.URL),
		Source:  cleanLine(p.Source),
		Network: cleanLine(p.Network),
		Title:   cleanLine(p.Title),
		Summary: cleanLine(p.Summary),
		Body:    cleanText(p.Body),
		Lang:    NormalizeLang(p.Lang),
	}
	start, period, _ := ParsePeriod(p.Period)
	n.Period = period
	if n.ID == "" && n.URL == "" {
		return Practice{}, fmt.Errorf("%w: id and url are both empty", ErrInvalid)
	}
	if n.Title == "" {
		return Practice{}, fmt.Errorf("%w: title is empty (id %q, url %q)", ErrInvalid, n.ID, n.URL)
	}
	if n.URL != "" && WebURL(n.URL) == "" {
		// Pages and the widget link to the practice: a javascript: or
		// data: link must not reach them.
		return Practice{}, fmt.Errorf("%w: url %q is not an http or https address", ErrInvalid, truncate(n.URL, 80))
	}
	if len(n.ID) > maxIDLen {
		return Practice{}, fmt.Errorf("%w: id is longer than %d bytes", ErrInvalid, maxIDLen)
	}
	if n.ID == "" {
		n.ID = IDForURL(n.URL)
	}

	var firstCountry string
	n.Cities, firstCountry = normalizeCities(p.Cities)
	n.Country = firstCountry
	if code, ok := LookupCountry(p.Country); ok {
		n.Country = code
	}
	n.Themes = normalizeThemes(p.Themes)

	n.Year = p.Year
	if n.Year < minYear || n.Year > maxYear {
		n.Year = 0
	}
	if n.Year == 0 {
		n.Year = start
	}
	n.Published = parseDate(p.Published)
	n.Translations = normalizeTranslations(p.Translations, n.URL, n.Lang)
	return n, nil
}

// normalizeCities maps raw city names onto the vocabulary. It also returns
// the country of the first known city.
func normalizeCities(raw []string) (out []string, country string) {
	out = []string{}
	seen := map[string]bool{}
	for _, entry := range raw {
		for _, name := range strings.FieldsFunc(entry, func(r rune) bool { return r == ';' || r == '|' }) {
			name = cleanLine(name)
			if name == "" {
				continue
			}
			known, ok := cityList(name)
			if !ok {
				known = []string{titleCase(name)}
			}
			for _, n := range known {
				if c, ok := cityTable.get(n); ok && country == "" {
					country = c.Country
				}
				if k := fold(n); !seen[k] {
					seen[k] = true
					out = append(out, n)
				}
			}
		}
	}
	return out, country
}

// listSeparators split "Getxo, Bilbao", "Getxo and Bilbao", "Getxo et
// Bilbao", "Getxo und Bilbao", "Getxo & Bilbao".
var listSeparators = strings.NewReplacer(" and ", ",", " et ", ",", " und ", ",", " & ", ",", " y ", ",", " e ", ",")

// cityList reads name as one known city, or else as a list of known
// cities, returning their canonical names. A list counts only when every
// part is a known city, so "Lisbon, Portugal" stays one city (the gazetteer
// reads that form) and an unknown place is never cut into pieces.
func cityList(name string) ([]string, bool) {
	if c, ok := cityTable.get(name); ok {
		return []string{c.Name}, true
	}
	parts := strings.Split(listSeparators.Replace(name), ",")
	if len(parts) < 2 {
		return nil, false
	}
	var out []string
	for _, part := range parts {
		c, ok := cityTable.get(strings.TrimSpace(part))
		if !ok {
			return nil, false
		}
		out = append(out, c.Name)
	}
	return out, true
}

// normalizeThemes maps raw labels onto theme ids. A label that is not known
// as a whole is split at ";", ",", "/" and "|" and its parts are looked up.
func normalizeThemes(raw []string) []string {
	out := []string{}
	add := func(id string) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, label := range raw {
		if id, ok := LookupTheme(label); ok {
			add(id)
			continue
		}
		for _, part := range strings.FieldsFunc(label, func(r rune) bool {
			return r == ';' || r == ',' || r == '/' || r == '|'
		}) {
			if id, ok := LookupTheme(part); ok {
				add(id)
			}
		}
	}
	return out
}

// normalizeTranslations keeps one alternate per language, other than the
// practice's own language and URL, sorted by language.
func normalizeTranslations(raw []Translation, self, selfLang string) []Translation {
	out := []Translation{}
	for _, t := range raw {
		t = Translation{Lang: NormalizeLang(t.Lang), URL: cleanLine(t.URL)}
		if t.Lang == "" || t.URL == "" || t.URL == self || t.Lang == selfLang || WebURL(t.URL) == "" {
			continue
		}
		if slices.ContainsFunc(out, func(o Translation) bool { return o.Lang == t.Lang || o.URL == t.URL }) {
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Translation) int { return strings.Compare(a.Lang, b.Lang) })
	return out
}

// WebURL returns s when it is an absolute http or https URL with a host,
// else "": the only links pages, the API and the widget may show.
func WebURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// truncate cuts s to at most n bytes for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
