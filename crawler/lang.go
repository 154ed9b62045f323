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
//
// Detection is the last resort, after <html lang>, Content-Language,
// JSON-LD inLanguage and og:locale. whatlanggo was kept after measuring it
// against pemistahl/lingua-go v1.4.0 restricted to the same 12 languages,
// on the 77 demo pages (true language from the content file name):
//
//	                        title+body   ms/detection   titles alone          ms   heap after load   binary
//	whatlanggo (as used)    77/77        0.88           55 right, 19 "", 3 wrong  0.08   0 (static tables)  +2.8 MB
//	lingua high accuracy    77/77        4.50           71 right, 6 wrong     0.38   208 MiB preloaded  +132 MB
//	lingua low accuracy     77/77        4.95           68 right, 9 wrong     0.17   10 MiB
//
// Both are right on every page; lingua is better on titles alone, but
// titles alone never reach detection here (the body is always part of the
// text) and an unsure answer falls back to the source's default language,
// which is better than a wrong one. lingua costs 5x the time, up to 208 MiB
// of heap and 132 MB of embedded models in the binary.
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
