package search_test

import (
	"net/url"
	"testing"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
)

// A repeated request is answered from the result cache with the same
// hits; a write to the index makes the kept answer stale at once.
func TestResultCacheFollowsWrites(t *testing.T) {
	ctx := t.Context()
	ix := searchtest.Index(t)
	e := search.New(ix)
	req, err := search.ParseRequest(url.Values{"q": {"zebrafinch"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.Search(ctx, req)
	if err != nil || first.Total != 0 {
		t.Fatalf("first search: total %v, err %v; want 0 hits", first, err)
	}
	again, err := e.Search(ctx, req)
	if err != nil || again.Total != 0 {
		t.Fatalf("repeated search: %+v, %v", again, err)
	}
	p := indexer.Practice{URL: "https://example.org/en/zebrafinch", Title: "Zebrafinch gardens for newcomers", Lang: "en", Body: "A garden project named zebrafinch welcomes newcomers."}
	if err := ix.Upsert(ctx, []indexer.Practice{p}); err != nil {
		t.Fatal(err)
	}
	after, err := e.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if after.Total != 1 || len(after.Hits) != 1 || after.Hits[0].Title != p.Title {
		t.Fatalf("after the write: total %d, hits %+v; want the new practice", after.Total, after.Hits)
	}
	// The kept answer is a copy: changing what a caller got changes
	// nothing for the next caller.
	after.Hits[0].Title = "changed"
	next, err := e.Search(ctx, req)
	if err != nil || len(next.Hits) != 1 || next.Hits[0].Title != p.Title {
		t.Fatalf("next search after a caller changed its copy: %+v, %v", next.Hits, err)
	}
}

// A practice shown on a page of hits is decoded once and kept; when it is
// updated, the next page shows the new version (the result cache is off:
// this is the practice cache alone).
func TestPracticeCacheFollowsWrites(t *testing.T) {
	ctx := t.Context()
	ix := searchtest.Index(t)
	e := search.New(ix)
	e.DisableResultCache()
	req, err := search.ParseRequest(url.Values{"q": {"kingfisher"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	p := indexer.Practice{URL: "https://example.org/en/kingfisher", Title: "Kingfisher walks", Lang: "en", Body: "Guided kingfisher walks along the river for newcomers."}
	for _, title := range []string{"Kingfisher walks", "Kingfisher walks and talks", "Kingfisher evenings"} {
		p.Title = title
		if err := ix.Upsert(ctx, []indexer.Practice{p}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second answer comes from the kept practice
			res, err := e.Search(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 || res.Hits[0].Title != title {
				t.Fatalf("after setting the title to %q: hits %+v", title, res.Hits)
			}
		}
	}
}
