package search

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// hlCase is one search of the highlight benchmark: the visitor's words and
// the practices of its first page, with their numbers in the in-memory copy.
type hlCase struct {
	q       string
	pq      Query
	docs    []indexer.Practice
	members []member
}

// hlFixture is a generated corpus indexed once, the in-memory copy of it
// and the first page of each query of hlQueries.
type hlFixture struct {
	ix    *indexer.Index
	mem   *memindex.Index
	docs  []indexer.Practice // as stored, in generation order
	cases []hlCase
}

// hlQueries are the query shapes of the benchmark mix (cmd/casebook
// bench_queries.go): 1–3 domain words in en, fr and de, phrases, and a few
// misspellings and words of another language (fuzzy matches).
var hlQueries = []string{
	"integration", "refugees housing", "youth school language", "neighbourhood mediation",
	"employment culture women", "volunteers", "asylum newcomers jobs", "intercultural community",
	`"language courses"`, `"city council"`, `"young people"`, `"asylum seekers"`,
	"intégration", "réfugiés logement", "jeunes école langue", "quartier médiation emploi",
	"bénévoles", "discrimination accueil", "santé bibliothèque sport",
	`"cours de langue"`, `"conseil municipal"`, `"vivre ensemble"`, `"demandeurs d'asile"`,
	"Integration", "Geflüchtete Wohnen", "Jugendliche Schule Sprache", "Stadtteil Mediation",
	"Ehrenamtliche", "Nachbarschaft", "Gesundheit Bibliothek Sport", "interkulturell Stadt Kinder",
	`"soziale Arbeit"`, `"junge Geflüchtete"`, `"öffentlichen Raum"`, `"der Stadt"`,
	"intergation", "refugess", "neigbourhood", "Wohnungen Lissabon", "youth -sport",
}

// newHLFixture indexes n generated practices and runs every query of
// hlQueries once to find its first page of 10 hits.
func newHLFixture(tb testing.TB, n int) *hlFixture {
	tb.Helper()
	ctx := context.Background()
	gen, err := benchcorpus.Generate(n, 7)
	if err != nil {
		tb.Fatal(err)
	}
	var ps []indexer.Practice
	for p := range gen {
		ps = append(ps, p)
	}
	ix, err := indexer.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Upsert(ctx, ps); err != nil {
		tb.Fatal(err)
	}
	e := New(ix)
	e.DisableResultCache()
	if err := e.Warm(ctx); err != nil {
		tb.Fatal(err)
	}
	f := &hlFixture{ix: ix, mem: e.memIndex(ctx)}
	if f.mem == nil {
		tb.Fatal("no in-memory copy")
	}
	docNum := map[string]uint32{}
	var ids []string
	for d := range f.mem.Len() {
		docNum[f.mem.ID(uint32(d))] = uint32(d)
		ids = append(ids, f.mem.ID(uint32(d)))
	}
	stored, err := ix.GetMany(ctx, ids)
	if err != nil {
		tb.Fatal(err)
	}
	for _, id := range ids {
		if p, ok := stored[id]; ok {
			f.docs = append(f.docs, p)
		}
	}
	for _, q := range hlQueries {
		for _, ui := range []string{"en", "fr", "de"} {
			req, err := ParseRequest(url.Values{"q": {q}, "ui": {ui}, "size": {"10"}}, "")
			if err != nil {
				tb.Fatal(err)
			}
			res, err := e.Search(ctx, req)
			if err != nil {
				tb.Fatal(err)
			}
			c := hlCase{q: q, pq: ParseQuery(q)}
			for _, h := range res.Hits {
				d, ok := docNum[h.ID]
				if !ok {
					tb.Fatalf("hit %s not in the in-memory copy", h.ID)
				}
				c.docs = append(c.docs, stored[h.ID])
				c.members = append(c.members, member{id: h.ID, lang: h.Lang, doc: d, mem: true})
			}
			f.cases = append(f.cases, c)
		}
	}
	return f
}

