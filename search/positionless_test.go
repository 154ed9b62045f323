package search_test

import (
	"net/url"
	"testing"

	"github.com/casebook-project/casebook/search"
)

// TestBleveAloneWithoutTermVectors: the test index, created by this
// version, keeps no term vectors. While the in-memory copy is not there,
// Bleve alone answers a phrase with the practices holding all its words —
// never fewer than the copy's exact phrase matches — and a search of
// several words still finds what the copy finds (the proximity clauses,
// which need positions, are left out).
func TestBleveAloneWithoutTermVectors(t *testing.T) {
	if index.TermVectors() {
		t.Fatalf("the test index keeps term vectors; a new index should not")
	}
	ctx := t.Context()
	bl := search.New(index)
	bl.DisableMemIndex()
	for _, q := range []string{`q=%22car+free%22`, `q=%22car+free%22+-parking`, `q=car+free+streets`, `q=%22welcome+centre%22`, `q=neighbourhood+mothers`} {
		mem := doSearch(t, q)
		v, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		req, err := search.ParseRequest(v, "")
		if err != nil {
			t.Fatalf("ParseRequest(%s): %v", q, err)
		}
		got, err := bl.Search(ctx, req)
		if err != nil {
			t.Fatalf("Bleve alone %s: %v", q, err)
		}
		if got.Total < mem.Total {
			t.Errorf("%s: Bleve alone finds %d, the in-memory copy %d: a phrase must match at least the practices holding it", q, got.Total, mem.Total)
		}
		if mem.Total > 0 && got.Total == 0 {
			t.Errorf("%s: Bleve alone finds nothing", q)
		}
		seen := map[string]bool{}
		for _, h := range got.Hits {
			seen[h.ID] = true
		}
		if got.Total == mem.Total {
			for _, h := range mem.Hits {
				if !seen[h.ID] {
					t.Errorf("%s: Bleve alone misses %s", q, h.ID)
				}
			}
		}
	}
}
