package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

var handler http.Handler

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "server-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ix, err := searchtest.Build(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer ix.Close()
	s, err := server.New(server.Config{
		Engine:         search.New(ix),
		AllowedOrigins: []string{"https://city.example"},
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		Version:        "test",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	handler = s.Handler()
	return m.Run()
}

// get requests target from the handler with optional header pairs.
func get(t *testing.T, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://casebook.test"+target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return v
}

type errorBody struct {
	Error struct{ Code, Message, Param string } `json:"error"`
}

func TestAPISearch(t *testing.T) {
	rec := get(t, "/api/v1/search?q=Wohnen&ui=de")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"query", "total", "page", "size", "took_ms", "hits", "facets"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	var facets map[string][]json.RawMessage
	json.Unmarshal(raw["facets"], &facets)
	for _, f := range []string{"city", "country", "theme", "lang", "year", "network"} {
		if facets[f] == nil {
			t.Errorf("facets.%s missing or null", f)
		}
	}
	res := decode[search.Result](t, rec)
	// Three practices say "Wohnen" or are tagged housing; the lexicon adds
	// those that speak of housing in other words (Unterkunft, logement).
	if res.Query != "Wohnen" || res.Total < 3 || len(res.Hits) != int(res.Total) || res.Size != 10 || res.Page != 1 {
		t.Errorf("Wohnen: query %q total %d hits %d", res.Query, res.Total, len(res.Hits))
	}
	if res.Hits[0].Lang != "de" {
		t.Errorf("first hit for Wohnen in ui=de is %s %q; want the German practice", res.Hits[0].Lang, res.Hits[0].Title)
	}
	var hits []map[string]json.RawMessage
	json.Unmarshal(raw["hits"], &hits)
	for _, k := range []string{"id", "url", "title", "title_html", "snippet_html", "summary", "cities", "country", "lang", "year", "network", "source", "themes", "translations", "score"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("hit lacks %q", k)
		}
	}

	// facets= names the facets to count: the others are left out.
	var some struct {
		Facets map[string][]json.RawMessage `json:"facets"`
	}
	if err := json.Unmarshal(get(t, "/api/v1/search?q=Wohnen&ui=de&facets=lang,city").Body.Bytes(), &some); err != nil {
		t.Fatal(err)
	}
	same := func(f string) bool {
		a, _ := json.Marshal(some.Facets[f])
		b, _ := json.Marshal(facets[f])
		return string(a) == string(b)
	}
	if len(some.Facets) != 2 || !same("lang") || !same("city") {
		t.Errorf("facets=lang,city: %d facets %v; want lang and city as in the full answer", len(some.Facets), some.Facets)
	}

	// Filters: OR within one parameter, AND across.
	for _, test := range []struct {
		query string
		total uint64
	}{
		{"lang=fr", 6}, {"lang=fr&lang=de", 10}, {"lang=fr&theme=Logement", 2}, {"city=Lissabon&city=Montr%C3%A9al&ui=fr", 2},
		{"year_from=2016", 7}, {"network=Cities+of+Migration&lang=fr", 3}, {"country=BE&country=AT", 2},
	} {
		if res := decode[search.Result](t, get(t, "/api/v1/search?"+test.query)); res.Total != test.total {
			t.Errorf("%s: total %d; want %d", test.query, res.Total, test.total)
		}
	}
}

func TestAPISearchBadParameters(t *testing.T) {
	for _, test := range []struct{ query, param string }{
		{"size=0", "size"}, {"size=101", "size"}, {"size=-1", "size"}, {"size=abc", "size"}, {"size=1e9", "size"},
		{"page=0", "page"}, {"page=1000000000", "page"}, {"page=200&size=100", "page"},
		{"year_from=2020&year_to=2000", "year_from"}, {"sort=x", "sort"}, {"ui=xx", "ui"},
		{"theme=nonsense", "theme"}, {strings.Repeat("city=x&", 60), "city"},
		{"facets=cities", "facets"}, {"facets=city,none", "facets"}, {"facets=", "facets"},
	} {
		rec := get(t, "/api/v1/search?"+test.query)
		body := decode[errorBody](t, rec)
		if rec.Code != http.StatusBadRequest || body.Error.Code != "invalid_parameter" || !strings.Contains(body.Error.Message, test.param) {
			t.Errorf("%.40s: %d %+v; want 400 invalid_parameter naming %s", test.query, rec.Code, body.Error, test.param)
		}
	}
	// A 16 KB URL is refused before any work: 400 naming q when q is what
	// is too long, 414 otherwise.
	rec := get(t, "/api/v1/search?q="+strings.Repeat("a", 16<<10))
	if e := decode[errorBody](t, rec).Error; rec.Code != http.StatusBadRequest || e.Param != "q" || !strings.Contains(e.Message, "512") {
		t.Errorf("16 KB q: %d %s; want 400 naming q and its limit", rec.Code, rec.Body.String())
	}
	rec = get(t, "/api/v1/search?q=a&x="+strings.Repeat("a", 16<<10))
	if rec.Code != http.StatusRequestURITooLong || decode[errorBody](t, rec).Error.Code != "uri_too_long" {
		t.Errorf("16 KB URL: %d %s; want 414 uri_too_long", rec.Code, rec.Body.String())
	}
}

