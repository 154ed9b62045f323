package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
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
	pairs, marked := 0, 0
	for _, p := range ps {
		for _, q := range equivQueries(rng, p, 8) {
			pq := ParseQuery(q)
			got := newHighlights(idx, pq)
			want := &refHighlights{m: idx.Mapping(), pq: pq, cache: map[string]*refHighlighter{}}
			gotTitle, gotSnippet := got.render(p, member{})
			wantTitle, wantSnippet := want.render(p, member{})
			if gotTitle != wantTitle {
				t.Errorf("q=%q lang=%q title %.60q:\ngot  %q\nwant %q", q, p.Lang, p.Title, gotTitle, wantTitle)
			}
			if gotSnippet != wantSnippet {
				t.Errorf("q=%q lang=%q body %.60q:\ngot  snippet %q\nwant snippet %q", q, p.Lang, p.Body, gotSnippet, wantSnippet)
			}
			for _, kind := range indexer.TextKinds {
				field := indexer.TextField(kind, p.Lang)
				text := map[string]string{indexer.KindTitle: p.Title, indexer.KindSummary: p.Summary, indexer.KindBody: p.Body}[kind]
				gotSpans, wantSpans := got.spans(field, text, member{}), want.spans(field, text, member{})
				if !slices.Equal(gotSpans, wantSpans) {
					t.Errorf("q=%q %s %.60q:\ngot  spans %v\nwant spans %v", q, field, text, gotSpans, wantSpans)
				}
				if len(wantSpans) > 0 {
					marked++
				}
			}
			pairs++
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	if pairs < 5000 || marked < pairs {
		t.Errorf("compared %d pairs, %d texts with marks: want at least 5000 pairs, most of them marked", pairs, marked)
	}
	t.Logf("compared %d (practice, query) pairs, %d texts with marks", pairs, marked)
}

// TestHighlightConcurrentSmallCache highlights from several goroutines
// while the word cache, made tiny, starts afresh again and again: the
// marks must stay those of the reference.
func TestHighlightConcurrentSmallCache(t *testing.T) {
	defer func(n int) { wordCacheSize = n }(wordCacheSize)
	wordCacheSize = 50
	idx := equivIndex(t)
	ps := equivPractices(t, 40)
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
					gt, gs := got.render(p, member{})
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
