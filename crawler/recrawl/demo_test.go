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
		// Count the request before answering it: the crawl cannot return
		// before the answer, so the count belongs to the crawl that sent it.
		l.mu.Lock()
		l.requests++
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			l.withCond++
		}
		l.mu.Unlock()
		rec := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		if rec.code == http.StatusNotModified {
			l.mu.Lock()
			l.notModified++
			l.mu.Unlock()
		}
	})
}

// reset starts a new count; handlers may still be finishing the previous
// crawl's last answers, hence the lock.
func (l *headerLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests, l.withCond, l.notModified = 0, 0, 0
}

// counts reads the counters under the lock.
func (l *headerLog) counts() (requests, withCond, notModified int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.requests, l.withCond, l.notModified
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
	if _, cond, _ := log.counts(); first.Total.Added == 0 || cond != 0 {
		t.Fatalf("first crawl: %+v, %d conditional requests", first.Total, cond)
	}

	log.reset()
	second, err := recrawl.Run(t.Context(), c, ix, sources, recrawl.Options{})
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	if second.Total.Unchanged != first.Total.Added || second.Total.Added+second.Total.Updated+second.Total.Removed+second.Total.Failed != 0 {
		t.Errorf("second crawl %+v; want all %d practices unchanged and nothing else", second.Total, first.Total.Added)
	}
	requests, cond, notModified := log.counts()
	if cond == 0 || notModified == 0 {
		t.Errorf("second crawl: %d conditional requests, %d answered 304; want some of each", cond, notModified)
	}
	t.Logf("second crawl: %d requests (%d conditional, %d answered 304) against %d pages fetched in the first; counts %+v",
		requests, cond, notModified, first.Total.Fetched, second.Total)

	log.reset()
	full, err := recrawl.Run(t.Context(), c, ix, sources, recrawl.Options{Full: true})
	if err != nil {
		t.Fatalf("full crawl: %v", err)
	}
	_, cond, _ = log.counts()
	if cond != 0 || full.Total.Fetched != first.Total.Fetched || full.Total.Unchanged != first.Total.Added {
		t.Errorf("full crawl %+v with %d conditional requests; want %d fetched, %d unchanged, none conditional",
			full.Total, cond, first.Total.Fetched, first.Total.Added)
	}
}

func replaceOrigin(urls []string, old, new string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = strings.Replace(u, old, new, 1)
	}
	return out
}
