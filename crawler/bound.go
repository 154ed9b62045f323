package crawler

import (
	"strings"
	"unicode/utf8"

	"github.com/casebook-project/casebook/indexer"
)

// Caps on what one page can put into a practice, so that a hostile or
// broken page (10,000 tag links, a megabyte <h1>, a thousand hreflang
// alternates) yields a practice of sane size.
const (
	// maxListValues caps the cities and the themes of one practice (the
	// first ones in document order are kept).
	maxListValues = 100
	// maxTranslations caps the hreflang alternates of one practice, and so
	// the translation URLs it queues (sitemaps: maxAlternates).
	maxTranslations = 50
	// maxFieldBytes caps title, country, period, published and every city
	// and theme, cut at a character boundary.
	maxFieldBytes = 1 << 10
	// maxSummaryBytes caps the summary; the body is bounded by
	// Config.MaxPageBytes.
	maxSummaryBytes = 8 << 10
)

// boundPractice makes every string of p valid UTF-8 (invalid bytes become
// U+FFFD) and applies the caps above.
func boundPractice(p *indexer.Practice) {
	p.Title = boundString(p.Title, maxFieldBytes)
	p.Summary = boundString(p.Summary, maxSummaryBytes)
	p.Body = boundString(p.Body, len(p.Body)+1)
	p.Country = boundString(p.Country, maxFieldBytes)
	p.Period = boundString(p.Period, maxFieldBytes)
	p.Published = boundString(p.Published, maxFieldBytes)
	p.Lang = boundString(p.Lang, maxFieldBytes)
	p.Cities = boundList(p.Cities)
	p.Themes = boundList(p.Themes)
	if len(p.Translations) > maxTranslations {
		p.Translations = p.Translations[:maxTranslations]
	}
}

func boundList(vs []string) []string {
	if len(vs) > maxListValues {
		vs = vs[:maxListValues]
	}
	for i, v := range vs {
		vs[i] = boundString(v, maxFieldBytes)
	}
	return vs
}

// boundString returns s as valid UTF-8, cut to at most limit bytes at a
// character boundary, trailing space trimmed after a cut.
func boundString(s string, limit int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut])
}
