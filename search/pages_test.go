package search

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/casebook-project/casebook/search/searchtest"
)

// Searches that load practices from the index files hand the files' pages
// back every releaseEvery practices, for the index being searched.
func TestPagesReleasedWhileServing(t *testing.T) {
	ix, err := searchtest.Build(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var mu sync.Mutex
	var dirs []string
	defer func(f func(string) (int64, error)) { releasePages = f }(releasePages)
	releasePages = func(dir string) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		dirs = append(dirs, dir)
		return 0, nil
	}
	e := New(ix)
	e.DisableResultCache()
	req, err := ParseRequest(url.Values{"q": {"housing"}, "size": {"20"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	loads := 0
	for loads < 2*releaseEvery {
		e.docs = docCache{} // every search loads its hits from the files
		res, err := e.Search(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatal("no hits to load")
		}
		loads += len(res.Hits)
		for e.pages.running.Load() { // one release at a time: let it finish
			time.Sleep(time.Millisecond)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dirs) < 1 || len(dirs) > 2 {
		t.Fatalf("after %d practices loaded, pages released %d times; want 1 or 2 (every %d)", loads, len(dirs), releaseEvery)
	}
	for _, d := range dirs {
		if d != ix.Dir() {
			t.Errorf("released the pages of %q, want the index %q", d, ix.Dir())
		}
	}
}
