package search

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// Look-ups in the index's term dictionaries. They are cheap (a walk of a
// finite-state transducer per segment) next to a fuzzy clause, which
// builds a Levenshtein automaton for every field it searches.

// terms reads the term dictionaries: those of the in-memory copy m of the
// index when there is one (it shows the same generation as Bleve: its
// look-ups are map and slice reads), else Bleve's.
type terms struct {
	e *Engine
	m *memindex.Index
}

// hasTerm reports whether field's dictionary holds term exactly.
func (t terms) hasTerm(field, term string) bool {
	if t.m != nil {
		return t.m.DocFreq(field, term) > 0
	}
	d, err := t.e.ix.Bleve().FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return false
	}
	defer d.Close()
	entry, err := d.Next()
	return err == nil && entry != nil && entry.Term == term
}

// known reports whether word, analysed as some language's text fields
// analyse it, is found whole in that language's titles, summaries or
// bodies: a word spelled as the corpus spells it needs no fuzzy clause.
func (t terms) known(word string) bool {
	m := t.e.ix.Bleve().Mapping()
	for _, lang := range textLangs {
		a := m.AnalyzerNamed(indexer.AnalyzerFor(lang))
		if a == nil {
			continue
		}
		toks := a.Analyze([]byte(word))
		if len(toks) == 0 {
			continue
		}
		all := true
		for _, tok := range toks {
			found := false
			for _, kb := range kindBoosts {
				if t.hasTerm(indexer.TextField(kb.kind, lang), string(tok.Term)) {
					found = true
					break
				}
			}
			if !found {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// prefixTerms returns the indexed title terms that complete word: those
// starting with it (the most frequent maxPrefixExp per field) and, when
// the word is not itself indexed (unknown), the stems it starts with
// ("housi" is on its way to "housing", indexed as "hous").
func (t terms) prefixTerms(word string, unknown bool) []prefixTerm {
	p := fold(word)
	rs := []rune(p)
	var out []prefixTerm
	for _, lang := range textLangs {
		field := indexer.TextField("title", lang)
		type cand struct {
			term  string
			count uint64
		}
		var cands []cand
		if t.m != nil {
			t.m.PrefixTerms(field, p, func(term string, df int) bool {
				cands = append(cands, cand{term, uint64(df)})
				return len(cands) < 50*maxPrefixExp
			})
		} else {
			d, err := t.e.ix.Bleve().FieldDictPrefix(field, []byte(p))
			if err != nil {
				continue
			}
			for len(cands) < 50*maxPrefixExp {
				entry, err := d.Next()
				if err != nil || entry == nil {
					break
				}
				cands = append(cands, cand{entry.Term, entry.Count})
			}
			d.Close()
		}
		slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.count, a.count) })
		for i, c := range cands {
			if i == maxPrefixExp {
				break
			}
			out = append(out, prefixTerm{field: field, term: c.term})
		}
		for k := max(4, len(rs)-3); unknown && k < len(rs); k++ {
			if stem := string(rs[:k]); utf8.ValidString(stem) && t.hasTerm(field, stem) {
				out = append(out, prefixTerm{field: field, term: stem})
			}
		}
	}
	return out
}
