package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/casebook-project/casebook/indexer"
)

// Suggestion kinds.
const (
	KindTerm  = "term"
	KindCity  = "city"
	KindTheme = "theme"
)

// Suggestion is one type-ahead proposal.
type Suggestion struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
}

// MaxSuggestions caps the suggestions of one request.
const MaxSuggestions = 10

// Suggestions are answered from memory: theme labels (fixed), and the
// cities and title words of the index, read at first use and read again
// when the number of documents has changed, at most once every
// suggestRefresh (a crawl changes it with every page).
const (
	suggestRefresh  = 10 * time.Second
	maxSuggestDocs  = 100000 // documents whose titles are read
	minSuggestWord  = 3      // shortest title word proposed
	suggestLoadSize = 1000   // documents read per request
)

// Suggest proposes completions of prefix (at least 2 letters; accents and
// case ignored): theme labels and city names whose label in any language,
// synonym or local form starts with it (given in ui), then words of
// practice titles starting with it, as the titles write them — words of
// titles in ui first, most frequent first, then words of other languages.
func (e *Engine) Suggest(ctx context.Context, prefix, ui string) ([]Suggestion, error) {
	out := []Suggestion{}
	p := fold(strings.TrimSpace(clean(prefix)))
	if utf8.RuneCountInString(p) < 2 || utf8.RuneCountInString(p) > 64 {
		return out, nil
	}
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()
	w, err := e.words.get(ctx, e)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	add := func(text, kind string) {
		if len(out) < MaxSuggestions && !seen[kind+"\x00"+text] {
			seen[kind+"\x00"+text] = true
			out = append(out, Suggestion{Text: text, Kind: kind})
		}
	}
	for _, t := range themeForms() {
		if anyPrefix(t.forms, p) {
			add(FacetLabel(FacetTheme, t.id, ui), KindTheme)
		}
	}
	for _, c := range w.cities {
		if anyPrefix(c.forms, p) {
			add(FacetLabel(FacetCity, c.id, ui), KindCity)
		}
	}
	langs := append([]string{ui}, textLangs...)
	for _, lang := range langs {
		for _, word := range w.complete(lang, p, MaxSuggestions) {
			add(word, KindTerm)
		}
	}
	return out, nil
}

// formsOf is a vocabulary value with its forms, folded.
type formsOf struct {
	id    string
	forms []string
}

// themeForms lists every theme with its folded labels and synonyms.
var themeForms = sync.OnceValue(func() []formsOf {
	var out []formsOf
	for _, t := range indexer.Themes() {
		forms := append([]string{t.ID}, t.Synonyms...)
		for _, l := range t.Labels {
			forms = append(forms, l)
		}
		out = append(out, formsOf{id: t.ID, forms: foldAll(forms)})
	}
	return out
})

func foldAll(forms []string) []string {
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = fold(f)
	}
	return out
}

// suggestWords holds the current wordList of an engine.
type suggestWords struct {
	mu      sync.Mutex
	list    *wordList
	count   uint64
	checked time.Time
}

// wordList is what suggestions are taken from: the cities of the index and
// the words of its titles by language, sorted by folded form.
type wordList struct {
	cities []formsOf
	words  map[string][]titleWord
}

type titleWord struct {
	key   string // folded
	text  string // as the titles write it
	count int    // titles using it
}

func (s *suggestWords) get(ctx context.Context, e *Engine) (*wordList, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.list != nil && time.Since(s.checked) < suggestRefresh {
		return s.list, nil
	}
	n, err := e.ix.Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	s.checked = time.Now()
	if s.list != nil && n == s.count {
		return s.list, nil
	}
	list, err := e.loadWords(ctx)
	if err != nil {
		return nil, err
	}
	s.list, s.count = list, n
	return list, nil
}

