package main

import (
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
)

// benchQuery is one query of the benchmark mix: what a visitor types and
// the filters they chose, in a form both the API (values) and a plain Bleve
// request (bleveRequest) can be built from.
type benchQuery struct {
	UI        string   // interface language: en, fr, de in turn
	Text      string   // 1–3 words, or the words of a phrase
	Phrase    bool     // Text is sent in double quotes
	Cities    []string // English names
	Themes    []string // theme ids
	Langs     []string
	Countries []string // ISO codes
	YearFrom  int      // 0 = none
	YearTo    int      // 0 = none
	Facets    string   // the facets parameter: those counted ("": every facet)
}

// Filtered reports whether q has any filter.
func (q benchQuery) Filtered() bool {
	return len(q.Cities)+len(q.Themes)+len(q.Langs)+len(q.Countries) > 0 || q.YearFrom != 0 || q.YearTo != 0
}

// values is q as the query string of GET /api/v1/search: top 10 with
// snippets, and the facets q.Facets names (every facet when empty).
func (q benchQuery) values() url.Values {
	v := url.Values{"ui": {q.UI}, "size": {"10"}}
	if q.Facets != "" {
		v.Set("facets", q.Facets)
	}
	if q.Phrase {
		v.Set("q", `"`+q.Text+`"`)
	} else {
		v.Set("q", q.Text)
	}
	for _, c := range q.Cities {
		v.Add("city", c)
	}
	for _, t := range q.Themes {
		v.Add("theme", t)
	}
	for _, l := range q.Langs {
		v.Add("lang", l)
	}
	for _, c := range q.Countries {
		v.Add("country", c)
	}
	if q.YearFrom != 0 {
		v.Set("year_from", strconv.Itoa(q.YearFrom))
	}
	if q.YearTo != 0 {
		v.Set("year_to", strconv.Itoa(q.YearTo))
	}
	return v
}

// Query vocabulary of the mix, per language: domain words and phrases
// visitors type and the generated practices use.
var (
	benchWords = map[string][]string{
		"en": {"integration", "refugees", "housing", "youth", "school", "language", "neighbourhood", "mediation",
			"employment", "culture", "women", "festival", "volunteers", "migrants", "participation", "council",
			"health", "library", "sport", "discrimination", "welcome", "training", "mentoring", "families",
			"dialogue", "racism", "asylum", "newcomers", "jobs", "intercultural", "community", "children", "rumours"},
		"fr": {"intégration", "réfugiés", "logement", "jeunes", "école", "langue", "quartier", "médiation",
			"emploi", "culture", "femmes", "festival", "bénévoles", "migrants", "participation", "conseil",
			"santé", "bibliothèque", "sport", "discrimination", "accueil", "formation", "familles", "dialogue",
			"racisme", "asile", "associations", "interculturel", "ville", "enfants", "rumeurs", "habitants"},
		"de": {"Integration", "Geflüchtete", "Wohnen", "Jugendliche", "Schule", "Sprache", "Stadtteil", "Mediation",
			"Arbeit", "Kultur", "Frauen", "Fest", "Ehrenamtliche", "Migranten", "Beteiligung", "Rat",
			"Gesundheit", "Bibliothek", "Sport", "Diskriminierung", "Willkommen", "Ausbildung", "Familien",
			"Dialog", "Rassismus", "Asyl", "Vereine", "interkulturell", "Stadt", "Kinder", "Gerüchte", "Nachbarschaft"},
	}
	benchPhrases = map[string][]string{
		"en": {"language courses", "city council", "young people", "public space", "social workers", "asylum seekers"},
		"fr": {"cours de langue", "conseil municipal", "espace public", "travailleurs sociaux", "demandeurs d'asile", "vivre ensemble"},
		"de": {"soziale Arbeit", "junge Geflüchtete", "öffentlichen Raum", "Deutsch lernen", "der Stadt", "Menschen mit Migrationsgeschichte"},
	}
)

// Shares of the mix (DESIGN.md "Targets").
const (
	benchPhrasePercent = 15
	benchFilterPercent = 40
)

