package search_test

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// TestMemIndexAgreesWithBleve runs every judged query, and variants of it
// with filters, sorts and pages, once through the in-memory copy of the
// index and once through Bleve: the practices shown, their order, the
// totals and every facet count must be the same (scores may differ by
// the query norm, a constant factor per query, so only their order is
// compared). At most maxDisagree searches may rank differently: a known
// one is a quoted German compound with a theme or year filter, where a
// translation's score differs; each difference is logged.
func TestMemIndexAgreesWithBleve(t *testing.T) {
	c := relLoadCorpus(t)
	qs := relLoadSuite(t)
	// Bleve alone matches phrases only in an index with term vectors; the
	// in-memory copy reads the positions the indexer stores in either kind
	// (TestStoredPositionsEqualTermVectors proves them equal).
	defer func(keep bool) { indexer.KeepTermVectors = keep }(indexer.KeepTermVectors)
	indexer.KeepTermVectors = true
	ix, _ := relDemoIndex(t, c)
	ctx := t.Context()
	mem := search.New(ix)
	bl := search.New(ix)
	bl.DisableMemIndex()
	if err := mem.Warm(ctx); err != nil {
		t.Fatalf("Warm: %v", err)
	}

	variants := []struct {
		name  string
		extra url.Values
	}{
		{"as judged", nil},
		{"newest", url.Values{"sort": {"newest"}}},
		{"page 2 of 3", url.Values{"size": {"3"}, "page": {"2"}}},
		{"lang de", url.Values{"lang": {"de"}}},
		{"theme refugees or housing", url.Values{"theme": {"refugees", "housing-urban"}, "ui": {"fr"}}},
		{"years", url.Values{"year_from": {"2015"}, "year_to": {"2020"}}},
	}
	compared, differ := 0, 0
	const maxDisagree = 0.01 // share of searches
	for _, q := range qs {
		for _, v := range variants {
			params := relParams(q)
			for k, vals := range v.extra {
				params[k] = vals
			}
			req, err := search.ParseRequest(params, "")
			if err != nil {
				t.Fatalf("%s %s: ParseRequest: %v", q.ID, v.name, err)
			}
			got, err := mem.Search(ctx, req)
			if err != nil {
				t.Fatalf("%s %s: memory: %v", q.ID, v.name, err)
			}
			want, err := bl.Search(ctx, req)
			if err != nil {
				t.Fatalf("%s %s: Bleve: %v", q.ID, v.name, err)
			}
			// The page and snippet marks must be the same too: the copy
			// skips scanning fields it knows hold none of the words.
			if len(got.Hits) == len(want.Hits) {
				for i := range got.Hits {
					g, w := got.Hits[i], want.Hits[i]
					if g.ID == w.ID && (g.TitleHTML != w.TitleHTML || g.SnippetHTML != w.SnippetHTML) {
						t.Errorf("%s %q (%s): %s highlighted differently\n  memory %q / %q\n  Bleve  %q / %q",
							q.ID, q.Q, v.name, g.ID, g.TitleHTML, g.SnippetHTML, w.TitleHTML, w.SnippetHTML)
					}
				}
			}
			if diff := compareResults(got, want); diff != "" {
				differ++
				t.Logf("%s %q (%s): memory and Bleve differ: %s", q.ID, q.Q, v.name, diff)
			}
			compared++
		}
	}
	t.Logf("%d searches compared, %d differ", compared, differ)
	if float64(differ) > maxDisagree*float64(compared) {
		t.Errorf("%d of %d searches differ between memory and Bleve; want at most %.0f%%", differ, compared, 100*maxDisagree)
	}
}

func compareResults(got, want *search.Result) string {
	var diffs []string
	if got.Total != want.Total && want.Total <= search.ExactTotalLimit {
		diffs = append(diffs, fmt.Sprintf("total %d, Bleve %d", got.Total, want.Total))
	}
	ids := func(r *search.Result) string {
		var s []string
		for _, h := range r.Hits {
			s = append(s, h.ID)
		}
		return strings.Join(s, " ")
	}
	if g, w := ids(got), ids(want); g != w && !sameUpToTies(got, want) {
		diffs = append(diffs, fmt.Sprintf("hits\n  memory %s\n  Bleve  %s\n  scores %v / %v", g, w, scores(got), scores(want)))
	}
	for f, wv := range want.Facets {
		gv := got.Facets[f]
		if fmt.Sprint(gv) != fmt.Sprint(wv) {
			diffs = append(diffs, fmt.Sprintf("facet %s\n  memory %v\n  Bleve  %v", f, gv, wv))
		}
	}
	return strings.Join(diffs, "; ")
}

func scores(r *search.Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, fmt.Sprintf("%.4g", h.Score))
	}
	return out
}

// sameUpToTies accepts a different order of hits whose scores are equal
// within rounding (Bleve sums in another order).
func sameUpToTies(got, want *search.Result) bool {
	if len(got.Hits) != len(want.Hits) || len(got.Hits) == 0 {
		return false
	}
	ratio := got.Hits[0].Score / want.Hits[0].Score
	for i := range got.Hits {
		if got.Hits[i].ID == want.Hits[i].ID {
			continue
		}
		g, w := got.Hits[i].Score, want.Hits[i].Score*ratio
		if math.Abs(g-w) > 1e-6*math.Max(math.Abs(g), 1e-9) {
			return false
		}
	}
	return true
}