// loadWords reads the cities and the titles of the index.
func (e *Engine) loadWords(ctx context.Context) (*wordList, error) {
	idx := e.ix.Bleve()
	d, err := idx.FieldDict(fieldCity)
	if err != nil {
		return nil, fmt.Errorf("suggest: city names: %w", err)
	}
	var cities []string
	for {
		entry, err := d.Next()
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("suggest: city names: %w", err)
		}
		if entry == nil {
			break
		}
		cities = append(cities, entry.Term)
	}
	d.Close()
	out := &wordList{words: map[string][]titleWord{}}
	for _, name := range cities {
		forms := []string{name}
		if c, ok := indexer.LookupCity(name); ok {
			forms = append(forms, c.Aliases...)
			for _, n := range c.Names {
				forms = append(forms, n)
			}
		}
		out.cities = append(out.cities, formsOf{id: name, forms: foldAll(forms)})
	}

	counts := map[string]map[string]map[string]int{} // lang -> key -> surface -> titles
	var after []string
	for read := 0; read < maxSuggestDocs; {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), suggestLoadSize, 0, false)
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		req.Fields = []string{indexer.FieldDoc}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("suggest: titles: %w", err)
		}
		for _, h := range res.Hits {
			p, err := indexer.DecodeStored(h.Fields)
			if err != nil {
				continue
			}
			lang := textLangOf(p.Lang)
			if counts[lang] == nil {
				counts[lang] = map[string]map[string]int{}
			}
			seen := map[string]bool{}
			for i, w := range titleWords(p.Title) {
				if utf8.RuneCountInString(w) < minSuggestWord {
					continue
				}
				if i == 0 && lang != "de" {
					w = strings.ToLower(w) // sentence case, except German nouns
				}
				key := fold(w)
				if seen[w] {
					continue
				}
				seen[w] = true
				if counts[lang][key] == nil {
					counts[lang][key] = map[string]int{}
				}
				counts[lang][key][w]++
			}
		}
		read += len(res.Hits)
		if len(res.Hits) < suggestLoadSize {
			break
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
	for lang, byKey := range counts {
		list := make([]titleWord, 0, len(byKey))
		for key, forms := range byKey {
			tw := titleWord{key: key}
			for text, n := range forms {
				tw.count += n
				if n > forms[tw.text] || n == forms[tw.text] && (tw.text == "" || text < tw.text) {
					tw.text = text
				}
			}
			list = append(list, tw)
		}
		slices.SortFunc(list, func(a, b titleWord) int { return strings.Compare(a.key, b.key) })
		out.words[lang] = list
	}
	return out, nil
}

// textLangOf maps a practice language to its text-field language.
func textLangOf(lang string) string {
	if slices.Contains(textLangs, lang) {
		return lang
	}
	return indexer.LangOther
}

// titleWords splits a title into words (letters, digits, inner hyphens
// and apostrophes), dropping an English possessive "'s".
func titleWords(title string) []string {
	fields := strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’'
	})
	out := fields[:0]
	for _, w := range fields {
		w = strings.Trim(w, "-'’")
		for _, s := range []string{"'s", "’s"} {
			w = strings.TrimSuffix(w, s)
		}
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// complete returns up to n words of lang's titles starting with p
// (folded), the most used first, then the shortest.
func (w *wordList) complete(lang, p string, n int) []string {
	list := w.words[textLangOf(lang)]
	i, _ := slices.BinarySearchFunc(list, p, func(tw titleWord, p string) int { return strings.Compare(tw.key, p) })
	var hits []titleWord
	for ; i < len(list) && strings.HasPrefix(list[i].key, p); i++ {
		hits = append(hits, list[i])
	}
	slices.SortStableFunc(hits, func(a, b titleWord) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(len(a.key), len(b.key))
	})
	out := make([]string, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.text)
	}
	return out
}

// anyPrefix reports whether a form, or a word inside it, starts with p
// (forms and p already folded).
func anyPrefix(forms []string, p string) bool {
	for _, f := range forms {
		if strings.HasPrefix(f, p) {
			return true
		}
		for _, w := range strings.Fields(f) {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// fold lowercases s and removes accents.
func fold(s string) string {
	lower := strings.ToLower(s)
	if isASCII(lower) {
		return lower // nothing to decompose
	}
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	t.Reset()
	out, _, err := transform.String(t, lower)
	if err != nil {
		return lower
	}
	return out
}

// folders lends accent-removing transformers: building one allocates a
// chain and its buffers, and the plan folds every word of every query.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}
