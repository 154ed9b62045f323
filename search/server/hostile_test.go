package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// hostileSeed makes the generated requests the same on every run; change
// it to explore others.
const hostileSeed = 8

// hostileCount is how many generated requests TestHostileRequests replays.
const hostileCount = 1200

// logTrap records every log record at Warn or above; a panic anywhere,
// in gin's handlers or in net/http, is logged at one of those levels.
type logTrap struct {
	mu   sync.Mutex
	recs []string
}

func (l *logTrap) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelWarn }
func (l *logTrap) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	l.mu.Lock()
	l.recs = append(l.recs, b.String())
	l.mu.Unlock()
	return nil
}
func (l *logTrap) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logTrap) WithGroup(string) slog.Handler      { return l }

// hostileRequest is one raw HTTP/1.1 request.
type hostileRequest struct {
	kind   string
	method string
	raw    []byte
}

// TestHostileRequests replays hostileCount generated hostile requests —
// odd methods, huge, absurd and repeated parameters, invalid UTF-8 and
// %-encoding, header floods, oversize and lying bodies, path traversal,
// bad JSON on the admin API with and without the token, unknown routes —
// over TCP against the real router, admin API and index. No answer may be
// 5xx, nothing may panic, and afterwards the server still searches.
func TestHostileRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile replay skipped in -short mode")
	}
	ix := searchtest.Index(t)
	noop := func(ctx context.Context, _ *crawler.Crawler, _ *indexer.Index, _ []crawler.Source, _ recrawl.Options) (recrawl.Summary, error) {
		return recrawl.Summary{}, ctx.Err()
	}
	jobs, err := recrawl.NewRunner(t.Context(), recrawl.RunnerConfig{
		Index: ix, Crawler: crawler.New(crawler.Config{}), Sources: []crawler.Source{{Name: "icc", StartURLs: []string{"https://icc.example/"}}},
		HistoryFile: filepath.Join(t.TempDir(), "jobs.json"), Run: noop, Rebuild: noop, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jobs.Close() })
	trap := &logTrap{}
	addr := serveTCP(t, server.Config{
		Engine: search.New(ix), Index: ix, Jobs: jobs, AdminToken: adminToken, Logger: slog.New(trap),
		AllowedOrigins: []string{"https://city.example"}, TrustedProxies: []string{"127.0.0.1"},
		RateLimit: &server.RateLimit{PerSecond: 500, Burst: 500},
	})

	reqs := generateHostile(rand.New(rand.NewPCG(hostileSeed, 0x5eed)), hostileCount)
	type outcome struct {
		kind   string
		status int // 0: the server closed the connection without an answer
		err    error
	}
	out := make([]outcome, len(reqs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				status, err := sendRaw(addr, reqs[i])
				out[i] = outcome{reqs[i].kind, status, err}
			}
		})
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()

	byStatus := map[int]int{}
	kinds := map[string]int{}
	for i, o := range out {
		byStatus[o.status]++
		kinds[o.kind]++
		if o.status >= 500 {
			t.Errorf("request %d (%s) answered %d:\n%.300q", i, o.kind, o.status, reqs[i].raw)
		}
		if o.err != nil {
			t.Errorf("request %d (%s): %v", i, o.kind, o.err)
		}
	}
	t.Logf("%d hostile requests by kind %v, by status %v (0 = closed without answer)", len(reqs), kinds, byStatus)
	if len(reqs) < 1000 || len(kinds) < 8 {
		t.Errorf("generated %d requests of %d kinds; want ≥ 1000 of every kind", len(reqs), len(kinds))
	}
	trap.mu.Lock()
	for _, r := range trap.recs {
		if strings.Contains(strings.ToLower(r), "panic") || strings.Contains(r, "request failed") {
			t.Errorf("logged: %.300s", r)
		}
	}
	trap.mu.Unlock()

	// The server still answers.
	res, err := http.Get("http://" + addr + "/api/v1/search?q=Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("search after the replay: %d", res.StatusCode)
	}
}

// sendRaw writes r on a new connection and reads one answer. A server that
// closes the connection without answering gives status 0 (net/http does
// so for some malformed requests). The deadline is only a hang guard.
func sendRaw(addr string, r hostileRequest) (int, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	go func() { c.Write(r.raw) }() // the server may answer (413, 431) before reading it all
	res, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: r.method})
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, fmt.Errorf("no answer before the hang guard: %w", err)
		}
		return 0, nil
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 4<<20))
	res.Body.Close()
	return res.StatusCode, nil
}

