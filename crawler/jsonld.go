package crawler

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/indexer"
)

// ldRank orders the schema.org types a practice page may describe itself
// with: an article beats a generic creative work beats the web page.
var ldRank = map[string]int{
	"article": 3, "newsarticle": 3, "blogposting": 3, "report": 3, "scholarlyarticle": 3,
	"creativework": 2, "project": 2,
	"webpage": 1, "itempage": 1,
}

// findJSONLD returns the best-ranked schema.org object of the page's
// JSON-LD blocks (looking into arrays, @graph and mainEntity), or nil.
func findJSONLD(doc *goquery.Document) map[string]any {
	var best map[string]any
	bestRank := 0
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 4 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		case map[string]any:
			if r := typeRank(t["@type"]); r > bestRank {
				best, bestRank = t, r
			}
			walk(t["@graph"], depth+1)
			walk(t["mainEntity"], depth+1)
		}
	}
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		text := strings.TrimSpace(s.Text())
		text = strings.TrimSuffix(strings.TrimPrefix(text, "<!--"), "-->")
		var v any
		if json.Unmarshal([]byte(text), &v) == nil {
			walk(v, 0)
		}
	})
	return best
}

func typeRank(t any) int {
	best := 0
	for _, name := range ldStrings(t) {
		if r := ldRank[strings.ToLower(name)]; r > best {
			best = r
		}
	}
	return best
}

// ldStrings flattens a JSON-LD value to strings: a string, the name of an
// object, or each element of an array.
func ldStrings(v any) []string {
	switch t := v.(type) {
	case string:
		if s := clean(html.UnescapeString(t)); s != "" {
			return []string{s}
		}
	case float64:
		return []string{strconv.FormatFloat(t, 'f', -1, 64)}
	case map[string]any:
		for _, k := range []string{"name", "@value", "alternateName"} {
			if s := ldStrings(t[k]); len(s) > 0 {
				return s[:1]
			}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldStrings(e)...)
		}
		return out
	}
	return nil
}

func ldString(v any) string {
	if s := ldStrings(v); len(s) > 0 {
		return s[0]
	}
	return ""
}

// ldLang returns inLanguage of the chosen object.
func ldLang(ld map[string]any) string {
	if ld == nil {
		return ""
	}
	return ldString(ld["inLanguage"])
}

// fillFromJSONLD fills the fields still empty from a schema.org object.
func fillFromJSONLD(p *indexer.Practice, ld map[string]any) {
	if ld == nil {
		return
	}
	if p.Title == "" {
		p.Title = firstNonEmpty(ldString(ld["headline"]), ldString(ld["name"]))
	}
	if p.Summary == "" {
		p.Summary = ldString(ld["description"])
	}
	if p.Body == "" {
		if s, ok := ld["articleBody"].(string); ok {
			p.Body = paragraphs(html.UnescapeString(s))
		}
	}
	if len(p.Themes) == 0 {
		// keywords are the site's own tags; about (Things) stands in when
		// a page has none.
		p.Themes = dedupe(splitKeywords(ld["keywords"]))
		if len(p.Themes) == 0 {
			p.Themes = dedupe(ldStrings(ld["about"]))
		}
	}
	if len(p.Cities) == 0 || p.Country == "" {
		var cities []string
		country := ""
		for _, key := range []string{"contentLocation", "spatialCoverage", "locationCreated"} {
			cs, c := ldPlaces(ld[key])
			cities = append(cities, cs...)
			if country == "" {
				country = c
			}
		}
		if len(p.Cities) == 0 {
			p.Cities = dedupe(cities)
		}
		if p.Country == "" {
			p.Country = country
		}
	}
	if p.Published == "" {
		p.Published = ldString(ld["datePublished"])
	}
	if p.Period == "" {
		p.Period = ldString(ld["temporalCoverage"])
	}
}

// ldPlaces reads cities and the first country from a Place, a string or
// an array of them. A Place's city is address.addressLocality, else name.
func ldPlaces(v any) (cities []string, country string) {
	switch t := v.(type) {
	case string:
		if s := clean(t); s != "" {
			cities = append(cities, s)
		}
	case []any:
		for _, e := range t {
			cs, c := ldPlaces(e)
			cities = append(cities, cs...)
			if country == "" {
				country = c
			}
		}
	case map[string]any:
		var addr map[string]any
		switch a := t["address"].(type) {
		case map[string]any:
			addr = a
		case []any:
			if len(a) > 0 {
				addr, _ = a[0].(map[string]any)
			}
		}
		city := ""
		if addr != nil {
			city = ldString(addr["addressLocality"])
			country = ldString(addr["addressCountry"])
		}
		if city == "" {
			city = ldString(t["name"])
		}
		if city != "" {
			cities = append(cities, city)
		}
	}
	return cities, country
}

// splitKeywords reads schema.org keywords: a comma separated string or an
// array of strings (each possibly comma separated).
func splitKeywords(v any) []string {
	var out []string
	for _, s := range ldStrings(v) {
		for _, part := range strings.Split(s, ",") {
			if part = clean(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func dedupe(vs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// paragraphs collapses white space inside paragraphs of plain text and
// separates them by one blank line.
func paragraphs(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = clean(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}
