package crawler

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// countingTransport counts the body bytes the crawler reads, after the
// transport's gzip decoding.
type countingTransport struct {
	next http.RoundTripper
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func counting(c *Crawler) *countingTransport {
	ct := &countingTransport{next: c.fetch.client.Transport}
	c.fetch.client.Transport = ct
	return ct
}

// A gzip bomb (about 1 MB on the wire, 1 GiB decompressed) is stopped at
// max_page_bytes after decompression and the page is skipped; the test
// itself stays far from allocating the gigabyte.
func TestGzipBombStopsAtLimit(t *testing.T) {
	// One gzip member of 1 MiB of zeros; the body repeats it 1024 times
	// (concatenated members decode as one stream).
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, 1<<20))
	_ = zw.Close()
	var wire atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/start":
			_, _ = w.Write([]byte(`<a href="/bomb">b</a>`))
		case "/bomb":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			for range 1024 {
				n, err := w.Write(member.Bytes())
				wire.Add(int64(n))
				if err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()
	const limit = 1 << 20
	c := New(Config{AllowPrivateNetworks: true, MaxPageBytes: limit})
	ct := counting(c)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var bomb error
	err := c.Crawl(t.Context(), Source{Name: "s", StartURLs: []string{srv.URL + "/start"}}, func(ev Event) {
		if ev.URL == srv.URL+"/bomb" {
			bomb = ev.Err
		}
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(bomb, ErrTooLarge) {
		t.Errorf("bomb: %v, want ErrTooLarge", bomb)
	}
	// Bytes read: robots.txt 404 and /start bodies are tiny; the bomb's
	// decoded body stops at limit+1.
	if n := ct.read.Load(); n > limit+1+4096 {
		t.Errorf("read %d decoded bytes, want at most limit+1 = %d (plus the tiny pages)", n, limit+1)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("the crawl allocated %d MiB, want under 64 MiB", alloc>>20)
	}
	t.Logf("decoded bytes read %d, compressed bytes the server got out %d (of %d), allocated %d MiB",
		ct.read.Load(), wire.Load(), 1024*member.Len(), (after.TotalAlloc-before.TotalAlloc)>>20)
}

// A 2 MiB robots.txt: at most 500 KiB + 1 bytes are read and the rules in
// them apply.
func TestRobotsSizeLimit(t *testing.T) {
	body := "User-agent: *\nDisallow: /private\n" + strings.Repeat("# padding padding padding padding\n", (2<<20)/34) + "Disallow: /late\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c := New(Config{AllowPrivateNetworks: true})
	ct := counting(c)
	base, _ := url.Parse(srv.URL)
	rb, err := c.fetchRobots(t.Context(), base, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := ct.read.Load(); n > maxRobotsBytes+1 {
		t.Errorf("read %d bytes of robots.txt, want at most %d", n, maxRobotsBytes+1)
	}
	for path, want := range map[string]bool{"/private/x": false, "/late": true, "/public": true} {
		u, _ := url.Parse(srv.URL + path)
		if got := rb.allowed(u); got != want {
			t.Errorf("allowed(%s) = %v, want %v", path, got, want)
		}
	}
}

func TestPageLinksCap(t *testing.T) {
	var b strings.Builder
	for i := range 3 * maxLinksPerPage {
		b.WriteString(`<a href="/p/` + strconv.Itoa(i%(2*maxLinksPerPage)) + `">x</a>`)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://a.example/list")
	links := pageLinks(doc, base)
	if len(links) != maxLinksPerPage || links[0] != "https://a.example/p/0" {
		t.Errorf("%d links (first %q), want the first %d distinct", len(links), links[0], maxLinksPerPage)
	}
}

func TestRepeatedSegments(t *testing.T) {
	for _, test := range []struct {
		path string
		seg  string
		n    int
	}{
		{"/a/b/c", "", 1},
		{"/a/b/a/b", "a/b", 2},
		{"/a/b/a/b/a/b", "a/b", 3},
		{"/x/a/b/c/a/b/c/a/b/c/y", "a/b/c", 3},
		{"/news/news/news/news", "news", 4},
		{"/2024/01/01/event", "01", 2},
	} {
		seg, n := repeatedSegments(test.path)
		if seg != test.seg || n != test.n {
			t.Errorf("repeatedSegments(%q) = %q, %d; want %q, %d", test.path, seg, n, test.seg, test.n)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, test := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"86400", 5 * time.Minute},
		{"99999999999999999999", 0}, // not a number Go can hold, not a date
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second},
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0},
		{"Mon, 02 Mar 2026 12:00:00 GMT", 5 * time.Minute},
		{"soon", 0},
	} {
		if got := parseRetryAfter(test.in, now, 5*time.Minute); got != test.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", test.in, got, test.want)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Sun, 01 Mar 2026 12:00:30 GMT", "-1", "1e9", "Sunday, 01-Mar-26 12:00:30 GMT"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d := parseRetryAfter(v, now, 5*time.Minute); d < 0 || d > 5*time.Minute {
			t.Fatalf("parseRetryAfter(%q) = %v, outside [0, 5m]", v, d)
		}
		if lm := parseLastmod(v); !lm.IsZero() && lm.Location() != time.UTC {
			t.Fatalf("parseLastmod(%q) = %v, not UTC", v, lm)
		}
	})
}
