package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// TestQueryStringChecks: a query string that is not valid URL encoding or
// not UTF-8 is refused with 400 on every route, in the JSON error shape
// under /api and as an HTML page elsewhere; parameters are never dropped
// silently.
func TestQueryStringChecks(t *testing.T) {
	id := searchtest.ID(searchtest.URL("fr", "montreal-mediation"))
	for _, path := range []string{"/api/v1/search", "/api/v1/suggest", "/api/v1/facets", "/api/v1/practices/" + id, "/", "/p/" + id} {
		for _, query := range []string{
			"q=%ZZ", "q=%", "q=a%2", "q=a;b", "city=%FF", "q=caf%E9", "%FF=1", "q=%C0%80", "ui=en&city=%ED%A0%80",
		} {
			rec := get(t, path+"?"+query)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s?%s: status %d; want 400", path, query, rec.Code)
				continue
			}
			if strings.HasPrefix(path, "/api/") {
				if e := decode[errorBody](t, rec).Error; e.Code != "invalid_parameter" || e.Message == "" {
					t.Errorf("%s?%s: error %+v; want invalid_parameter with a message", path, query, e)
				}
			} else if !strings.Contains(rec.Body.String(), "<html") {
				t.Errorf("%s?%s: not an HTML page", path, query)
			}
		}
	}
	// Valid escapes still work.
	if rec := get(t, "/api/v1/search?q=Montr%C3%A9al&city=Montr%C3%A9al"); rec.Code != http.StatusOK {
		t.Errorf("valid escapes: %d %s", rec.Code, rec.Body.String())
	}
}

// TestExpensiveQueries: Bleve syntax, wildcards, regular expressions,
// fuzzy operators and floods of words are read as plain words or refused
// with 400 naming q; each is answered (the test's deadline is only a hang
// guard), and 50 at once do not stop an ordinary search.
func TestExpensiveQueries(t *testing.T) {
	words := func(n int, w string) string { return url.QueryEscape(strings.Repeat(w+" ", n)) }
	for _, test := range []struct {
		q    string
		want int
	}{
		{"*", 200}, {"*a*", 200}, {"%2F.*%2F", 200}, {"a~99", 200}, {"a~2+b~2+c~2", 200}, {"title_en%3A*", 200},
		{"%2Blang%3Afr+AND+city%3ALisbon", 200}, {"((((", 200}, {"_id%3A*", 200}, {"a*+b*+c*+d*+e*", 200},
		{words(search.MaxTerms, "e*"), 200},
		{words(search.MaxTerms+1, "w"), 400},
		{words(5000, "w"), 400},
		{words(5000, "housing"), 400},
		{url.QueryEscape(strings.Repeat("x", 50<<10)), 400},
	} {
		rec := get(t, "/api/v1/search?q="+test.q)
		if rec.Code != test.want {
			t.Errorf("q=%.40s: %d %.200s; want %d", test.q, rec.Code, rec.Body.String(), test.want)
			continue
		}
		if test.want == 400 {
			if e := decode[errorBody](t, rec).Error; e.Param != "q" || e.Code != "invalid_parameter" {
				t.Errorf("q=%.40s: error %+v; want invalid_parameter naming q", test.q, e)
			}
		}
	}
	// Any page of * is the whole index, as words: nothing expands.
	all := decode[search.Result](t, get(t, "/api/v1/search")).Total
	if res := decode[search.Result](t, get(t, "/api/v1/search?q=*")); res.Total != all {
		t.Errorf("q=*: total %d; want every practice (%d), browsed", res.Total, all)
	}

	var wg sync.WaitGroup
	codes := make(chan int, 50)
	for i := range 50 {
		wg.Go(func() {
			q := []string{"a~2+e~2+i~2+o~2+u~2", "%2F.*%2F", "*a*+*e*", words(search.MaxTerms, "e~2")}[i%4]
			codes <- get(t, "/api/v1/search?q="+q+"&size=100&sort=newest").Code
		})
	}
	if rec := get(t, "/api/v1/search?q=Lisbon"); rec.Code != http.StatusOK || decode[search.Result](t, rec).Total == 0 {
		t.Errorf("ordinary search beside 50 expensive ones: %d", rec.Code)
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK && c != http.StatusBadRequest {
			t.Errorf("parallel expensive query: status %d", c)
		}
	}
}

