package crawler_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casebook-project/casebook/crawler"
)

// pageLimit is max_page_bytes in the body cases: small, so that the
// bounded outcome is far from what the site offers.
const pageLimit = 256 << 10

// A gzip bomb (Content-Encoding: gzip, 1 GiB of zeros from about 1 MB on
// the wire) is cut at max_page_bytes after decompression: the page is
// skipped as too large, at most the limit + 1 decoded bytes are read, and
// the crawl allocates far less than the bomb.
func TestHostileGzipBomb(t *testing.T) {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, 1<<20))
	_ = zw.Close()
	site := serveHostile(t, []string{"/bomb"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		for range 1024 { // concatenated members decode as one stream
			if _, err := w.Write(member.Bytes()); err != nil {
				return
			}
		}
	}))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	o := crawlHostile(t, site, crawler.Config{MaxPageBytes: pageLimit}, crawler.Source{})
	runtime.ReadMemStats(&after)
	o.wantOutcome(t, "/bomb", crawler.EventSkipped, crawler.ErrTooLarge)
	if n := o.bytes("/bomb"); n > pageLimit+1 {
		t.Errorf("read %d decoded bytes of the bomb, want at most %d", n, pageLimit+1)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("the crawl allocated %d MiB for a 1 GiB bomb, want under 64 MiB", alloc>>20)
	}
}

// Bodies that never end, or say they are huge, or stop short.
func TestHostileBodies(t *testing.T) {
	chunk := []byte(strings.Repeat("<p>endless endless endless endless</p>\n", 1000))
	endless := func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	site := serveHostile(t, []string{"/endless", "/endless-404", "/liar", "/short", "/huge", "/big-ok"},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			switch r.URL.Path {
			case "/endless": // chunked, no length, never ends
				endless(w, r)
			case "/endless-404":
				w.WriteHeader(http.StatusNotFound)
				endless(w, r)
			case "/liar": // says 10 GiB
				w.Header().Set("Content-Length", strconv.Itoa(10<<30))
				_, _ = w.Write(chunk)
			case "/short": // says 100 kB, sends 1 kB and hangs up
				w.Header().Set("Content-Length", "100000")
				_, _ = w.Write([]byte("<html><head><title>Half a page</title></head><body><p>" + strings.Repeat("x", 1000)))
			case "/huge": // a real page, four times the limit
				_, _ = w.Write([]byte("<html><head><title>Huge</title></head><body>"))
				for range 4 * pageLimit / len(chunk) {
					_, _ = w.Write(chunk)
				}
			case "/big-ok": // just under the limit: a practice
				_, _ = w.Write([]byte("<html lang=en><head><title>Big but fine</title></head><body><h1>Big but fine</h1>"))
				_, _ = w.Write(bytes.Repeat([]byte("<p>A long report on the neighbourhood kitchen, page after page.</p>\n"), (pageLimit-1024)/68))
			default:
				http.NotFound(w, r)
			}
		}))
	o := crawlHostile(t, site, crawler.Config{MaxPageBytes: pageLimit}, crawler.Source{})

	o.wantOutcome(t, "/endless", crawler.EventSkipped, crawler.ErrTooLarge)
	if n := o.bytes("/endless"); n > pageLimit+1+64<<10 { // /endless-404 shares the prefix
		t.Errorf("read %d bytes of the endless bodies, want at most %d", n, pageLimit+1+64<<10)
	}
	if ev := o.wantOutcome(t, "/endless-404", crawler.EventFailed, crawler.ErrStatus); ev.Status != http.StatusNotFound {
		t.Errorf("endless 404: status %d", ev.Status)
	}
	if n := o.bytes("/endless-404"); n > 64<<10 {
		t.Errorf("read %d bytes of an endless 404 body, want at most 64 KiB", n)
	}
	o.wantOutcome(t, "/liar", crawler.EventSkipped, crawler.ErrTooLarge)
	if n := o.bytes("/liar"); n != 0 {
		t.Errorf("read %d bytes of a body declared 10 GiB, want 0", n)
	}
	o.wantOutcome(t, "/short", crawler.EventFailed, nil)
	if n := site.count("/short"); n != 1+crawler.MaxRetriesForTest {
		t.Errorf("/short requested %d times, want %d (a broken body is retried)", n, 1+crawler.MaxRetriesForTest)
	}
	o.wantOutcome(t, "/huge", crawler.EventSkipped, crawler.ErrTooLarge)
	if n := o.bytes("/huge"); n > pageLimit+1 {
		t.Errorf("read %d bytes of /huge, want at most %d", n, pageLimit+1)
	}
	if p := o.got.practice(site.URL + "/big-ok"); p == nil || p.Title != "Big but fine" || !strings.Contains(p.Body, "neighbourhood kitchen") {
		t.Errorf("a page under the limit is not a practice: %.200v", p)
	}
}

// Slow answers: a body dripped a byte every 20 ms, headers dripped, and
// headers that never end. Each is abandoned by the per-request deadline
// (timeout, 1 s here) or the header cap, tried at most 1 + retries times,
// and the rest of the site is crawled.
func TestHostileSlowAndHeaders(t *testing.T) {
	const dripGap = 20 * time.Millisecond
	dripBody := "<html><head><title>Drip</title></head><body><p>" + strings.Repeat("slow ", 20000) + "</p></body></html>"
	site := serveHostile(t, []string{"/drip-body", "/drip-headers", "/endless-headers"},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/drip-body":
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusOK)
				rc := http.NewResponseController(w)
				drip(r.Context(), func(b []byte) bool {
					_, err := w.Write(b)
					return err == nil && rc.Flush() == nil
				}, dripBody, dripGap)
			case "/drip-headers":
				write, done := hijack(t, w)
				defer done()
				ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
				defer cancel()
				drip(ctx, func(b []byte) bool { return write(string(b)) },
					"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: "+strings.Repeat("z", 10000)+"\r\n\r\n", dripGap)
			case "/endless-headers":
				write, done := hijack(t, w)
				defer done()
				if !write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n") {
					return
				}
				line := "X-Junk: " + strings.Repeat("j", 1000) + "\r\n"
				for i := 0; i < 100000 && write(line); i++ { // 100 MB of headers at most
				}
			}
		}))
	o := crawlHostile(t, site, crawler.Config{Timeout: time.Second, MaxPageBytes: pageLimit}, crawler.Source{})

	for _, path := range []string{"/drip-body", "/drip-headers"} {
		o.wantOutcome(t, path, crawler.EventFailed, context.DeadlineExceeded)
		if n := site.count(path); n != 1+crawler.MaxRetriesForTest {
			t.Errorf("%s requested %d times, want %d", path, n, 1+crawler.MaxRetriesForTest)
		}
	}
	if n := o.bytes("/drip-body"); n >= int64(len(dripBody)) {
		t.Errorf("read all %d bytes of the dripped body; the deadline did not cut it", n)
	}
	ev := o.wantOutcome(t, "/endless-headers", crawler.EventFailed, nil)
	if !strings.Contains(ev.Err.Error(), "header") {
		t.Errorf("endless headers: %v, want an error about headers", ev.Err)
	}
}
