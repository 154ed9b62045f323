package benchcorpus

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/casebook-project/casebook/indexer"
)

// Zipf parameters of word choice: P(rank k) ∝ (zipfV + k)^-zipfS, close to
// the exponent of about 1 measured on natural text.
const (
	zipfS = 1.07
	zipfV = 2.0
)

// commonRanks is how many of a language's most frequent words count as
// function words: they are never domain words.
const commonRanks = 150

// vocab is the word list of one language: every word the demo pages of that
// language use, most frequent first (the order a Zipf draw follows), and
// the domain words among them.
type vocab struct {
	ranked []string // surface forms, most frequent first
	domain []string // content words of titles, headings and theme vocabulary
}

// buildVocab ranks the words of texts (all in one language) by frequency,
// keeping each word's most frequent spelling, and picks the domain words:
// words of at least four letters outside the commonRanks most frequent that
// occur in titles, headings or theme labels and synonyms of the language.
// Ties are broken alphabetically so the lists are deterministic.
func buildVocab(texts, domainTexts []string) *vocab {
	type entry struct {
		count int
		forms map[string]int
	}
	words := map[string]*entry{}
	for _, t := range texts {
		for _, w := range splitWords(t) {
			key := strings.ToLower(w)
			e := words[key]
			if e == nil {
				e = &entry{forms: map[string]int{}}
				words[key] = e
			}
			e.count++
			e.forms[w]++
		}
	}
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(words[b].count, words[a].count); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	v := &vocab{ranked: make([]string, len(keys))}
	rank := make(map[string]int, len(keys))
	for i, k := range keys {
		best, n := "", -1
		for f, c := range words[k].forms {
			if c > n || (c == n && f < best) {
				best, n = f, c
			}
		}
		v.ranked[i] = best
		rank[k] = i
	}
	seen := map[string]bool{}
	for _, t := range domainTexts {
		for _, w := range splitWords(t) {
			key := strings.ToLower(w)
			r, known := rank[key]
			if !known || r < commonRanks || len([]rune(w)) < 4 || seen[key] {
				continue
			}
			seen[key] = true
			v.domain = append(v.domain, v.ranked[r])
		}
	}
	slices.Sort(v.domain)
	return v
}

// themeTexts returns the labels of every theme in lang and all synonyms;
// buildVocab keeps only the synonyms' words that the language's pages use.
func themeTexts(lang string) []string {
	var out []string
	for _, t := range indexer.Themes() {
		out = append(out, t.Labels[lang])
		out = append(out, t.Synonyms...)
	}
	return out
}

// splitWords cuts text into words: runs of letters and digits, with inner
// apostrophes and hyphens kept ("d'asile" is split at the elision,
// "anti-rumour" stays whole).
func splitWords(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’'
	}) {
		if i := strings.IndexAny(f, "'’"); i >= 0 && i <= 2 {
			f = f[i+len(string([]rune(f[i:])[0])):]
		}
		f = strings.Trim(f, "-'’")
		if f == "" || !unicode.IsLetter([]rune(f)[0]) {
			continue
		}
		out = append(out, f)
	}
	return out
}