var (
	hostilePaths = []string{
		"/", "/api/v1/search", "/api/v1/suggest", "/api/v1/facets", "/api/v1/practices/x", "/p/x", "/admin",
		"/healthz", "/readyz", "/widget.js", "/static/style.css", "/api/v1/admin/crawls", "/api/v1/admin/sources",
		"/api/v1/admin/crawls/j1", "/api/v1/admin/crawls/j1/events",
	}
	hostileMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND",
		"MKCOL", "FOO", "get", "G-E-T", "SEARCH", "PURGE", "CONNECT"}
	hostileParams = []string{"q", "lang", "city", "country", "theme", "network", "year_from", "year_to", "page", "size",
		"sort", "ui", "token", "access_token", "callback", "q[]", "__proto__", "", "%00", "%FF"}
	absurdValues = []string{"0", "-1", "1e9", "99999999999999999999999", "NaN", "0x10", " 5", "+7", "1.5", "∞", "１０",
		"%00", "%FF%FE", "%C0%80", "%ED%A0%80", "%E2%80%AE", "%ZZ", "%", "%%", "%u0041", "a;b", "%3Cscript%3E", "*", "%2F.*%2F",
		"a~99", "title_en%3Ax", "((((", "%22", "-", "..%2F..%2Fetc%2Fpasswd", "javascript%3Aalert(1)", "relevance", "newest",
		"en", "fr", "de", "xx", "Lisbon", "Wohnen", "refugees"}
	traversals = []string{"/static/../server.go", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fgo.mod",
		"/static/..%5c..%5cwindows%5cwin.ini", "/p/..%2F..%2Fetc%2Fpasswd", "/api/v1/practices/%2e%2e", "/api/v1/practices/..%00",
		"//etc/passwd", "/./admin", "/widget.js/../api/v1/admin/sources", "/static//static/style.css", "/static/%00",
		"/api/v1/practices/" + strings.Repeat("..%2F", 500), "/static/" + strings.Repeat("a/", 2000)}
	unknownRoutes = []string{"/api/v2/search", "/api/v1/search/extra", "/.env", "/wp-admin/", "/.git/config", "/api",
		"/api/v1", "/api/v1/admin", "/api/v1/admin/", "/server-status", "/p/", "/p", "/static", "/favicon.ico", "/%ff%fe",
		"/api/v1/practices", "/metrics", "/" + strings.Repeat("x", 7000)}
	badJSON = []string{"{", "[]", "null", "true", `{"sources": 5}`, `{"sources": [1, 2]}`, `{"full": "yes"}`, `{"source": ["icc"]}`,
		`{} {}`, `{"sources": ["icc"]} trailing`, strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "\xff\xfe{}",
		`{"sources": ["` + strings.Repeat("a", 100<<10) + `"]}`, `{"sources": ["\u0000"]}`, `{"__proto__": {}}`, "",
		`{"sources": ["nope", "../../etc"]}`, `{"full": true, "sources": []}`, `{"url": "http://127.0.0.1:22/"}`}
)

