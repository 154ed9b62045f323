package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
)

// equivIndex is an empty in-memory index with casebook's mapping: the
// highlighter reads only the mapping's analyzers.
func equivIndex(t testing.TB) bleve.Index {
	t.Helper()
	im, err := indexer.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewMemOnly(im)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// equivPractices returns n generated practices, some relabelled into a
// language without an analyzer of its own, and one practice per hostile
// text in each language.
func equivPractices(t testing.TB, n int) []indexer.Practice {
	t.Helper()
	gen, err := benchcorpus.Generate(n, 11)
	if err != nil {
		t.Fatal(err)
	}
	var ps []indexer.Practice
	for p := range gen {
		if len(ps)%17 == 0 {
			p.Lang = "it"
		}
		ps = append(ps, p)
	}
	for i, text := range hostileTexts {
		for _, lang := range []string{"en", "fr", "de", ""} {
			ps = append(ps,
				indexer.Practice{Lang: lang, Title: text, Summary: text, Body: text},
				indexer.Practice{Lang: lang, Title: hostileTexts[(i+1)%len(hostileTexts)], Body: text + " " + ps[i].Body})
		}
	}
	return ps
}

// equivQueries returns queries for p: the benchmark shapes, and words,
// phrases and misspellings taken from p's own text (so that most of them
// mark something), in the case the text has them or changed.
func equivQueries(rng *rand.Rand, p indexer.Practice, k int) []string {
	words := strings.FieldsFunc(p.Title+" "+p.Summary+" "+p.Body, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	})
	out := []string{hlQueries[rng.IntN(len(hlQueries))]}
	if len(words) == 0 {
		return out
	}
	word := func() string {
		w := words[rng.IntN(len(words))]
		switch rng.IntN(6) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			w = strings.ToLower(w)
		case 2:
			w = misspell(rng, w)
		case 3:
			w = misspell(rng, misspell(rng, w))
		}
		return w
	}
	for range k {
		switch rng.IntN(6) {
		case 0: // a phrase of consecutive words
			i := rng.IntN(len(words))
			j := min(len(words), i+2+rng.IntN(3))
			out = append(out, `"`+strings.Join(words[i:j], " ")+`"`)
		case 1: // many words: the highlighter's look-up by map
			var ws []string
			for range 9 + rng.IntN(6) {
				ws = append(ws, word())
			}
			out = append(out, strings.Join(ws, " "))
		case 2:
			out = append(out, word()+" -"+word())
		default:
			var ws []string
			for range 1 + rng.IntN(3) {
				ws = append(ws, word())
			}
			out = append(out, strings.Join(ws, " "))
		}
	}
	return out
}

// misspell changes, drops, doubles or swaps one letter of w.
func misspell(rng *rand.Rand, w string) string {
	rs := []rune(w)
	if len(rs) < 2 {
		return w
	}
	i := rng.IntN(len(rs) - 1)
	switch rng.IntN(4) {
	case 0:
		rs[i] = rune('a' + rng.IntN(26))
	case 1:
		rs = slices.Delete(rs, i, i+1)
	case 2:
		rs = slices.Insert(rs, i, rs[i])
	default:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	return string(rs)
}

// TestHighlightMatchesReference compares title_html, snippet_html and the
// marked spans of every text field with those of the highlighter as it was
// before it was made cheaper (highlight_ref_test.go), on thousands of
// (practice, query) pairs: generated practices in en, fr, de and another
// language, hostile texts, and queries built from each practice's words.
func TestHighlightMatchesReference(t *testing.T) {
	idx := equivIndex(t)
	ps := equivPractices(t, 600)
	rng := rand.New(rand.NewPCG(3, 5))
	pairs, marked, grown := 0, 0, 0
	kept := map[string]func(*docWords) *atomic.Pointer[textWords]{
		indexer.KindTitle: keptTitle, indexer.KindSummary: keptSummary, indexer.KindBody: keptBody,
	}
	for _, p := range ps {
		// As the engine does for a practice it keeps: the first search
		// showing it records its words' terms, the next ones read them.
		words := &docWords{grow: func(n int) { grown += n }}
		for _, q := range equivQueries(rng, p, 8) {
			pq := ParseQuery(q)
			want := &refHighlights{m: idx.Mapping(), pq: pq, cache: map[string]*refHighlighter{}}
			wantTitle, wantSnippet := want.render(p, member{})
			for _, m := range []member{{}, {words: words}} {
				got := newHighlights(idx, pq)
				gotTitle, gotSnippet := got.render(p, m)
				if gotTitle != wantTitle {
					t.Errorf("q=%q lang=%q kept=%v title %.60q:\ngot  %q\nwant %q", q, p.Lang, m.words != nil, p.Title, gotTitle, wantTitle)
				}
				if gotSnippet != wantSnippet {
					t.Errorf("q=%q lang=%q kept=%v body %.60q:\ngot  snippet %q\nwant snippet %q", q, p.Lang, m.words != nil, p.Body, gotSnippet, wantSnippet)
				}
				for _, kind := range indexer.TextKinds {
					field := indexer.TextField(kind, p.Lang)
					text := map[string]string{indexer.KindTitle: p.Title, indexer.KindSummary: p.Summary, indexer.KindBody: p.Body}[kind]
					gotSpans, wantSpans := got.spans(field, text, m, kept[kind]), want.spans(field, text, member{})
					if !slices.Equal(gotSpans, wantSpans) {
						t.Errorf("q=%q %s kept=%v %.60q:\ngot  spans %v\nwant spans %v", q, field, m.words != nil, text, gotSpans, wantSpans)
					}
					if len(wantSpans) > 0 && m.words == nil {
						marked++
					}
				}
				got.release()
			}
			pairs++
			if t.Failed() {
				t.FailNow()
			}
		}
		if p.Body != "" && words.body.Load() == nil {
			t.Fatalf("practice %s: the body's words were not kept", p.ID)
		}
	}
	if pairs < 5000 || marked < pairs {
		t.Errorf("compared %d pairs, %d texts with marks: want at least 5000 pairs, most of them marked", pairs, marked)
	}
	if grown == 0 {
		t.Error("keeping words counted no bytes")
	}
	t.Logf("compared %d (practice, query) pairs, %d texts with marks; kept words of %d practices, %d bytes", pairs, marked, len(ps), grown)
}

// TestHighlightConcurrentSmallCache highlights from several goroutines
// while the word cache, made tiny, starts afresh again and again: the
// marks must stay those of the reference.
func TestHighlightConcurrentSmallCache(t *testing.T) {
	defer func(n int) { wordCacheSize = n }(wordCacheSize)
	wordCacheSize = 50
	idx := equivIndex(t)
	ps := equivPractices(t, 40)
	words := make([]*docWords, len(ps))
	for i := range words {
		words[i] = &docWords{grow: func(int) {}}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for i := range ps {
				p := ps[(i+g*7)%len(ps)]
				for _, q := range equivQueries(rng, p, 2) {
					pq := ParseQuery(q)
					got := newHighlights(idx, pq)
					want := &refHighlights{m: idx.Mapping(), pq: pq, cache: map[string]*refHighlighter{}}
					// The goroutines share each practice's kept words, which
					// the tables' replacement makes stale again and again.
					gt, gs := got.render(p, member{words: words[(i+g*7)%len(ps)]})
					wt, ws := want.render(p, member{})
					if gt != wt || gs != ws {
						errs <- fmt.Sprintf("q=%q: got %q, %q; want %q, %q", q, gt, gs, wt, ws)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
