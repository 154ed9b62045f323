package recrawl_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
)

// breaker makes the demo sites answer code for one path.
type breaker struct {
	mu   sync.Mutex
	path string
	code int
}

func (b *breaker) set(path string, code int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.path, b.code = path, code
}

func (b *breaker) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		path, code := b.path, b.code
		b.mu.Unlock()
		if path != "" && r.URL.Path == path {
			http.Error(w, http.StatusText(code), code)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func allIDs(t *testing.T, ix *indexer.Index) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 10000, 0, false)
	res, err := ix.Bleve().SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func TestRunRebuild(t *testing.T) {
	running, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	defer running.Close()
	var brk breaker
	byName := map[string]crawler.Source{}
	for _, s := range running.Sources() {
		byName[s.Name] = s
	}
	var sources []crawler.Source
	for _, site := range demo.Sites() {
		srv := httptest.NewServer(brk.wrap(site.Handler))
		t.Cleanup(srv.Close)
		src := byName[site.Name]
		old := running.URL(site.Name)
		src.StartURLs = replaceOrigin(src.StartURLs, old, srv.URL)
		src.Sitemaps = replaceOrigin(src.Sitemaps, old, srv.URL)
		sources = append(sources, src)
	}
	dir := t.TempDir() + "/index"
	ix, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	first, err := recrawl.Run(t.Context(), c, ix, sources, recrawl.Options{})
	if err != nil {
		t.Fatalf("first crawl: %v", err)
	}
	served := allIDs(t, ix)

	// A rebuild of unchanged sites swaps in the same practices.
	sum, err := recrawl.RunRebuild(t.Context(), c, ix, sources, recrawl.Options{})
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if got := allIDs(t, ix); !slices.Equal(got, served) {
		t.Errorf("after rebuild: %d practices; want the %d served before", len(got), len(served))
	}
	if !sum.OK || sum.Total.Unchanged != first.Total.Added || sum.Total.Added+sum.Total.Updated+sum.Total.Removed != 0 {
		t.Errorf("rebuild summary %+v; want all %d unchanged", sum.Total, first.Total.Added)
	}
	if _, err := os.Stat(dir + ".next"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.next left behind: %v", dir, err)
	}

	p, err := ix.Get(t.Context(), served[0])
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		t.Fatal(err)
	}

	// A practice page answering 500: the rebuild is not swapped in.
	brk.set(u.Path, http.StatusInternalServerError)
	sum, err = recrawl.RunRebuild(t.Context(), c, ix, sources, recrawl.Options{})
	if !errors.Is(err, recrawl.ErrNotSwapped) || sum.OK {
		t.Fatalf("rebuild with a failing page: ok=%v, err %v; want ErrNotSwapped", sum.OK, err)
	}
	if got := allIDs(t, ix); !slices.Equal(got, served) {
		t.Errorf("after the refused rebuild: %d practices; want the %d served before", len(got), len(served))
	}

	// The page is gone (404): the rebuild swaps in without it.
	brk.set(u.Path, http.StatusNotFound)
	sum, err = recrawl.RunRebuild(t.Context(), c, ix, sources, recrawl.Options{})
	if err != nil {
		t.Fatalf("rebuild with a page gone: %v", err)
	}
	got := allIDs(t, ix)
	if slices.Contains(got, served[0]) || len(got) >= len(served) {
		t.Errorf("after the rebuild, %s (404) is still served among %d practices", served[0], len(got))
	}
	if sum.Total.Removed != len(served)-len(got) {
		t.Errorf("rebuild removed %d; want %d", sum.Total.Removed, len(served)-len(got))
	}
}
