package crawler

import (
	"strings"

	"github.com/abadojack/whatlanggo"
)

// langCode turns a language tag ("de-DE", "fr_FR", "EN") into its
// lowercase primary subtag, or "" when it does not look like one.
func langCode(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	for _, r := range tag {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return tag
}

// detectable are the languages detection may answer: those of the member
// sites of the networks casebook serves.
var detectable = map[whatlanggo.Lang]bool{
	whatlanggo.Eng: true, whatlanggo.Fra: true, whatlanggo.Deu: true, whatlanggo.Spa: true,
	whatlanggo.Ita: true, whatlanggo.Por: true, whatlanggo.Nld: true, whatlanggo.Pol: true,
	whatlanggo.Swe: true, whatlanggo.Nob: true, whatlanggo.Dan: true, whatlanggo.Ell: true,
}

// detectLang guesses the language of text; "" when unsure.
func detectLang(text string) string {
	if len(text) > 4000 {
		text = text[:4000]
	}
	if len(strings.TrimSpace(text)) < 20 {
		return ""
	}
	info := whatlanggo.DetectWithOptions(text, whatlanggo.Options{Whitelist: detectable})
	if info.Lang < 0 || info.Confidence < 0.5 {
		return ""
	}
	return info.Lang.Iso6391()
}