// BenchmarkHighlight measures title_html and snippet_html of the first
// pages of the benchmark mix's query shapes over 300 generated practices,
// as Engine.hits makes them (fields without a query term are skipped):
// "page", and every field of 60 practices for every query shape without
// the in-memory copy: "scan", most of whose texts hold none of the words.
// ns/hit and cpu-ns/hit (CPU time of all threads, the garbage
// collector's included) are the figures to compare; the "ref" runs are the highlighter as
// it was before session 10 (highlight_ref_test.go), for comparison on a
// busy machine.
func BenchmarkHighlight(b *testing.B) {
	f := newHLFixture(b, 300)
	hits := 0
	for _, c := range f.cases {
		hits += len(c.docs)
	}
	m := f.ix.Bleve().Mapping()
	// renderPages highlights every page of the fixture, each hit as
	// members[page][hit] says.
	renderPages := func(members [][]member) {
		for k, c := range f.cases {
			hl := newHighlights(f.ix.Bleve(), c.pq)
			hl.mem = f.mem
			for i, p := range c.docs {
				hl.render(p, members[k][i])
			}
			hl.release()
		}
	}
	plain := make([][]member, len(f.cases))
	kept := make([][]member, len(f.cases))
	for k, c := range f.cases {
		plain[k] = c.members
		for _, m := range c.members {
			m.words = &docWords{}
			kept[k] = append(kept[k], m)
		}
	}
	b.Run("page", func(b *testing.B) {
		defer reportPerHit(b, hits)()
		for b.Loop() {
			renderPages(plain)
		}
	})
	// The same pages, their practices kept (as the engine's practice
	// cache keeps them): the terms of their words recorded by a first
	// rendering, then read.
	renderPages(kept)
	b.Run("page/kept", func(b *testing.B) {
		defer reportPerHit(b, hits)()
		for b.Loop() {
			renderPages(kept)
		}
	})
	b.Run("page/ref", func(b *testing.B) {
		defer reportPerHit(b, hits)()
		for b.Loop() {
			for _, c := range f.cases {
				hl := &refHighlights{m: m, pq: c.pq, cache: map[string]*refHighlighter{}, mem: f.mem}
				for i, p := range c.docs {
					hl.render(p, c.members[i])
				}
			}
		}
	})
	docs := f.docs[:60]
	b.Run("scan", func(b *testing.B) {
		defer reportPerHit(b, len(hlQueries)*len(docs))()
		for b.Loop() {
			for _, q := range hlQueries {
				hl := newHighlights(f.ix.Bleve(), ParseQuery(q))
				for _, p := range docs {
					hl.render(p, member{})
				}
				hl.release()
			}
		}
	})
	b.Run("scan/ref", func(b *testing.B) {
		defer reportPerHit(b, len(hlQueries)*len(docs))()
		for b.Loop() {
			for _, q := range hlQueries {
				hl := &refHighlights{m: m, pq: ParseQuery(q), cache: map[string]*refHighlighter{}}
				for _, p := range docs {
					hl.render(p, member{})
				}
			}
		}
	})
}

// reportPerHit, deferred, reports the elapsed and the CPU time per hit
// of a benchmark that highlights hits per iteration.
func reportPerHit(b *testing.B, hits int) func() {
	cpu := cpuTime()
	return func() {
		n := float64(b.N * hits)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/hit")
		if c := cpuTime() - cpu; c > 0 {
			b.ReportMetric(float64(c.Nanoseconds())/n, "cpu-ns/hit")
		}
	}
}

// hostileTexts are texts the highlighter must survive: markup, right-to-left
// scripts, combining marks, emoji, very long words, odd white space.
var hostileTexts = []string{
	`<script>alert("integration")</script> & housing <b>refugees</b>`,
	"Integration der Geflüchteten \u202eWohnen\u202c in الرباط و اللاجئين",
	"inte\u0301gration re\u0301fugie\u0301s, cafe\u0301 crème",
	"🏠 housing 👩‍👩‍👧 families 🇩🇪 Nachbarschaft🙂integration",
	strings.Repeat("a", 70000) + " integration",
	strings.Repeat("Nachbarschafts", 300) + " Wohnen",
	"refugees\u00a0\u2003housing\t\n\r\u2028youth \v\f\u0085 language\u200bcourses \u3000\u1680x",
	"ＩＮＴＥＧＲＡＴＩＯＮ ﬁnance ǅemal İstanbul ß SS Straße STRASSE",
	"x\xffintegration\xc3 housing \xe2\x82",
	"L'intégration des réfugiés d'Alep à l'école; aujourd'hui «logement»",
	"1234 5678 integration2020 2020integration a1b2",
	"\u0301\u0301 integration\u0301\u0301 \u200d",
	"Ἀθῆναι Москва интеграция 東京 統合 integration",
	"",
	" ",
}

func TestHighlightBenchQueriesParse(t *testing.T) {
	for _, q := range hlQueries {
		if ParseQuery(q).Empty() {
			t.Errorf("ParseQuery(%q) is empty", q)
		}
	}
	if !slices.Contains(hlQueries, "intergation") {
		t.Error("hlQueries lost its misspelling")
	}
}