// TestBodyLimits: a body over server.MaxBody is refused with 413 on any
// route before a handler reads it.
func TestBodyLimits(t *testing.T) {
	for _, test := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/search?q=x"},
		{http.MethodPost, "/api/v1/search"},
		{http.MethodPut, "/"},
		{http.MethodPost, "/api/v1/admin/crawls"},
	} {
		req := httptest.NewRequest(test.method, test.path, strings.NewReader(strings.Repeat("x", server.MaxBody+1)))
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s %s with %d bytes: %d; want 413", test.method, test.path, server.MaxBody+1, rec.Code)
		}
	}
	// A small body on a GET route is ignored.
	req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=Lisbon", strings.NewReader("{}"))
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("GET with a small body: %d", rec.Code)
	}
}

// serveTCP runs a Server with cfg on a loopback listener until the test
// ends and returns its address.
func serveTCP(t testing.TB, cfg server.Config) string {
	t.Helper()
	if cfg.Engine == nil {
		cfg.Engine = search.New(searchtest.Index(t))
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// closedByServer reports whether the server closes conn (EOF or reset)
// before the hang guard runs out, discarding anything it sends first.
func closedByServer(conn net.Conn) bool {
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestTimeouts: slow-header connections (slowloris) and idle keep-alive
// connections are closed by the server while other clients are served.
// The timeouts are shortened through Config.Timeouts; the defaults are
// the exported constants.
func TestTimeouts(t *testing.T) {
	addr := serveTCP(t, server.Config{Timeouts: server.Timeouts{ReadHeader: 300 * time.Millisecond, Idle: 300 * time.Millisecond}})

	var slow []net.Conn
	for range 50 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "GET /api/v1/search?q=x HTTP/1.1\r\nHost: casebook.test\r\nX-Drip: "); err != nil {
			t.Fatal(err)
		}
		slow = append(slow, c)
	}
	res, err := http.Get("http://" + addr + "/api/v1/search?q=Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("search beside 50 slow-header connections: %d", res.StatusCode)
	}
	for i, c := range slow {
		if !closedByServer(c) {
			t.Fatalf("slow-header connection %d still open after the hang guard", i)
		}
	}

	// An idle keep-alive connection is closed after its answer.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: casebook.test\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("healthz on a keep-alive connection: %d close=%v", resp.StatusCode, resp.Close)
	}
	if !closedByServer(c) {
		t.Errorf("idle keep-alive connection still open after the hang guard")
	}
}

// TestHeaderLimits: headers over server.MaxHeaderBytes, as one huge header
// or a flood of small ones, get 431 and the connection is not kept.
func TestHeaderLimits(t *testing.T) {
	addr := serveTCP(t, server.Config{})
	for name, headers := range map[string]string{
		"one 100 KB header":   "X-Big: " + strings.Repeat("a", 100<<10) + "\r\n",
		"10,000 tiny headers": strings.Repeat("X-A: b\r\n", 10000),
		"a 100 KB cookie":     "Cookie: " + strings.Repeat("k=v; ", 20<<10) + "\r\n",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			fmt.Fprintf(c, "GET /api/v1/search?q=x HTTP/1.1\r\nHost: casebook.test\r\n%s\r\n", headers)
		}()
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			c.Close()
			continue
		}
		resp.Body.Close()
		c.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%s: %d; want 431", name, resp.StatusCode)
		}
	}
	// Headers within the limit are fine.
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/api/v1/search?q=x", nil)
	req.Header.Set("X-Fill", strings.Repeat("a", server.MaxHeaderBytes/2))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("32 KB header: %d", res.StatusCode)
	}
}

