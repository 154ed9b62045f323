package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/casebook-project/casebook/indexer"
)

// Boosts. Titles count more than summaries, summaries more than bodies;
// fuzzy matches count little; a word naming a theme or a city matches
// practices tagged with it; the interface language breaks near-ties.
const (
	boostTitle   = 3.0
	boostSummary = 2.0
	boostBody    = 1.0
	boostFuzzy   = 0.2
	boostTheme   = 1.5
	boostCity    = 2.0
	boostUILang  = 0.3
	maxFuzzyTerm = 8 // words that get fuzzy clauses
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

// buildQuery returns the query for the visitor's words and r's filters,
// leaving out the filter of facet skip ("" = keep all).
func buildQuery(pq Query, r Request, skip string, fuzzy bool) query.Query {
	top := bleve.NewBooleanQuery()
	if f := filterQuery(r, skip); f != nil {
		top.AddMust(f)
	}
	text := textQuery(pq, fuzzy)
	if text != nil {
		top.AddMust(text)
		if r.UI != "" {
			ui := bleve.NewTermQuery(r.UI)
			ui.SetField(fieldLang)
			ui.SetBoost(boostUILang)
			top.AddShould(ui)
		}
	}
	for _, t := range pq.Terms {
		if t.Exclude {
			top.AddMustNot(textClauses(t, false, 1))
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
func textQuery(pq Query, fuzzy bool) query.Query {
	var phrases []query.Query
	words := bleve.NewDisjunctionQuery()
	var plain []string
	fuzzyLeft := maxFuzzyTerm
	for _, t := range pq.Terms {
		if t.Exclude {
			continue
		}
		if t.Phrase {
			d := textClauses(t, false, 1)
			phrases = append(phrases, d)
			if extra := vocabularyClauses(t.Text); len(extra) > 0 {
				words.AddQuery(extra...)
			}
			continue
		}
		useFuzzy := fuzzy && fuzzyLeft > 0 && fuzziness(t.Text) > 0
		if useFuzzy {
			fuzzyLeft--
		}
		d := textClauses(t, useFuzzy, 1)
		d.AddQuery(vocabularyClauses(t.Text)...)
		words.AddQuery(d)
		plain = append(plain, t.Text)
	}
	// Names of several words ("Mexico City", "urban planning").
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(plain); i++ {
			if extra := vocabularyClauses(strings.Join(plain[i:i+n], " ")); len(extra) > 0 {
				words.AddQuery(extra...)
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
func textClauses(t Term, fuzzy bool, boost float64) *query.DisjunctionQuery {
	d := bleve.NewDisjunctionQuery()
	for _, lang := range textLangs {
		for _, kb := range kindBoosts {
			field := indexer.TextField(kb.kind, lang)
			if t.Phrase {
				q := bleve.NewMatchPhraseQuery(t.Text)
				q.SetField(field)
				q.SetBoost(kb.boost * boost)
				d.AddQuery(q)
				continue
			}
			q := bleve.NewMatchQuery(t.Text)
			q.SetField(field)
			q.SetBoost(kb.boost * boost)
			d.AddQuery(q)
			if fuzzy && kb.kind != "summary" {
				f := bleve.NewMatchQuery(t.Text)
				f.SetField(field)
				f.SetFuzziness(fuzziness(t.Text))
				f.SetPrefix(1)
				f.SetBoost(kb.boost * boostFuzzy * boost)
				d.AddQuery(f)
			}
		}
	}
	return d
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