func TestAPISearchOddQueries(t *testing.T) {
	for _, q := range []string{`"`, `"unclosed`, `a:b`, `title_en:x`, `*`, `*a*`, `/.*/`, `a~99`, `((((`, `%00`, `%FF%FE`,
		`%E2%80%AE`, `-`, `--`, `+-&&||!`, url.QueryEscape(strings.Repeat("refugees ", 800)), url.QueryEscape(strings.Repeat("x", 7000))} {
		rec := get(t, "/api/v1/search?q="+q)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Errorf("q=%.40s: status %d %s", q, rec.Code, rec.Body.String())
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Errorf("q=%.40s: invalid JSON", q)
		}
	}
}

func TestAPIPracticeAndFacets(t *testing.T) {
	id := searchtest.ID(searchtest.URL("fr", "montreal-mediation"))
	rec := get(t, "/api/v1/practices/"+id)
	p := decode[map[string]any](t, rec)
	if rec.Code != http.StatusOK || p["id"] != id || p["country"] != "CA" {
		t.Errorf("practice: %d %v", rec.Code, p)
	}
	if rec := get(t, "/api/v1/practices/"+strings.Repeat("a", 10<<10)); rec.Code != http.StatusRequestURITooLong {
		t.Errorf("10 KB id: %d; want 414", rec.Code)
	}
	for _, bad := range []string{"nope", "..%2F", "..%2F..%2Fetc", "%00", strings.Repeat("a", 2<<10), "a%20b", "", "%3Cscript%3E"} {
		rec := get(t, "/api/v1/practices/"+bad)
		if rec.Code != http.StatusNotFound || decode[errorBody](t, rec).Error.Code != "not_found" {
			t.Errorf("practice %.20q: %d %s; want 404 not_found", bad, rec.Code, rec.Body.String())
		}
	}
	f := decode[map[string][]search.FacetValue](t, get(t, "/api/v1/facets?ui=de"))
	if len(f) != 6 || len(f["city"]) == 0 {
		t.Errorf("facets: %v", f)
	}
	for _, v := range f["city"] {
		if v.Value == "Lisbon" && v.Label != "Lissabon" {
			t.Errorf("Lisbon labelled %q in German", v.Label)
		}
	}
	if rec := get(t, "/api/v1/facets?ui=xx"); rec.Code != http.StatusBadRequest {
		t.Errorf("facets ui=xx: %d", rec.Code)
	}
	sug := decode[struct{ Suggestions []search.Suggestion }](t, get(t, "/api/v1/suggest?q=lisb&ui=fr"))
	if len(sug.Suggestions) == 0 || sug.Suggestions[0] != (search.Suggestion{Text: "Lisbonne", Kind: "city"}) {
		t.Errorf("suggest lisb: %v", sug)
	}
}

func TestHealthAndErrors(t *testing.T) {
	if rec := get(t, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("healthz %d", rec.Code)
	}
	rec := get(t, "/readyz")
	if rec.Code != http.StatusOK || decode[map[string]any](t, rec)["documents"] != float64(21) {
		t.Errorf("readyz %d %s", rec.Code, rec.Body.String())
	}
	if rec := get(t, "/api/v1/nothing"); rec.Code != http.StatusNotFound || decode[errorBody](t, rec).Error.Code != "not_found" {
		t.Errorf("unknown API route: %d %s", rec.Code, rec.Body.String())
	}
	if rec := get(t, "/nothing"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("unknown page: %d", rec.Code)
	}
}

func TestHeadersAndCORS(t *testing.T) {
	rec := get(t, "/api/v1/search", "Origin", "https://city.example")
	h := rec.Header()
	if h.Get("Access-Control-Allow-Origin") != "https://city.example" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		t.Errorf("allowed origin: ACAO %q, Vary %q", h.Get("Access-Control-Allow-Origin"), h.Values("Vary"))
	}
	if h.Get("Access-Control-Allow-Credentials") != "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", h)
	}
	if rec := get(t, "/api/v1/search", "Origin", "https://evil.example"); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin got ACAO %q", rec.Header().Get("Access-Control-Allow-Origin"))
	}
	req := httptest.NewRequest(http.MethodOptions, "/api/v1/search", nil)
	req.Header.Set("Origin", "https://city.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	pre := httptest.NewRecorder()
	handler.ServeHTTP(pre, req)
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	if csp := get(t, "/").Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("page CSP %q", csp)
	}

	// "*" gives a literal "*".
	ix := searchtest.Index(t)
	s, err := server.New(server.Config{Engine: search.New(ix), AllowedOrigins: []string{"*"}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/api/v1/facets", nil)
	r.Header.Set("Origin", "https://anyone.example")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	if w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf(`"*": ACAO %q`, w.Header().Get("Access-Control-Allow-Origin"))
	}
}

func TestServeShutsDown(t *testing.T) {
	ix := searchtest.Index(t)
	s, err := server.New(server.Config{Engine: search.New(ix), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/api/v1/search?q=Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("over TCP: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
}
