//go:build linux

package search

import (
	"net/url"
	"testing"

	"github.com/casebook-project/casebook/search/searchtest"
)

// After the in-memory copy is built, the pages of the index files are
// released, and searches that read the files again (the documents of the
// hits) still work.
func TestReleaseMappedKeepsSearchesWorking(t *testing.T) {
	ix, err := searchtest.Build(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	e := New(ix)
	if err := e.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	n, err := releaseMapped(ix.Dir())
	if err != nil {
		t.Fatalf("releaseMapped: %v", err)
	}
	if n <= 0 {
		t.Errorf("releaseMapped released %d bytes of an open index; want its mapped segment files", n)
	}
	req, err := ParseRequest(url.Values{"q": {"housing"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(t.Context(), req)
	if err != nil {
		t.Fatalf("search after releasing the pages: %v", err)
	}
	if res.Total == 0 || len(res.Hits) == 0 || res.Hits[0].Title == "" {
		t.Errorf("search after releasing the pages: total %d, %d hits, first %+v; want hits with their stored titles", res.Total, len(res.Hits), res.Hits)
	}
	if n2, err := releaseMapped(t.TempDir()); err != nil || n2 != 0 {
		t.Errorf("releaseMapped(unrelated dir) = %d, %v; want 0, nil", n2, err)
	}
}