// generateHostile returns n requests spread over the hostile kinds.
func generateHostile(rng *rand.Rand, n int) []hostileRequest {
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	kinds := []func() hostileRequest{
		func() hostileRequest { // odd methods on real routes
			m := pick(hostileMethods)
			path := pick(hostilePaths)
			if m == "CONNECT" && rng.IntN(2) == 0 {
				path = "127.0.0.1:22"
			}
			return hostileRequest{"method", m, build(m, path, nil, nil)}
		},
		func() hostileRequest { // huge, absurd and repeated parameters
			var q []string
			for range 1 + rng.IntN(8) {
				name, val := pick(hostileParams), pick(absurdValues)
				switch rng.IntN(6) {
				case 0:
					val = strings.Repeat(string(rune('a'+rng.IntN(26))), rng.IntN(9000))
				case 1:
					val = strings.Repeat("w+", rng.IntN(3000))
				}
				reps := 1
				if rng.IntN(4) == 0 {
					reps = 1 + rng.IntN(3000)
				}
				for range reps {
					q = append(q, name+"="+val)
				}
			}
			return hostileRequest{"params", "GET", build("GET", pick(hostilePaths[:6])+"?"+strings.Join(q, "&"), nil, nil)}
		},
		func() hostileRequest { // invalid UTF-8 and %-encoding, raw bytes in the target
			target := pick(hostilePaths[:6]) + "?q=" + pick([]string{"%FF", "%C3", "%C3%28", "%E2%82", "%F0%9F%98", "%ZZ", "%", "%%%",
				"\xff\xfe", "caf\xe9", "a\x7fb", "%00a", "%F4%90%80%80", "%EF%BF%BF", "%C0%AF"})
			if rng.IntN(3) == 0 {
				target = "/p/" + pick([]string{"%FF", "\xc3\x28", "%C0%AF", "%ZZ", "%2", "a%00"})
			}
			return hostileRequest{"encoding", "GET", build("GET", target, nil, nil)}
		},
		func() hostileRequest { // header floods and hostile header values
			h := []string{}
			switch rng.IntN(7) {
			case 0:
				for i := range 1000 + rng.IntN(9000) {
					h = append(h, "X-F"+strconv.Itoa(i)+": y")
				}
			case 1:
				h = append(h, "X-Big: "+strings.Repeat("a", 10<<10+rng.IntN(120<<10)))
			case 2:
				for range 200 {
					h = append(h, "Accept-Language: "+strings.Repeat("de;q=0.9, ", 20))
				}
			case 3:
				h = append(h, "X-Forwarded-For: "+strings.Repeat("1.2.3.4, ", 1000), "X-Real-IP: ::::")
			case 4:
				h = append(h, "Origin: javascript:alert(1)", "Access-Control-Request-Method: DELETE", "Authorization: Bearer "+strings.Repeat("t", 5000))
			case 5:
				h = append(h, "Bad Header: x", "\x00: y", "Accept-Language: \xff\xfe", "If-None-Match: "+strings.Repeat(`"x", `, 2000))
			default:
				h = append(h, "Range: bytes=0-1,2-3,"+strings.Repeat("5-6,", 2000), "Accept-Encoding: "+strings.Repeat("gzip;q=0.1, ", 500))
			}
			return hostileRequest{"headers", "GET", build("GET", pick(hostilePaths), h, nil)}
		},
		func() hostileRequest { // oversize, lying and broken bodies
			m := pick([]string{"POST", "PUT", "GET", "PATCH"})
			path := pick(hostilePaths)
			switch rng.IntN(4) {
			case 0:
				return hostileRequest{"body", m, build(m, path, nil, []byte(strings.Repeat("x", server.MaxBody+1+rng.IntN(1<<20))))}
			case 1: // declares more than it sends, then closes its side
				raw := build(m, path, []string{"Content-Length: 100000"}, nil)
				return hostileRequest{"body", m, append(raw, "short"...)}
			case 2: // broken chunked encoding
				raw := []byte(m + " " + path + " HTTP/1.1\r\nHost: casebook.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nxx\r\n")
				return hostileRequest{"body", m, raw}
			default: // chunked, over the limit
				var b strings.Builder
				fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: casebook.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", m, path)
				for range 20 {
					fmt.Fprintf(&b, "%x\r\n%s\r\n", 64<<10, strings.Repeat("{", 64<<10))
				}
				b.WriteString("0\r\n\r\n")
				return hostileRequest{"body", m, []byte(b.String())}
			}
		},
		func() hostileRequest { // path traversal
			return hostileRequest{"traversal", "GET", build("GET", pick(traversals), nil, nil)}
		},
		func() hostileRequest { // bad JSON on the admin API, with and without the token
			auth := pick([]string{"", "Authorization: Bearer " + adminToken, "Authorization: Bearer wrong", "Authorization: Basic " + adminToken,
				"Authorization: Bearer", "Authorization: bearer " + adminToken + " extra"})
			var h []string
			if auth != "" {
				h = append(h, auth)
			}
			h = append(h, pick([]string{"Content-Type: application/json", "Content-Type: text/plain", "Content-Type: application/json; charset=latin1"}))
			path := pick([]string{"/api/v1/admin/crawls", "/api/v1/admin/crawls?token=" + adminToken, "/api/v1/admin/crawls/" + pick(absurdValues),
				"/api/v1/admin/sources", "/api/v1/admin/crawls/%2e%2e/events"})
			m := pick([]string{"POST", "POST", "POST", "DELETE", "GET", "PUT"})
			return hostileRequest{"admin", m, build(m, path, h, []byte(pick(badJSON)))}
		},
		func() hostileRequest { // unknown routes
			m := pick([]string{"GET", "POST", "HEAD"})
			return hostileRequest{"unknown", m, build(m, pick(unknownRoutes), nil, nil)}
		},
	}
	out := make([]hostileRequest, 0, n)
	for i := range n {
		out = append(out, kinds[i%len(kinds)]())
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// build writes an HTTP/1.1 request by hand, so nothing is cleaned up on
// the way: the target, header lines and body go out as given.
func build(method, target string, headers []string, body []byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: casebook.test\r\nConnection: close\r\n", method, target)
	if !slices.ContainsFunc(headers, func(h string) bool { return strings.HasPrefix(h, "X-Forwarded-For") }) {
		fmt.Fprintf(&b, "X-Forwarded-For: 203.0.113.%d\r\n", len(target)%250)
	}
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	if body != nil && !slices.ContainsFunc(headers, func(h string) bool { return strings.HasPrefix(h, "Content-Length") }) {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	return append([]byte(b.String()), body...)
}
