package search

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// lexiconTSV is the bilingual domain lexicon: one concept a line with its
// English, French and German forms (see the file's header).
//
//go:embed data/lexicon.tsv
var lexiconTSV string

// lexiconLangs are the languages of the lexicon's columns, in file order.
var lexiconLangs = []string{"en", "fr", "de"}

// Concept is one row of the lexicon: the forms of one idea in each
// language, headword first.
type Concept struct {
	Key   string
	Forms map[string][]string // by language: en, fr, de
}

// Limits of the expansion of one query text.
const (
	maxLexiconConcepts = 3 // concepts one word or phrase may expand to
	maxLexiconForms    = 4 // forms of one concept added per language
)

// lexicon is the parsed lexicon, read once when the package is loaded; a
// broken file is a programming error caught by the package's tests.
var lexicon = mustParseLexicon(lexiconTSV)

// Lexicon returns the concepts of the embedded lexicon in file order.
func Lexicon() []Concept { return lexicon }

func mustParseLexicon(src string) []Concept {
	cs, err := parseLexicon(src)
	if err != nil {
		panic(fmt.Sprintf("search: embedded lexicon: %v", err))
	}
	return cs
}

// parseLexicon reads the lexicon format: key, then one "|"-separated cell
// per language of lexiconLangs, tab-separated; "#" comments and blank lines
// are skipped. Every cell must hold at least one form and keys are unique.
func parseLexicon(src string) ([]Concept, error) {
	var out []Concept
	keys := map[string]int{}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		if len(cells) != 1+len(lexiconLangs) {
			return nil, fmt.Errorf("line %d: %d cells, want %d", n+1, len(cells), 1+len(lexiconLangs))
		}
		c := Concept{Key: strings.TrimSpace(cells[0]), Forms: map[string][]string{}}
		if c.Key == "" {
			return nil, fmt.Errorf("line %d: empty key", n+1)
		}
		if prev, ok := keys[c.Key]; ok {
			return nil, fmt.Errorf("line %d: key %q already on line %d", n+1, c.Key, prev)
		}
		keys[c.Key] = n + 1
		for i, lang := range lexiconLangs {
			for _, f := range strings.Split(cells[i+1], "|") {
				f = strings.Join(strings.Fields(f), " ")
				if f == "" {
					return nil, fmt.Errorf("line %d (%s): empty %s form", n+1, c.Key, lang)
				}
				c.Forms[lang] = append(c.Forms[lang], f)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// lexForm is one form of a concept as the field analyzer of its language
// reads it.
type lexForm struct {
	text   string
	key    string // analysed tokens, one per position, joined by spaces
	phrase bool   // several positions: matched as a phrase
}

// lexIndex finds the concepts a query text names. It is built once per
// engine with the analyzers of the engine's index, so that a form and a
// visitor's word are compared as the index compares them.
type lexIndex struct {
	analyzers map[string]analysis.Analyzer // by language
	surface   map[string][]int             // folded form -> concepts
	analysed  map[string]map[string][]int  // language -> analysed key -> concepts
	forms     []map[string][]lexForm       // by concept: language -> distinct forms
	words     []surfaceWord                // one-word surface forms, for lookupNear

	// expanded remembers expand's answers (they depend on nothing but
	// the lexicon): a word is analysed in every language once, not at
	// every search. Bounded: emptied when it holds maxExpanded answers.
	mu       sync.RWMutex
	expanded map[expandKey][]expansion
}

type expandKey struct {
	text    string
	unknown bool
	fuzzy   int
}

// maxExpanded bounds the answers lexIndex.expand remembers (a few hundred
// bytes each).
const maxExpanded = 8192

type surfaceWord struct {
	key   string
	first rune
}

func newLexIndex(m mapping.IndexMapping) *lexIndex {
	lx := &lexIndex{
		analyzers: map[string]analysis.Analyzer{},
		surface:   map[string][]int{},
		analysed:  map[string]map[string][]int{},
	}
	for _, lang := range lexiconLangs {
		if a := m.AnalyzerNamed(indexer.AnalyzerFor(lang)); a != nil {
			lx.analyzers[lang] = a
		}
		lx.analysed[lang] = map[string][]int{}
	}
	lx.forms = make([]map[string][]lexForm, len(lexicon))
	for ci, c := range lexicon {
		byLang := map[string][]lexForm{}
		for _, lang := range lexiconLangs {
			seen := map[string]bool{}
			for _, f := range c.Forms[lang] {
				addConcept(lx.surface, surfaceKey(f), ci)
				key := lx.key(lang, f)
				if key == "" || seen[key] {
					continue
				}
				seen[key] = true
				addConcept(lx.analysed[lang], key, ci)
				byLang[lang] = append(byLang[lang], lexForm{text: f, key: key, phrase: strings.Contains(key, " ")})
			}
		}
		lx.forms[ci] = byLang
	}
	for k := range lx.surface {
		if !strings.Contains(k, " ") {
			lx.words = append(lx.words, surfaceWord{key: k, first: firstRune(k)})
		}
	}
	slices.SortFunc(lx.words, func(a, b surfaceWord) int { return strings.Compare(a.key, b.key) })
	return lx
}

func addConcept(m map[string][]int, key string, ci int) {
	for _, c := range m[key] {
		if c == ci {
			return
		}
	}
	m[key] = append(m[key], ci)
}

// surfaceKey folds a form for exact comparison: lower case, no accents,
// typographic apostrophes and hyphens made plain, single spaces.
func surfaceKey(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "‐", "-", "–", "-").Replace(s)
	return strings.Join(strings.Fields(fold(s)), " ")
}

// key analyses text with lang's field analyzer and joins the first token
// of every position with spaces ("" when nothing is left: stop words
// only, or no analyzer). Tokens sharing a position (the parts the German
// analyzer adds after a compound) are returned as subwords.
func (lx *lexIndex) key(lang, text string) string {
	k, _ := lx.analyse(lang, text)
	return k
}

func (lx *lexIndex) analyse(lang, text string) (key string, subwords []string) {
	a := lx.analyzers[lang]
	if a == nil {
		return "", nil
	}
	toks := a.Analyze([]byte(text))
	parts := make([]string, 0, len(toks))
	last := -1
	for _, t := range toks {
		if t.Position == last {
			subwords = append(subwords, string(t.Term))
			continue
		}
		last = t.Position
		parts = append(parts, string(t.Term))
	}
	return strings.Join(parts, " "), subwords
}

// minAnalysedKey is the shortest analysed key matched when the text is not
// itself a form of the lexicon: shorter stems collide across languages.
const minAnalysedKey = 4

// lookup returns the concepts text names: those with a form equal to it
// (case and accents aside), else those with a form that analyses like it
// in some language ("réfugiées" like "réfugié"); with parts, also those
// named by the parts of a German compound ("Flüchtlingsunterkunft":
// Flüchtling, Unterkunft).
func (lx *lexIndex) lookup(text string, parts bool) []int {
	out := slices.Clone(lx.surface[surfaceKey(text)])
	for _, lang := range lexiconLangs {
		k, subwords := lx.analyse(lang, text)
		if len(out) == 0 && len(k) >= minAnalysedKey {
			for _, ci := range lx.analysed[lang][k] {
				out = appendNew(out, ci)
			}
		}
		for _, sw := range subwords {
			if !parts || len(sw) < minAnalysedKey {
				continue
			}
			for _, ci := range lx.analysed[lang][sw] {
				out = appendNew(out, ci)
			}
		}
	}
	return out
}

// lookupNear returns the concepts with a one-word form within edit
// distance d of word (same first letter): a misspelled word still finds
// its concept, and through it the right spelling in every language.
func (lx *lexIndex) lookupNear(word string, d int) []int {
	w := surfaceKey(word)
	var out []int
	for _, f := range lx.words {
		if f.first == firstRune(w) && memindex.WithinDistance(w, f.key, d) {
			for _, ci := range lx.surface[f.key] {
				out = appendNew(out, ci)
			}
		}
	}
	return out
}

func appendNew(s []int, v int) []int {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// expansion is one form of another language (or another form of the same
// language) to search for a query text.
type expansion struct {
	lang string
	form lexForm
}

// expand returns the forms, in every lexicon language, of the concepts text
// names, leaving out those that analyse like text itself in that language
// (the visitor's own word already searches them).
//
// A word the index does not know (unknown) is also looked up by the parts
// of a German compound, and by its near spellings (edit distance fuzzy)
// when the lexicon has no form of it: "Quartiersrat" in the index is
// searched as itself, a compound absent from it through its parts.
//
// The answer is shared: callers must not change it.
func (lx *lexIndex) expand(text string, unknown bool, fuzzy int) []expansion {
	key := expandKey{text, unknown, fuzzy}
	lx.mu.RLock()
	out, ok := lx.expanded[key]
	lx.mu.RUnlock()
	if ok {
		return out
	}
	out = lx.expandNow(text, unknown, fuzzy)
	lx.mu.Lock()
	if lx.expanded == nil || len(lx.expanded) >= maxExpanded {
		lx.expanded = make(map[expandKey][]expansion)
	}
	lx.expanded[key] = out
	lx.mu.Unlock()
	return out
}

func (lx *lexIndex) expandNow(text string, unknown bool, fuzzy int) []expansion {
	cs := lx.lookup(text, unknown)
	if len(cs) == 0 && unknown && fuzzy > 0 {
		cs = lx.lookupNear(text, fuzzy)
	}
	if len(cs) > maxLexiconConcepts {
		cs = cs[:maxLexiconConcepts]
	}
	var out []expansion
	seen := map[string]bool{}
	for _, lang := range lexiconLangs {
		own := lx.key(lang, text)
		for _, ci := range cs {
			n := 0
			for _, f := range lx.forms[ci][lang] {
				if n == maxLexiconForms {
					break
				}
				if f.key == own || seen[lang+"\x00"+f.key] {
					continue
				}
				seen[lang+"\x00"+f.key] = true
				out = append(out, expansion{lang: lang, form: f})
				n++
			}
		}
	}
	return out
}

// lexiconFor returns the engine's lexicon index, built at first use.
func (e *Engine) lexiconFor() *lexIndex {
	e.lexOnce.Do(func() { e.lex = newLexIndex(e.ix.Bleve().Mapping()) })
	return e.lex
}
