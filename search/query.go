package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// Boosts. Titles count more than summaries, summaries more than bodies.
// The visitor's own word counts most, then its forms in the other
// languages (lexicon), then near spellings (fuzzy) and completions of the
// word being typed (prefix). Phrase and proximity clauses add to practices
// where the words stand together; a word naming a theme or a city matches
// practices tagged with it; the interface language breaks near-ties.
const (
	boostTitle   = 3.0
	boostSummary = 2.0
	boostBody    = 1.0
	boostLexicon = 0.5
	boostFuzzy   = 0.2
	boostPrefix  = 0.2
	boostPhrase  = 1.0 // all the visitor's words in order
	boostPair    = 0.5 // two adjacent words of the visitor in order
	boostTheme   = 1.5
	boostCity    = 2.0
	boostUILang  = 0.3
	maxFuzzyTerm = 8  // words that get fuzzy clauses
	maxPhraseLen = 6  // longest run of words given a phrase clause
	maxPairs     = 5  // adjacent pairs given a proximity clause
	minPrefixLen = 3  // shortest last word completed as a prefix
	maxPrefixExp = 16 // indexed terms one prefix expands to, per field
)

var kindBoosts = []struct {
	kind  string
	boost float64
}{{"title", boostTitle}, {"summary", boostSummary}, {"body", boostBody}}

