package crawler_test

// Hostile sites (issue 8): each case is an httptest site that attacks the
// crawler in one way, and each asserts a bounded outcome — requests made,
// bytes read, the reason a page was skipped or failed — besides what
// every case shares (checkHostile): the crawl returns, completely, the
// one good page of the site is still a practice, and every practice is
// valid UTF-8. Durations in these tests are hang guards and the small
// per-request deadline the slow cases are meant to hit, never assertions.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/indexer"
)

// goodPage is the practice every hostile site also serves at /good.
const goodPage = `<html lang="en"><head><title>Neighbourhood mothers</title></head><body>` +
	`<h1>Neighbourhood mothers</h1><p>Trained mothers visit families who arrived recently and help them ` +
	`find schools, doctors and language courses in their own language.</p></body></html>`

// hangGuard bounds one hostile crawl; reaching it fails the test.
const hangGuard = 2 * time.Minute

// hostileSite serves /robots.txt (404), /start (links to /good and to the
// case's links), /good and, for every other path, the case's handler. It
// logs the path and query of every request.
type hostileSite struct {
	*httptest.Server
	mu  sync.Mutex
	log []string
}

func serveHostile(t *testing.T, links []string, h http.Handler) *hostileSite {
	t.Helper()
	s := &hostileSite{}
	var start strings.Builder
	start.WriteString(`<html><body><a href="/good">good</a>`)
	for _, l := range links {
		fmt.Fprintf(&start, ` <a href="%s">x</a>`, l)
	}
	start.WriteString(`</body></html>`)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.RequestURI())
		s.mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/start":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(start.String()))
		case "/good":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(goodPage))
		default:
			h.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// count returns how many requests had a path (and query) starting with
// prefix.
func (s *hostileSite) count(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.log {
		if strings.HasPrefix(p, prefix) {
			n++
		}
	}
	return n
}

// pages returns how many requests were not for robots.txt.
func (s *hostileSite) pages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.log {
		if p != "/robots.txt" {
			n++
		}
	}
	return n
}

// outcome is what a hostile crawl produced.
type outcome struct {
	site  *hostileSite
	got   events
	err   error
	bytes func(prefix string) int64 // body bytes the crawler read, by path prefix
}

// crawlHostile crawls site from /start with cfg (private networks allowed:
// the site is on loopback) and src's scope, then checks what every case
// shares.
func crawlHostile(t *testing.T, site *hostileSite, cfg crawler.Config, src crawler.Source) *outcome {
	t.Helper()
	cfg.AllowPrivateNetworks = true
	if cfg.RetryBase == 0 {
		cfg.RetryBase = time.Millisecond
	}
	c := crawler.New(cfg)
	o := &outcome{site: site, bytes: crawler.CountBodiesForTest(c)}
	src.Name = "hostile"
	src.StartURLs = []string{site.URL + "/start"}
	ctx, cancel := context.WithTimeout(t.Context(), hangGuard)
	defer cancel()
	o.err = c.Crawl(ctx, src, o.got.add)
	checkHostile(t, o)
	return o
}

// checkHostile: the crawl finished completely, /good is a practice and
// every practice is valid UTF-8 within the extraction caps.
func checkHostile(t *testing.T, o *outcome) {
	t.Helper()
	if o.err != nil {
		t.Fatalf("Crawl: %v", o.err)
	}
	if p := o.got.practice(o.site.URL + "/good"); p == nil || p.Title != "Neighbourhood mothers" {
		t.Errorf("the good page is not a practice (got %+v)", p)
	}
	for _, ev := range o.got.all {
		if ev.Kind == crawler.EventPractice {
			checkPracticeBounds(t, ev.Practice)
		}
	}
}

// checkPracticeBounds fails when a field of p is not valid UTF-8 or
// exceeds the extraction caps.
func checkPracticeBounds(t *testing.T, p *indexer.Practice) {
	t.Helper()
	fields := map[string]string{"url": p.URL, "title": p.Title, "summary": p.Summary, "body": p.Body,
		"country": p.Country, "lang": p.Lang, "period": p.Period, "published": p.Published}
	for i, c := range p.Cities {
		fields[fmt.Sprintf("cities[%d]", i)] = c
	}
	for i, th := range p.Themes {
		fields[fmt.Sprintf("themes[%d]", i)] = th
	}
	for i, tr := range p.Translations {
		fields[fmt.Sprintf("translations[%d]", i)] = tr.Lang + " " + tr.URL
	}
	for name, v := range fields {
		if !utf8.ValidString(v) {
			t.Errorf("practice %.80s: %s is not valid UTF-8: %.80q", p.URL, name, v)
		}
		limit := crawler.MaxFieldBytesForTest
		switch name {
		case "body":
			continue
		case "summary":
			limit = crawler.MaxSummaryBytesForTest
		case "url":
			limit = crawler.MaxURLLengthForTest
		}
		if len(v) > limit {
			t.Errorf("practice %.80s: %s has %d bytes, more than %d", p.URL, name, len(v), limit)
		}
	}
	if len(p.Cities) > crawler.MaxListValuesForTest || len(p.Themes) > crawler.MaxListValuesForTest {
		t.Errorf("practice %.80s: %d cities, %d themes; want at most %d each", p.URL, len(p.Cities), len(p.Themes), crawler.MaxListValuesForTest)
	}
	if len(p.Translations) > crawler.MaxTranslationsForTest {
		t.Errorf("practice %.80s: %d translations, want at most %d", p.URL, len(p.Translations), crawler.MaxTranslationsForTest)
	}
}

// event returns the last event for url, failing the test when there is
// none.
func (o *outcome) event(t *testing.T, path string) crawler.Event {
	t.Helper()
	u := o.site.URL + path
	var last *crawler.Event
	for i := range o.got.all {
		if o.got.all[i].URL == u {
			last = &o.got.all[i]
		}
	}
	if last == nil {
		t.Fatalf("no event for %s", path)
	}
	return *last
}

// wantOutcome checks that path ended with kind and an error wrapping want
// (any error when want is nil) and that it is not a practice.
func (o *outcome) wantOutcome(t *testing.T, path string, kind crawler.EventKind, want error) crawler.Event {
	t.Helper()
	ev := o.event(t, path)
	if ev.Kind != kind || ev.Err == nil || (want != nil && !errors.Is(ev.Err, want)) {
		t.Errorf("%s: %v %v, want %v with %v", path, ev.Kind, ev.Err, kind, want)
	}
	if o.got.practice(o.site.URL+path) != nil {
		t.Errorf("%s became a practice", path)
	}
	return ev
}

// hijack takes the connection over to write a raw (broken) answer.
func hijack(t *testing.T, w http.ResponseWriter) (write func(string) bool, done func()) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Error(err)
		return func(string) bool { return false }, func() {}
	}
	return func(s string) bool {
			_ = conn.SetWriteDeadline(time.Now().Add(hangGuard))
			_, err := conn.Write([]byte(s))
			return err == nil
		}, func() {
			_ = conn.Close()
		}
}

// drip writes s a byte at a time, every gap, until the client goes away
// or s is written.
func drip(ctx context.Context, write func([]byte) bool, s string, gap time.Duration) {
	t := time.NewTicker(gap)
	defer t.Stop()
	for i := range len(s) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !write([]byte{s[i]}) {
			return
		}
	}
}
