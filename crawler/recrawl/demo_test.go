package recrawl_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
)

// headerLog records the conditional headers the demo sites received.
type headerLog struct {
	mu                 sync.Mutex
	requests, withCond int
	notModified        int
}

func (l *headerLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		l.mu.Lock()
		defer l.mu.Unlock()
		l.requests++
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			l.withCond++
		}
		if rec.code == http.StatusNotModified {
			l.notModified++
		}
	})
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

func (w *codeWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// The demo sites answer 304 to If-None-Match: a second crawl of them sends
// conditional requests and finds every practice unchanged; --full
// refetches every page.
func TestRunDemoTwice(t *testing.T) {
	running, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	defer running.Close()
	// Serve the same sites again behind a logging handler and point the
	// sources at them.
	var log headerLog
	var sources []crawler.Source
	byName := map[string]crawler.Source{}
	for _, s := range running.Sources() {
		byName[s.Name] = s
	}
	for _, site := range demo.Sites() {
		srv := httptest.NewServer(log.wrap(site.Handler))
		t.Cleanup(srv.Close)
		src := byName[site.Name]
		old := running.URL(site.Name)
		src.StartURLs = replaceOrigin(src.StartURLs, old, srv.URL)
		src.Sitemaps = replaceOrigin(src.Sitemaps, old, srv.URL)
		sources = append(sources, src)
	}

	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	first, err := recrawl.Run(t.Context(), c, ix, sources, recrawl.Options{})
	if err != nil {
		t.Fatalf("first crawl: %v", err)
	}
	if first.Total.Added == 0 || log.withCond != 0 {
		t.Fatalf("first crawl: %+v, %d conditional requests", first.Total, log.withCond)
	}

	log = headerLog{}
	second, err := recrawl.Run(t.Context(), c, ix, sources, recrawl.Options{})
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	if second.Total.Unchanged != first.Total.Added || second.Total.Added+second.Total.Updated+second.Total.Removed+second.Total.Failed != 0 {
		t.Errorf("second crawl %+v; want all %d practices unchanged and nothing else", second.Total, first.Total.Added)
	}
	if log.withCond == 0 || log.notModified == 0 {
		t.Errorf("second crawl: %d conditional requests, %d answered 304; want some of each", log.withCond, log.notModified)
	}
	t.Logf("second crawl: %d requests (%d conditional, %d answered 304) against %d pages fetched in the first; counts %+v",
		log.requests, log.withCond, log.notModified, first.Total.Fetched, second.Total)

	log = headerLog{}
	full, err := recrawl.Run(t.Context(), c, ix, sources, recrawl.Options{Full: true})
	if err != nil {
		t.Fatalf("full crawl: %v", err)
	}
	if log.withCond != 0 || full.Total.Fetched != first.Total.Fetched || full.Total.Unchanged != first.Total.Added {
		t.Errorf("full crawl %+v with %d conditional requests; want %d fetched, %d unchanged, none conditional",
			full.Total, log.withCond, first.Total.Fetched, first.Total.Added)
	}
}

func replaceOrigin(urls []string, old, new string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = strings.Replace(u, old, new, 1)
	}
	return out
}