// benchQueryMix builds the fixed query mix for seed: en/fr/de in turn;
// 1–3 domain words of the language, or (15%) a phrase; 40% with one or two
// filters among city (common cities more often), theme, lang, country and
// a year range. The same seed and n always give the same mix.
func benchQueryMix(seed uint64, n int) []benchQuery {
	rng := rand.New(rand.NewPCG(seed, 0x71756572696573))
	cities := indexer.Cities()
	themes := indexer.Themes()
	out := make([]benchQuery, 0, n)
	for i := range n {
		lang := benchcorpus.Langs[i%len(benchcorpus.Langs)]
		q := benchQuery{UI: lang}
		if rng.IntN(100) < benchPhrasePercent {
			q.Phrase = true
			q.Text = benchPhrases[lang][rng.IntN(len(benchPhrases[lang]))]
		} else {
			words := benchWords[lang]
			w := make([]string, 1+rng.IntN(3))
			for j := range w {
				w[j] = words[rng.IntN(len(words))]
			}
			q.Text = strings.Join(w, " ")
		}
		if rng.IntN(100) < benchFilterPercent {
			for range 1 + rng.IntN(2) {
				switch rng.IntN(5) {
				case 0:
					u := rng.Float64() // the generator's skew: u³
					q.Cities = append(q.Cities, cities[int(float64(len(cities))*u*u*u)%len(cities)].Name)
				case 1:
					q.Themes = append(q.Themes, themes[rng.IntN(len(themes))].ID)
				case 2:
					q.Langs = append(q.Langs, benchcorpus.Langs[rng.IntN(len(benchcorpus.Langs))])
				case 3:
					u := rng.Float64()
					q.Countries = append(q.Countries, cities[int(float64(len(cities))*u*u*u)%len(cities)].Country)
				default:
					q.YearFrom = benchcorpus.FirstYear + rng.IntN(benchcorpus.LastYear-benchcorpus.FirstYear)
					q.YearTo = q.YearFrom + rng.IntN(benchcorpus.LastYear-q.YearFrom+1)
				}
			}
		}
		out = append(out, q)
	}
	return out
}

// Fields of the "Bleve alone" request: title, summary and body in each
// analysed language, and the facets DESIGN.md's peers count.
var (
	bleveTextLangs = []string{"en", "fr", "de"}
	bleveFacets    = []string{indexer.FieldCity, indexer.FieldTheme, indexer.FieldLang}
)

// bleveFacetSize is how many values of each facet the plain request counts.
const bleveFacetSize = 10

// bleveRequest is the plain Bleve request equivalent to q, as someone
// using Bleve alone would write it: a MatchQuery (MatchPhraseQuery for a
// phrase) on each text field of en, fr and de with that language's
// analyzer, in a disjunction; each filter as term queries (OR within a
// facet, AND across) and a numeric range on the year; top 10 with the
// stored document; counts of city, theme and lang; with highlight, Bleve's
// highlighter on the nine text fields.
func bleveRequest(q benchQuery, highlight bool) *bleve.SearchRequest {
	text := bleve.NewDisjunctionQuery()
	var fields []string
	for _, lang := range bleveTextLangs {
		for _, kind := range indexer.TextKinds {
			field := indexer.TextField(kind, lang)
			fields = append(fields, field)
			if q.Phrase {
				m := bleve.NewMatchPhraseQuery(q.Text)
				m.SetField(field)
				m.Analyzer = indexer.AnalyzerFor(lang)
				text.AddQuery(m)
				continue
			}
			m := bleve.NewMatchQuery(q.Text)
			m.SetField(field)
			m.Analyzer = indexer.AnalyzerFor(lang)
			text.AddQuery(m)
		}
	}
	parts := []query.Query{text}
	for _, f := range []struct {
		field string
		vals  []string
	}{
		{indexer.FieldCity, q.Cities}, {indexer.FieldTheme, q.Themes},
		{indexer.FieldLang, q.Langs}, {indexer.FieldCountry, q.Countries},
	} {
		if len(f.vals) == 0 {
			continue
		}
		d := bleve.NewDisjunctionQuery()
		for _, v := range f.vals {
			t := bleve.NewTermQuery(v)
			t.SetField(f.field)
			d.AddQuery(t)
		}
		parts = append(parts, d)
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		var lo, hi *float64
		if q.YearFrom != 0 {
			v := float64(q.YearFrom)
			lo = &v
		}
		if q.YearTo != 0 {
			v := float64(q.YearTo)
			hi = &v
		}
		incl := true
		r := bleve.NewNumericRangeInclusiveQuery(lo, hi, &incl, &incl)
		r.SetField(indexer.FieldYear)
		parts = append(parts, r)
	}
	var top query.Query = text
	if len(parts) > 1 {
		top = bleve.NewConjunctionQuery(parts...)
	}
	req := bleve.NewSearchRequestOptions(top, 10, 0, false)
	req.Fields = []string{indexer.FieldDoc}
	for _, f := range bleveFacets {
		req.AddFacet(f, bleve.NewFacetRequest(f, bleveFacetSize))
	}
	if highlight {
		req.Highlight = bleve.NewHighlight()
		for _, f := range fields {
			req.Highlight.AddField(f)
		}
	}
	return req
}
