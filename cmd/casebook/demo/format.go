package demo

import (
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var templateFuncs = template.FuncMap{
	"longDate": longDate,
	"isoDate":  func(t time.Time) string { return t.Format(time.DateOnly) },
	"numDate":  func(t time.Time) string { return t.Format("02.01.2006") },
	"slugify":  slugify,
	"join":     strings.Join,
	"langName": langName,
	"ogLocale": ogLocale,
	"add":      func(a, b int) int { return a + b },
	"excerpt":  excerpt,
	"wpLang":   wpLang,
}

var wpLangs = map[string]string{"en": "en-US", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT", "nl": "nl-NL", "pt": "pt-PT"}

// wpLang is the language tag WordPress writes for a language.
func wpLang(lang string) string {
	if t, ok := wpLangs[lang]; ok {
		return t
	}
	return lang
}

var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
}

// longDate writes a date the way a page in lang would: "12 April 2023",
// "12 mars 2023", "12. April 2023".
func longDate(lang string, t time.Time) string {
	m, ok := months[lang]
	if !ok {
		m = months["en"]
	}
	if lang == "de" {
		return fmt.Sprintf("%d. %s %d", t.Day(), m[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), m[t.Month()-1], t.Year())
}

// slugify turns a tag into a URL segment: "Réfugiés" -> "refugies".
func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
			hyphen = false
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			hyphen = false
		default:
			if !hyphen && b.Len() > 0 {
				b.WriteByte('-')
				hyphen = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

var langNames = map[string]string{"en": "English", "fr": "Français", "de": "Deutsch"}

// langName is a language's name in itself, for language switchers.
func langName(code string) string {
	if n, ok := langNames[code]; ok {
		return n
	}
	return strings.ToUpper(code)
}

var locales = map[string]string{"en": "en_GB", "fr": "fr_FR", "de": "de_DE"}

// ogLocale is the OpenGraph locale of a language.
func ogLocale(lang string) string {
	if l, ok := locales[lang]; ok {
		return l
	}
	return lang
}

// excerpt is the first paragraph of a body cut to about n characters.
func excerpt(p *PracticePage, n int) string {
	for _, b := range p.Body {
		if b.Kind != Paragraph {
			continue
		}
		r := []rune(b.Text)
		if len(r) <= n {
			return b.Text
		}
		cut := strings.LastIndexByte(string(r[:n]), ' ')
		if cut < 0 {
			cut = len(string(r[:n]))
		}
		return strings.TrimRight(string(r[:n])[:cut], ",;:") + " …"
	}
	return p.Summary
}
