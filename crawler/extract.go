package crawler

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/indexer"
)

// Extract turns a parsed page into a practice with the raw values the page
// states, as valid UTF-8 and within the caps of bound.go. pageURL is the URL the page was fetched from (after redirects);
// the practice URL is its same-host <link rel=canonical> when there is one.
// Each field comes from src.Fields' selector when it finds something, then
// from schema.org JSON-LD, OpenGraph/meta tags and, for the body, the main
// content of the page without navigation, header, footer, forms and cookie
// banners. Language: <html lang>, Content-Language, JSON-LD inLanguage,
// og:locale, then detection; src.Defaults fill city, country and language
// when the page says nothing. doc is not modified.
//
// The error is non-nil when pageURL is not an absolute http(s) URL or the
// page has no title at all; the practice is returned with what was found.
func Extract(pageURL string, doc *goquery.Document, hdr http.Header, src Source) (indexer.Practice, error) {
	p := indexer.Practice{Source: src.Name, Network: src.Network}
	norm, err := NormalizeURL(pageURL)
	if err != nil {
		return p, fmt.Errorf("extract: %w", err)
	}
	base, _ := url.Parse(norm)
	p.URL = norm
	if hdr == nil {
		hdr = http.Header{}
	}

	f := src.Fields
	p.Title = selectText(doc, f.Title)
	p.Summary = selectText(doc, f.Summary)
	p.Body = selectBody(doc, f.Body)
	p.Cities = selectAll(doc, f.City)
	p.Country = selectText(doc, f.Country)
	p.Themes = selectAll(doc, f.Themes)
	p.Period = selectText(doc, f.Period)
	p.Year = firstYear(selectText(doc, f.Year))
	p.Published = selectText(doc, f.Published)

	ld := findJSONLD(doc)
	fillFromJSONLD(&p, ld)
	meta := readMeta(doc)
	fillFromMeta(&p, meta)

	if p.Title == "" {
		p.Title = clean(doc.Find("h1").First().Text())
	}
	if p.Title == "" {
		p.Title = clean(doc.Find("title").First().Text())
	}
	if p.Body == "" {
		p.Body = mainText(doc)
	}
	if p.Year == 0 {
		// "since 2014" -> 2014; "until 2020" and "ongoing" name no start.
		p.Year, _, _ = indexer.ParsePeriod(p.Period)
	}

	p.Lang = firstNonEmpty(
		langCode(doc.Find("html").First().AttrOr("lang", "")),
		langCode(doc.Find("html").First().AttrOr("xml:lang", "")),
		langCode(strings.Split(hdr.Get("Content-Language"), ",")[0]),
		langCode(ldLang(ld)),
		langCode(meta.first("og:locale")),
		langCode(meta.first("dc.language")),
		detectLang(p.Title+"\n"+p.Summary+"\n"+p.Body),
		langCode(src.Defaults.Lang),
	)
	if len(p.Cities) == 0 && src.Defaults.City != "" {
		p.Cities = []string{src.Defaults.City}
	}
	if p.Country == "" {
		p.Country = src.Defaults.Country
	}
	if c := canonical(doc, base); c != "" {
		p.URL = c
	}
	p.Translations = translations(doc, base, norm, p.URL)
	if p.Cities == nil {
		p.Cities = []string{}
	}
	if p.Themes == nil {
		p.Themes = []string{}
	}
	boundPractice(&p)
	if p.Title == "" {
		return p, fmt.Errorf("extract %s: no title found", norm)
	}
	return p, nil
}

// attrSpec matches the attribute part of a "sel@attr" selector.
var attrSpec = regexp.MustCompile(`^[A-Za-z_:][-A-Za-z0-9_:.]*$`)

// splitSelector splits "sel@attr" into its selector and attribute.
func splitSelector(spec string) (sel, attr string) {
	spec = strings.TrimSpace(spec)
	if i := strings.LastIndexByte(spec, '@'); i > 0 && attrSpec.MatchString(spec[i+1:]) {
		return strings.TrimSpace(spec[:i]), spec[i+1:]
	}
	return spec, ""
}

// selectAll returns the cleaned text (or attribute) of every match, without
// empty values and duplicates, at most maxListValues.
func selectAll(doc *goquery.Document, spec string) []string {
	if strings.TrimSpace(spec) == "" {
		return nil
	}
	sel, attr := splitSelector(spec)
	var out []string
	seen := map[string]bool{}
	doc.Find(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		v := s.Text()
		if attr != "" {
			v = s.AttrOr(attr, "")
		}
		if v = clean(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
		return len(out) < maxListValues
	})
	return out
}

// selectText returns the first non-empty value of spec's matches.
func selectText(doc *goquery.Document, spec string) string {
	if vs := selectAll(doc, spec); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// selectBody returns the text of every match with paragraph breaks,
// boilerplate removed.
func selectBody(doc *goquery.Document, spec string) string {
	if strings.TrimSpace(spec) == "" {
		return ""
	}
	sel, attr := splitSelector(spec)
	if attr != "" {
		return selectText(doc, spec)
	}
	s := doc.Find(sel)
	if s.Length() == 0 {
		return ""
	}
	c := s.Clone()
	stripBoilerplate(c)
	return blockText(c.Nodes)
}

var yearRE = regexp.MustCompile(`(?:^|[^0-9])((?:1[89]|20)[0-9]{2})(?:[^0-9]|$)`)

// firstYear returns the first 4-digit year (1800–2099) in s, or 0.
func firstYear(s string) int {
	m := yearRE.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

// clean collapses white space.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// canonical returns the page's <link rel=canonical> normalised when it is
// on the page's host, else "".
func canonical(doc *goquery.Document, base *url.URL) string {
	href, ok := doc.Find(`link[rel~="canonical"][href]`).First().Attr("href")
	if !ok {
		return ""
	}
	n, ok := resolve(base, href)
	if !ok || len(n) > maxURLLength {
		return ""
	}
	if u, err := url.Parse(n); err != nil || u.Host != base.Host {
		return ""
	}
	return n
}

// translations reads <link rel=alternate hreflang=xx href>, without
// x-default and without the page itself, at most maxTranslations.
func translations(doc *goquery.Document, base *url.URL, self, canon string) []indexer.Translation {
	out := []indexer.Translation{}
	seen := map[string]bool{self: true, canon: true}
	doc.Find(`link[rel~="alternate"][hreflang][href]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		hl := strings.ToLower(strings.TrimSpace(s.AttrOr("hreflang", "")))
		if hl == "" || hl == "x-default" {
			return true
		}
		n, ok := resolve(base, s.AttrOr("href", ""))
		if !ok || seen[n] || len(n) > maxURLLength {
			return true
		}
		lang := langCode(hl)
		if lang == "" {
			return true
		}
		seen[n] = true
		out = append(out, indexer.Translation{Lang: lang, URL: n})
		return len(out) < maxTranslations
	})
	return out
}