// TestSecurityHeaders: every kind of answer — API, error, page, asset,
// widget, admin, preflight, rate limit — carries nosniff, a
// Referrer-Policy and a CSP forbidding framing; HTML pages get a CSP with
// default-src 'none'.
func TestSecurityHeaders(t *testing.T) {
	limited := serveTCP(t, server.Config{RateLimit: &server.RateLimit{PerSecond: 0.001, Burst: 1}})
	http.Get("http://" + limited + "/api/v1/facets") // spend the burst
	id := searchtest.ID(searchtest.URL("fr", "montreal-mediation"))
	type answer struct {
		code   int
		header http.Header
	}
	viaHandler := func(method, target string, headers ...string) answer {
		req := httptest.NewRequest(method, target, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return answer{rec.Code, rec.Header()}
	}
	for _, test := range []struct {
		name string
		a    answer
		page bool
	}{
		{"search API", viaHandler("GET", "/api/v1/search?q=x"), false},
		{"bad parameter", viaHandler("GET", "/api/v1/search?size=0"), false},
		{"bad encoding", viaHandler("GET", "/api/v1/search?q=%ZZ"), false},
		{"practice", viaHandler("GET", "/api/v1/practices/"+id), false},
		{"unknown practice", viaHandler("GET", "/api/v1/practices/nope"), false},
		{"unknown API route", viaHandler("GET", "/api/v1/nothing"), false},
		{"facets", viaHandler("GET", "/api/v1/facets"), false},
		{"suggest", viaHandler("GET", "/api/v1/suggest?q=lis"), false},
		{"URI too long", viaHandler("GET", "/api/v1/search?x="+strings.Repeat("a", 9<<10)), false},
		{"odd method", viaHandler("PROPFIND", "/api/v1/search"), false},
		{"preflight", viaHandler("OPTIONS", "/api/v1/search", "Origin", "https://city.example", "Access-Control-Request-Method", "GET"), false},
		{"admin API disabled", viaHandler("GET", "/api/v1/admin/crawls"), false},
		{"healthz", viaHandler("GET", "/healthz"), false},
		{"readyz", viaHandler("GET", "/readyz"), false},
		{"search page", viaHandler("GET", "/?q=x"), true},
		{"search page, bad parameter", viaHandler("GET", "/?size=0"), true},
		{"practice page", viaHandler("GET", "/p/"+id), true},
		{"unknown page", viaHandler("GET", "/nothing"), true},
		{"admin page", viaHandler("GET", "/admin"), true},
		{"stylesheet", viaHandler("GET", "/static/style.css"), false},
		{"widget", viaHandler("GET", "/widget.js"), false},
		{"rate limited", func() answer {
			res, err := http.Get("http://" + limited + "/api/v1/search?q=x")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return answer{res.StatusCode, res.Header}
		}(), false},
	} {
		h := test.a.header
		csp := h.Get("Content-Security-Policy")
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s (%d): nosniff %q, Referrer-Policy %q, CSP %q", test.name, test.a.code,
				h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"), csp)
		}
		if test.page && (!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline")) {
			t.Errorf("%s: page CSP %q; want default-src 'none' and no unsafe-inline", test.name, csp)
		}
		if test.name == "rate limited" && test.a.code != http.StatusTooManyRequests {
			t.Errorf("rate limited: %d; want 429", test.a.code)
		}
	}
}

// FuzzSearchAPI sends any query string to the search API, the suggest API
// and the search page: the answer is 200, 400 or 414, never a 5xx, and the
// API answers JSON.
func FuzzSearchAPI(f *testing.F) {
	for _, s := range []string{"q=Wohnen&ui=de", "q=%FF", "q=%ZZ", "q=a;b", "size=0", "q=*&page=100&size=100",
		"q=%22a+b%22+-c+title_en%3Ax+a~99+%2F.*%2F", "city=%3Cscript%3E&theme=youth&theme=youth", "q=a&q=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.ContainsAny(raw, " #\x00\r\n\t") {
			t.Skip() // not a request target a client can send
		}
		for _, path := range []string{"/api/v1/search", "/api/v1/suggest", "/"} {
			req := httptest.NewRequest(http.MethodGet, "http://casebook.test"+path, nil)
			req.URL.RawQuery = raw
			req.RequestURI = path + "?" + raw
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusRequestURITooLong:
			default:
				t.Fatalf("%s?%q: status %d", path, raw, rec.Code)
			}
			if path != "/" && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s?%q: not JSON: %.200s", path, raw, rec.Body.String())
			}
		}
	})
}