// fuzziness is the edit distance allowed for a word: none below 5 letters,
// 1 for 5–7, 2 for 8 and more.
//
// Only a word of letters alone is fuzzy: the analyzers split "anti-rumour"
// or "covid19" into several tokens, and an edit distance chosen for the
// whole word would be far too loose for each part ("anti" ~ "act").
func fuzziness(word string) int {
	for _, r := range word {
		if !unicode.IsLetter(r) {
			return 0
		}
	}
	switch n := utf8.RuneCountInString(word); {
	case n >= 8:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// plan is what a search adds to the visitor's words, worked out once per
// search (with look-ups in the lexicon and the index's term dictionaries)
// and shared by the main query and the facet queries.
type plan struct {
	pq      Query
	fuzzy   map[int]bool           // term index -> fuzzy clauses (the word is in no dictionary)
	lexicon map[string][]expansion // word or phrase -> its forms in the lexicon
	prefix  []prefixTerm           // completions of the last word being typed
}

// prefixTerm is an indexed term that completes the last word.
type prefixTerm struct{ field, term string }

// newPlan reads pq's words against the lexicon and the index (the
// in-memory copy m when there is one).
func (e *Engine) newPlan(pq Query, r Request, m *memindex.Index) *plan {
	dict := terms{e: e, m: m}
	p := &plan{pq: pq, fuzzy: map[int]bool{}, lexicon: map[string][]expansion{}}
	lx := e.lexiconFor()
	expand := func(text string, unknown bool, fuzzy int) {
		if _, done := p.lexicon[text]; done {
			return
		}
		p.lexicon[text] = lx.expand(text, unknown, fuzzy)
	}
	fuzzyLeft := maxFuzzyTerm
	var plain []string
	lastUnknown := false
	for i, t := range pq.Terms {
		if t.Exclude {
			continue
		}
		if t.Phrase {
			expand(t.Text, false, 0)
			continue
		}
		plain = append(plain, t.Text)
		unknown := !dict.known(t.Text)
		lastUnknown = unknown
		fz := fuzziness(t.Text)
		if unknown && fz > 0 && fuzzyLeft > 0 {
			p.fuzzy[i] = true
			fuzzyLeft--
		}
		expand(t.Text, unknown, fz)
	}
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(plain); i++ {
			expand(strings.Join(plain[i:i+n], " "), false, 0)
		}
	}
	if !r.Complete {
		if last, ok := lastWord(pq); ok {
			p.prefix = dict.prefixTerms(last, lastUnknown)
		}
	}
	return p
}

// lastWord is the last term when it is a positive word (not a phrase) of
// at least minPrefixLen letters.
func lastWord(pq Query) (string, bool) {
	if len(pq.Terms) == 0 {
		return "", false
	}
	t := pq.Terms[len(pq.Terms)-1]
	if t.Exclude || t.Phrase || utf8.RuneCountInString(t.Text) < minPrefixLen {
		return "", false
	}
	for _, r := range t.Text {
		if !unicode.IsLetter(r) {
			return "", false
		}
	}
	return t.Text, true
}

// buildQuery returns the query for the visitor's words and r's filters,
// leaving out the filter of facet skip ("" = keep all). Without fuzzy, no
// fuzzy or prefix clause is added (the retry after too many clauses).
func buildQuery(p *plan, r Request, skip string, fuzzy bool) query.Query {
	top := bleve.NewBooleanQuery()
	if f := filterQuery(r, skip); f != nil {
		top.AddMust(f)
	}
	text := textQuery(p, fuzzy)
	if text != nil {
		top.AddMust(text)
		if r.UI != "" {
			ui := bleve.NewTermQuery(r.UI)
			ui.SetField(fieldLang)
			ui.SetBoost(boostUILang)
			top.AddShould(memindex.Keyed{Query: ui, Key: "ui\x00" + r.UI})
		}
		if prox := proximityQuery(p.pq); prox != nil {
			top.AddShould(prox)
		}
	}
	for _, t := range p.pq.Terms {
		if t.Exclude {
			top.AddMustNot(textClauses(t, 1))
			// "-Barcelona" also excludes the practices of Barcelona written
			// in other languages ("Barcelone"): the city field holds one name
			// for all of them. Themes are not excluded this way: "-sport"
			// means the word, not every practice tagged sport.
			if c, ok := indexer.LookupCity(t.Text); ok {
				q := bleve.NewTermQuery(c.Name)
				q.SetField(fieldCity)
				top.AddMustNot(q)
			}
		}
	}
	if text == nil {
		// Filters score 0; match-all keeps the score (and the query norm)
		// finite when there are no words.
		top.AddMust(bleve.NewMatchAllQuery())
	}
	return top
}

// textQuery matches the positive terms: every phrase is required, words are
// alternatives (a practice matching more of them scores higher).
//
// Each word is a disjunction of groups: the word itself in every field,
// its near spellings, the theme or city it names, its lexicon forms, its
// completions. Bleve scales a disjunction by the share of its clauses that
// match, so grouping keeps a word found in one field from being drowned by
// the many clauses of its expansions.
func textQuery(p *plan, fuzzy bool) query.Query {
	var phrases []query.Query
	words := bleve.NewDisjunctionQuery()
	var plain []string
	last := len(p.pq.Terms) - 1
	for i, t := range p.pq.Terms {
		if t.Exclude {
			continue
		}
		if t.Phrase {
			d := textClauses(t, 1)
			if lex := lexiconClauses(p.lexicon[t.Text]); lex != nil {
				d = bleve.NewDisjunctionQuery(d, lex)
			}
			phrases = append(phrases, memindex.Keyed{Query: d, Key: "phrase\x00" + t.Text})
			if extra := vocabularyClauses(t.Text); len(extra) > 0 {
				words.AddQuery(extra...)
			}
			continue
		}
		d := bleve.NewDisjunctionQuery(textClauses(t, 1))
		fuzzyOn := fuzzy && p.fuzzy[i]
		prefixOn := fuzzy && i == last && len(p.prefix) > 0
		if fuzzyOn {
			d.AddQuery(fuzzyClauses(t.Text))
		}
		d.AddQuery(vocabularyClauses(t.Text)...)
		if lex := lexiconClauses(p.lexicon[t.Text]); lex != nil {
			d.AddQuery(lex)
		}
		if prefixOn {
			d.AddQuery(prefixClauses(p.prefix))
		}
		// The matches of a word depend on nothing else: the in-memory
		// index keeps them for the next query with the same word.
		words.AddQuery(memindex.Keyed{Query: d, Key: fmt.Sprintf("word\x00%s\x00%t\x00%t", t.Text, fuzzyOn, prefixOn)})
		plain = append(plain, t.Text)
	}
	// Names and expressions of several words ("Mexico City", "urban
	// planning", "language course").
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(plain); i++ {
			text := strings.Join(plain[i:i+n], " ")
			extra := vocabularyClauses(text)
			if lex := lexiconClauses(p.lexicon[text]); lex != nil {
				extra = append(extra, lex)
			}
			if len(extra) > 0 {
				words.AddQuery(memindex.Keyed{Query: bleve.NewDisjunctionQuery(extra...), Key: "expr\x00" + text})
			}
		}
	}
	switch {
	case len(phrases) == 0 && len(words.Disjuncts) == 0:
		return nil
	case len(phrases) == 0:
		return words
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(phrases...)
	if len(words.Disjuncts) > 0 {
		b.AddShould(words)
	}
	return b
}

// textClauses searches t in the title, summary and body of every language,
// each field with its own analyzer.
func textClauses(t Term, boost float64) *query.DisjunctionQuery {
	d := bleve.NewDisjunctionQuery()
	for _, lang := range textLangs {
		for _, kb := range kindBoosts {
			d.AddQuery(fieldMatch(t.Text, t.Phrase, indexer.TextField(kb.kind, lang), kb.boost*boost))
		}
	}
	return d
}

func fieldMatch(text string, phrase bool, field string, boost float64) query.Query {
	if phrase {
		q := bleve.NewMatchPhraseQuery(text)
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// fuzzyClauses searches near spellings of word in the titles and bodies of
// every language (summaries repeat them; each fuzzy clause builds an
// automaton, the costly part of a search).
func fuzzyClauses(word string) query.Query {
	d := bleve.NewDisjunctionQuery()
	for _, lang := range textLangs {
		for _, kb := range kindBoosts {
			if kb.kind == "summary" {
				continue
			}
			f := bleve.NewMatchQuery(word)
			f.SetField(indexer.TextField(kb.kind, lang))
			f.SetFuzziness(fuzziness(word))
			f.SetPrefix(1)
			f.SetBoost(kb.boost * boostFuzzy)
			d.AddQuery(f)
		}
	}
	return d
}

// lexiconClauses searches the lexicon forms of a word in the fields of
// their language; nil when there are none. The forms are searched as the
// analysed terms the lexicon holds (a German compound as itself, not as
// any of its parts).
func lexiconClauses(exps []expansion) query.Query {
	if len(exps) == 0 {
		return nil
	}
	d := bleve.NewDisjunctionQuery()
	for _, x := range exps {
		terms := strings.Fields(x.form.key)
		for _, kb := range kindBoosts {
			field := indexer.TextField(kb.kind, x.lang)
			var q query.Query
			if len(terms) == 1 {
				t := bleve.NewTermQuery(terms[0])
				t.SetField(field)
				t.SetBoost(kb.boost * boostLexicon)
				q = t
			} else {
				ph := bleve.NewPhraseQuery(terms, field)
				ph.SetBoost(kb.boost * boostLexicon)
				q = ph
			}
			d.AddQuery(q)
		}
	}
	return d
}

// prefixClauses matches the completions of the last word in titles.
func prefixClauses(terms []prefixTerm) query.Query {
	d := bleve.NewDisjunctionQuery()
	for _, pt := range terms {
		q := bleve.NewTermQuery(pt.term)
		q.SetField(pt.field)
		q.SetBoost(boostTitle * boostPrefix)
		d.AddQuery(q)
	}
	return d
}

// proximityQuery rewards practices where the visitor's words stand
// together: the whole run of words in order, and each adjacent pair.
// nil for fewer than two words.
func proximityQuery(pq Query) query.Query {
	var plain []string
	for _, t := range pq.Terms {
		if !t.Exclude && !t.Phrase {
			plain = append(plain, t.Text)
		}
	}
	if len(plain) < 2 {
		return nil
	}
	d := bleve.NewDisjunctionQuery()
	add := func(text string, boost float64) {
		for _, lang := range textLangs {
			for _, kb := range kindBoosts {
				d.AddQuery(fieldMatch(text, true, indexer.TextField(kb.kind, lang), kb.boost*boost))
			}
		}
	}
	if len(plain) <= maxPhraseLen {
		add(strings.Join(plain, " "), boostPhrase)
	}
	if len(plain) > 2 {
		for i := 0; i+1 < len(plain) && i < maxPairs; i++ {
			add(plain[i]+" "+plain[i+1], boostPair)
		}
	}
	// Like a word's matches, the places where the words stand together
	// depend on nothing else: the in-memory index keeps them.
	return memindex.Keyed{Query: d, Key: "prox\x00" + strings.Join(plain, "\x00")}
}

// vocabularyClauses matches practices tagged with the theme or city that
// text names in any language.
func vocabularyClauses(text string) []query.Query {
	var out []query.Query
	if id, ok := indexer.LookupTheme(text); ok {
		q := bleve.NewTermQuery(id)
		q.SetField(fieldTheme)
		q.SetBoost(boostTheme)
		out = append(out, q)
	}
	if c, ok := indexer.LookupCity(text); ok {
		q := bleve.NewTermQuery(c.Name)
		q.SetField(fieldCity)
		q.SetBoost(boostCity)
		out = append(out, q)
	}
	return out
}

// filterQuery is the conjunction of r's filters (each a disjunction of its
// values), leaving out facet skip; nil when there is none.
func filterQuery(r Request, skip string) query.Query {
	var parts []query.Query
	for _, f := range []struct{ facet, field string }{
		{FacetLang, fieldLang}, {FacetCity, fieldCity}, {FacetCountry, fieldCountry},
		{FacetTheme, fieldTheme}, {FacetNetwork, fieldNetwork},
	} {
		vals := r.Filter(f.facet)
		if f.facet == skip || len(vals) == 0 {
			continue
		}
		d := bleve.NewDisjunctionQuery()
		for _, v := range vals {
			t := bleve.NewTermQuery(v)
			t.SetField(f.field)
			t.SetBoost(0)
			d.AddQuery(t)
		}
		parts = append(parts, d)
	}
	if skip != FacetYear && (r.YearFrom != 0 || r.YearTo != 0) {
		var lo, hi *float64
		if r.YearFrom != 0 {
			v := float64(r.YearFrom)
			lo = &v
		}
		if r.YearTo != 0 {
			v := float64(r.YearTo)
			hi = &v
		}
		incl := true
		q := bleve.NewNumericRangeInclusiveQuery(lo, hi, &incl, &incl)
		q.SetField(fieldYear)
		q.SetBoost(0)
		parts = append(parts, q)
	}
	if len(parts) == 0 {
		return nil
	}
	return bleve.NewConjunctionQuery(parts...)
}
