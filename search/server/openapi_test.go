package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// apiContract is the served OpenAPI document, loaded and validated with
// kin-openapi, and the record of which operations answered what.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string][]int // "GET /api/v1/search" → statuses validated
}

var registerDecoders sync.Once

func loadContract(t *testing.T) *apiContract {
	t.Helper()
	// The text media types of pages, assets, metrics and the event stream
	// are read as plain strings.
	registerDecoders.Do(func() {
		for _, ct := range []string{"text/html", "text/css", "text/javascript", "text/event-stream", "application/openmetrics-text"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
		}
	})
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(server.OpenAPI())
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	// servers is [{"url": "/"}]: the API is wherever the document was
	// fetched from. kin-openapi matches servers against absolute URLs
	// only, so its router gets the paths alone.
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf("servers = %v; want the one relative server /", doc.Servers)
	}
	routed := *doc
	routed.Servers = nil
	r, err := legacy.NewRouter(&routed)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return &apiContract{doc: doc, router: r, seen: map[string][]int{}}
}

// call sends a request to the server at base and validates the request
// (when want is 2xx) and the answer against the document. headers are
// name, value pairs.
func (c *apiContract) call(t *testing.T, base, method, target, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, res, got := send(t, method, base+target, body, headers...)
	c.validate(t, method, target, []byte(body), req.Header, res, got)
	return res, got
}

// serve answers one request with h in process (for requests a client
// cannot send over a socket, such as a GET with a 2 MB body) and validates
// the answer.
func (c *apiContract) serve(t *testing.T, h http.Handler, method, target string, body []byte) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, "http://casebook.test"+target, bytes.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	c.validate(t, method, target, body, req.Header, res, rec.Body.Bytes())
	return res
}

func (c *apiContract) validate(t *testing.T, method, target string, reqBody []byte, reqHeader http.Header, res *http.Response, body []byte) {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse("http://casebook.test" + target)
	if err != nil {
		t.Fatal(err)
	}
	req := &http.Request{Method: method, URL: u, Header: reqHeader.Clone(), Body: io.NopCloser(bytes.NewReader(reqBody)), ContentLength: int64(len(reqBody))}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if len(reqBody) > 0 && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %.80s: no operation in openapi.json: %v", method, target, err)
		return
	}
	key := route.Method + " " + route.Path
	c.mu.Lock()
	c.seen[key] = append(c.seen[key], res.StatusCode)
	c.mu.Unlock()
	if route.Operation.Responses.Status(res.StatusCode) == nil {
		t.Errorf("%s %.80s: status %d is not documented for %s (body %.200s)", method, target, res.StatusCode, key, body)
		return
	}
	reqIn := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: bearerOnly},
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		// What the server accepts, the document must accept too.
		if err := openapi3filter.ValidateRequest(ctx, reqIn); err != nil {
			t.Errorf("%s %.80s answered %d but the document refuses the request: %v", method, target, res.StatusCode, err)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		t.Errorf("%s %.80s: %d answer does not match openapi.json: %v\nbody: %.300s", method, target, res.StatusCode, err, body)
	}
}

// bearerOnly accepts the admin operations' security requirement when the
// request carries a bearer token, as the server's adminAuth does.
func bearerOnly(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	if scheme, tok, ok := strings.Cut(auth, " "); !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return fmt.Errorf("no bearer token")
	}
	return nil
}

// operations lists every "METHOD /path" the document describes.
func (c *apiContract) operations() []string {
	var out []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	slices.Sort(out)
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	c := loadContract(t)
	if c.doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q; want 3.1.0", c.doc.OpenAPI)
	}
	ids := map[string]string{}
	for path, item := range c.doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s: operationId %q, summary %q; want both", key, op.OperationID, op.Summary)
			}
			if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %q used by %s and %s", op.OperationID, prev, key)
			}
			ids[op.OperationID] = key
			admin := strings.HasPrefix(path, "/api/v1/admin/")
			if got := requires(op, "adminToken"); got != admin {
				t.Errorf("%s: requires the admin token: %v; want %v", key, got, admin)
			}
			// Every answer of the JSON API to bad input is documented.
			if strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" {
				for _, st := range []int{400, 413, 414} {
					if op.Responses.Status(st) == nil {
						t.Errorf("%s: no %d answer documented", key, st)
					}
				}
			}
			if admin {
				for _, st := range []int{401, 403, 429} {
					if op.Responses.Status(st) == nil {
						t.Errorf("%s: no %d answer documented", key, st)
					}
				}
			}
		}
	}
	// The limits the server enforces are the limits the document states.
	params := c.doc.Components.Parameters
	for _, test := range []struct {
		param    string
		min, max float64
	}{
		{"size", 1, search.MaxSize}, {"page", 1, search.MaxWindow}, {"year_from", 0, search.MaxYear}, {"year_to", 0, search.MaxYear},
	} {
		s := params[test.param].Value.Schema.Value
		if s.Min == nil || *s.Min != test.min || s.Max == nil || *s.Max != test.max {
			t.Errorf("%s: documented range %v..%v; want %v..%v", test.param, s.Min, s.Max, test.min, test.max)
		}
	}
	if q := params["q"].Value.Schema.Value; q.MaxLength == nil || *q.MaxLength != search.MaxQueryRunes {
		t.Errorf("q: documented maxLength %v; want %d", q.MaxLength, search.MaxQueryRunes)
	}
	for _, f := range []string{"lang", "city", "country", "theme", "network"} {
		s := params[f].Value.Schema.Value
		if s.MaxItems == nil || *s.MaxItems != search.MaxValues || s.Items.Value.MaxLength == nil || *s.Items.Value.MaxLength != search.MaxValueLength {
			t.Errorf("%s: documented maxItems %v, maxLength %v; want %d values of %d bytes", f, s.MaxItems, s.Items.Value.MaxLength, search.MaxValues, search.MaxValueLength)
		}
	}
}

// requires reports whether every security alternative of op names scheme,
// so that no request passes without it.
func requires(op *openapi3.Operation, scheme string) bool {
	if op.Security == nil || len(*op.Security) == 0 {
		return false
	}
	for _, alt := range *op.Security {
		if _, ok := alt[scheme]; !ok {
			return false
		}
	}
	return true
}

// The route table and the document name the same operations.
func TestOpenAPIRoutes(t *testing.T) {
	c := loadContract(t)
	s, err := server.New(server.Config{Engine: search.New(searchtest.Index(t)), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)
	var routes []string
	for _, r := range server.Routes(s) {
		routes = append(routes, param.ReplaceAllString(r, "{$1}"))
	}
	slices.Sort(routes)
	ops := c.operations()
	for _, r := range routes {
		if !slices.Contains(ops, r) {
			t.Errorf("route %s is served but not described in openapi.json", r)
		}
	}
	for _, op := range ops {
		if !slices.Contains(routes, op) {
			t.Errorf("openapi.json describes %s, which no route serves", op)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	res := get(t, "/api/v1/openapi.json", "Origin", "https://city.example")
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /api/v1/openapi.json: %d %q", res.Code, res.Header().Get("Content-Type"))
	}
	if !bytes.Equal(res.Body.Bytes(), server.OpenAPI()) {
		t.Errorf("served document differs from the embedded one")
	}
	for _, h := range []struct{ name, want string }{
		{"X-Content-Type-Options", "nosniff"},
		{"X-Frame-Options", "DENY"},
		{"Access-Control-Allow-Origin", "https://city.example"},
		{"Cache-Control", server.OpenAPICacheControl},
	} {
		if got := res.Header().Get(h.name); got != h.want {
			t.Errorf("%s = %q; want %q", h.name, got, h.want)
		}
	}
	etag := res.Header().Get("ETag")
	if again := get(t, "/api/v1/openapi.json", "If-None-Match", etag); etag == "" || again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		t.Errorf("revalidation with ETag %q: %d, %d bytes; want 304 and no body", etag, again.Code, again.Body.Len())
	}
}

// Real answers of every endpoint, good and bad, match the document.
func TestOpenAPIResponses(t *testing.T) {
	c := loadContract(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	// The public API over the hand-written test index (TestMain's server).
	pub := httptest.NewServer(handler)
	t.Cleanup(pub.Close)
	id := searchtest.ID(searchtest.URL("fr", "montreal-mediation"))
	long := strings.Repeat("a", 513)
	for _, test := range []struct {
		target  string
		want    int
		headers []string
	}{
		{"/api/v1/search?q=Wohnen&ui=de", 200, []string{"Origin", "https://city.example"}},
		{"/api/v1/search", 200, nil},
		{"/api/v1/search?q=%22one-stop+shop%22+-Lisbon&lang=fr&lang=en&city=Lissabon&country=PT&theme=housing-urban&network=Intercultural+Cities&year_from=2000&year_to=2030&page=1&size=100&sort=newest&ui=fr", 200, nil},
		{"/api/v1/search?q=refugees&page=2&size=3&sort=oldest", 200, []string{"Accept-Language", "de-DE,de;q=0.9"}},
		{"/api/v1/search?size=0", 400, nil},
		{"/api/v1/search?size=101", 400, nil},
		{"/api/v1/search?page=200&size=100", 400, nil},
		{"/api/v1/search?q=a&q=b", 400, nil},
		{"/api/v1/search?sort=best", 400, nil},
		{"/api/v1/search?q=integration&facets=city,theme,lang", 200, nil},
		{"/api/v1/search?q=integration&country=DE&facets=country&facets=year", 200, nil},
		{"/api/v1/search?q=integration&facets=none", 200, nil},
		{"/api/v1/search?facets=cities", 400, nil},
		{"/api/v1/search?ui=xx", 400, nil},
		{"/api/v1/search?theme=nonsense", 400, nil},
		{"/api/v1/search?year_from=2020&year_to=2000", 400, nil},
		{"/api/v1/search?q=" + long, 400, nil},
		{"/api/v1/search?q=" + strings.Repeat("w+", 33), 400, nil},
		{"/api/v1/search?q=%zz", 400, nil},
		{"/api/v1/search?" + strings.Repeat("city=x&", 51), 400, nil},
		{"/api/v1/search?q=" + strings.Repeat("a", 16<<10), 400, nil},
		{"/api/v1/search?q=a&x=" + strings.Repeat("a", 16<<10), 414, nil},
		{"/api/v1/practices/" + id, 200, nil},
		{"/api/v1/practices/nope", 404, nil},
		{"/api/v1/practices/" + strings.Repeat("a", 10<<10), 414, nil},
		{"/api/v1/facets?ui=fr", 200, nil},
		{"/api/v1/facets", 200, []string{"Accept-Language", "fr"}},
		{"/api/v1/facets?ui=xx", 400, nil},
		{"/api/v1/suggest?q=lisb&ui=fr", 200, nil},
		{"/api/v1/suggest", 200, nil},
		{"/api/v1/suggest?q=" + long, 400, nil},
		{"/api/v1/suggest?ui=xx", 400, nil},
		{"/api/v1/openapi.json", 200, nil},
		{"/api/v1/openapi.json?x=%zz", 400, nil},
		{"/healthz", 200, nil},
		{"/healthz?%zz", 400, nil},
		{"/readyz", 200, nil},
		{"/metrics", 200, nil},
		{"/", 200, nil},
		{"/?q=Wohnen&lang=de&ui=de", 200, nil},
		{"/?size=0", 400, nil},
		{"/p/" + id, 200, nil},
		{"/p/nope", 404, nil},
		{"/admin", 200, nil},
		{"/admin?ui=fr", 200, nil},
		{"/static/style.css", 200, nil},
		{"/static/page.js", 200, nil},
		{"/static/admin.css", 200, nil},
		{"/static/admin.js", 200, nil},
		{"/static/nope.css", 404, nil},
		{"/widget.js", 200, nil},
		{"/widget.js", 200, []string{"Accept-Encoding", "identity"}},
	} {
		if res, body := c.call(t, pub.URL, http.MethodGet, test.target, "", test.headers...); res.StatusCode != test.want {
			t.Errorf("GET %.60s: %d (%.200s); want %d", test.target, res.StatusCode, body, test.want)
		}
	}
	res, _ := c.call(t, pub.URL, http.MethodGet, "/widget.js", "", "Accept-Encoding", "identity")
	if res, _ := c.call(t, pub.URL, http.MethodGet, "/widget.js", "", "Accept-Encoding", "identity", "If-None-Match", res.Header.Get("ETag")); res.StatusCode != 304 {
		t.Errorf("widget.js revalidation: %d; want 304", res.StatusCode)
	}
	res, _ = c.call(t, pub.URL, http.MethodGet, "/api/v1/openapi.json", "")
	if res, _ := c.call(t, pub.URL, http.MethodGet, "/api/v1/openapi.json", "", "If-None-Match", res.Header.Get("ETag")); res.StatusCode != 304 {
		t.Errorf("openapi.json revalidation: %d; want 304", res.StatusCode)
	}
	// A body over 1 MiB on any route.
	for _, target := range []string{"/api/v1/search?q=x", "/healthz", "/api/v1/admin/crawls"} {
		if res := c.serve(t, handler, http.MethodGet, target, bytes.Repeat([]byte("x"), server.MaxBody+1)); res.StatusCode != 413 {
			t.Errorf("GET %s with a 1 MiB body: %d; want 413", target, res.StatusCode)
		}
	}

	// 429 with Retry-After: a budget of one request.
	limited, err := server.New(server.Config{Engine: search.New(searchtest.Index(t)), Logger: quiet,
		RateLimit: &server.RateLimit{PerSecond: 0.001, Burst: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ls := httptest.NewServer(limited.Handler())
	t.Cleanup(ls.Close)
	for i, want := range []int{200, 429, 429} {
		target := []string{"/api/v1/search?q=x", "/api/v1/facets", "/api/v1/practices/" + id}[i]
		if res, body := c.call(t, ls.URL, http.MethodGet, target, ""); res.StatusCode != want {
			t.Errorf("rate limited GET %s: %d (%s); want %d", target, res.StatusCode, body, want)
		}
	}
	for _, target := range []string{"/api/v1/suggest?q=li", "/api/v1/openapi.json"} {
		if res, body := c.call(t, ls.URL, http.MethodGet, target, ""); res.StatusCode != 429 {
			t.Errorf("rate limited GET %s: %d (%s); want 429", target, res.StatusCode, body)
		}
	}

	// 503 from /readyz when the index is closed under the server.
	ix := searchtest.Index(t)
	down, err := server.New(server.Config{Engine: search.New(ix), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ds := httptest.NewServer(down.Handler())
	t.Cleanup(ds.Close)
	ix.Close()
	if res, body := c.call(t, ds.URL, http.MethodGet, "/readyz", ""); res.StatusCode != 503 {
		t.Errorf("readyz over a closed index: %d %s; want 503", res.StatusCode, body)
	}

	// /metrics behind a token: 401 with a challenge without it.
	metered, err := server.New(server.Config{Engine: search.New(searchtest.Index(t)), Logger: quiet, MetricsToken: "m3trics"})
	if err != nil {
		t.Fatal(err)
	}
	ms := httptest.NewServer(metered.Handler())
	t.Cleanup(ms.Close)
	for _, test := range []struct {
		headers []string
		want    int
	}{
		{nil, 401}, {[]string{"Authorization", "Bearer wrong"}, 401}, {[]string{"Authorization", "Bearer m3trics"}, 200},
	} {
		if res, body := c.call(t, ms.URL, http.MethodGet, "/metrics", "", test.headers...); res.StatusCode != test.want {
			t.Errorf("GET /metrics with %q: %d %.200s; want %d", test.headers, res.StatusCode, body, test.want)
		}
	}
	// The caller's request id comes back.
	if res, _ := c.call(t, pub.URL, http.MethodGet, "/api/v1/search?q=x", "", "X-Request-ID", "lb-7f3a:42"); res.Header.Get("X-Request-ID") != "lb-7f3a:42" {
		t.Errorf("X-Request-ID = %q; want the caller's lb-7f3a:42", res.Header.Get("X-Request-ID"))
	}

	// The admin API over the demo sites: a real crawl, then the public
	// API over what it indexed.
	f := newAdmFixture(t, adminToken)
	auth := []string{"Authorization", "Bearer " + adminToken}
	admin := func(method, target, body string, want int) []byte {
		t.Helper()
		res, got := c.call(t, f.url, method, target, body, auth...)
		if res.StatusCode != want {
			t.Errorf("%s %s: %d (%.300s); want %d", method, target, res.StatusCode, got, want)
		}
		return got
	}
	admin(http.MethodGet, "/api/v1/admin/crawls", "", 200)
	admin(http.MethodGet, "/api/v1/admin/sources", "", 200)
	job := jsonOf[jobJSON](t, admin(http.MethodPost, "/api/v1/admin/crawls", "", 202))
	events := admin(http.MethodGet, "/api/v1/admin/crawls/"+job.ID+"/events", "", 200)
	c.checkEvents(t, events)
	admin(http.MethodGet, "/api/v1/admin/crawls/"+job.ID, "", 200)
	admin(http.MethodGet, "/api/v1/admin/crawls", "", 200)
	admin(http.MethodGet, "/api/v1/admin/sources", "", 200)
	admin(http.MethodGet, "/api/v1/admin/crawls/nope", "", 404)
	admin(http.MethodGet, "/api/v1/admin/crawls/nope/events", "", 404)
	admin(http.MethodDelete, "/api/v1/admin/crawls/nope", "", 404)
	admin(http.MethodDelete, "/api/v1/admin/crawls/"+job.ID, "", 409)
	admin(http.MethodPost, "/api/v1/admin/crawls", "{sources: icc}", 400)
	admin(http.MethodPost, "/api/v1/admin/crawls", `{"sources": ["nowhere"]}`, 400)
	admin(http.MethodPost, "/api/v1/admin/crawls", `{"source": ["icc"]}`, 400)
	admin(http.MethodGet, "/api/v1/admin/sources?q=%zz", "", 400)
	admin(http.MethodPost, "/api/v1/admin/snapshots", `{"name": "nightly-1"}`, 201)
	admin(http.MethodPost, "/api/v1/admin/snapshots", `{"name": "nightly-1"}`, 409)
	admin(http.MethodPost, "/api/v1/admin/snapshots", `{"name": "../up"}`, 400)
	admin(http.MethodPost, "/api/v1/admin/snapshots", `{"dir": "/tmp"}`, 400)
	for _, target := range []string{"/api/v1/search?q=integration&ui=fr", "/api/v1/search?sort=newest&size=50", "/api/v1/facets?ui=de", "/api/v1/suggest?q=int"} {
		if res, body := c.call(t, f.url, http.MethodGet, target, ""); res.StatusCode != 200 {
			t.Errorf("GET %s after the crawl: %d %.200s", target, res.StatusCode, body)
		}
	}
	var hits struct {
		Hits []struct{ ID string }
	}
	_, body := c.call(t, f.url, http.MethodGet, "/api/v1/search?size=100", "")
	if err := json.Unmarshal(body, &hits); err != nil || len(hits.Hits) == 0 {
		t.Fatalf("search after the crawl: %v, %.200s", err, body)
	}
	for _, h := range hits.Hits {
		c.call(t, f.url, http.MethodGet, "/api/v1/practices/"+url.PathEscape(h.ID), "")
	}

	// A crawl held mid-way: 409 for a second one, 202 for the cancel.
	f.gate.ShutAfter(0)
	held := jsonOf[jobJSON](t, admin(http.MethodPost, "/api/v1/admin/crawls", `{"sources": ["icc"], "full": true}`, 202))
	<-f.gate.Blocked()
	admin(http.MethodPost, "/api/v1/admin/crawls", `{}`, 409)
	admin(http.MethodGet, "/api/v1/admin/crawls/"+held.ID, "", 200)
	admin(http.MethodDelete, "/api/v1/admin/crawls/"+held.ID, "", 202)
	if _, err := f.jobs.Wait(t.Context(), held.ID); err != nil {
		t.Fatal(err)
	}
	admin(http.MethodGet, "/api/v1/admin/crawls/"+held.ID, "", 200)
	admin(http.MethodGet, "/api/v1/admin/sources", "", 200)

	// Authentication: 401 with a challenge, 403 when disabled, 429 after
	// too many wrong tokens.
	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "Basic " + adminToken}} {
		for _, op := range [][2]string{{"GET", "/api/v1/admin/crawls"}, {"POST", "/api/v1/admin/crawls"}, {"GET", "/api/v1/admin/crawls/" + job.ID},
			{"DELETE", "/api/v1/admin/crawls/" + job.ID}, {"GET", "/api/v1/admin/crawls/" + job.ID + "/events"}, {"GET", "/api/v1/admin/sources"},
			{"POST", "/api/v1/admin/snapshots"}} {
			if res, body := c.call(t, f.url, op[0], op[1], "", h...); res.StatusCode != 401 {
				t.Errorf("%s %s with %q: %d %s; want 401", op[0], op[1], h, res.StatusCode, body)
			}
		}
	}
	if res, _ := c.call(t, f.url, http.MethodGet, "/api/v1/admin/sources?token="+adminToken, ""); res.StatusCode != 401 {
		t.Errorf("token in the URL: %d; want 401", res.StatusCode)
	}
	off := newAdmFixture(t, "")
	for _, op := range [][2]string{{"GET", "/api/v1/admin/crawls"}, {"POST", "/api/v1/admin/crawls"}, {"GET", "/api/v1/admin/crawls/x"},
		{"DELETE", "/api/v1/admin/crawls/x"}, {"GET", "/api/v1/admin/crawls/x/events"}, {"GET", "/api/v1/admin/sources"},
		{"POST", "/api/v1/admin/snapshots"}} {
		if res, body := c.call(t, off.url, op[0], op[1], "", auth...); res.StatusCode != 403 {
			t.Errorf("%s %s, admin disabled: %d %s; want 403", op[0], op[1], res.StatusCode, body)
		}
	}
	// 403 snapshots_disabled without a snapshot directory; 403 read_only
	// on a replica serving the snapshot taken above.
	noSnap := newAdmFixtureSnapshots(t, "", adminToken)
	if res, body := c.call(t, noSnap.url, http.MethodPost, "/api/v1/admin/snapshots", `{"name": "x"}`, auth...); res.StatusCode != 403 {
		t.Errorf("snapshots disabled: %d %s; want 403", res.StatusCode, body)
	}
	replica := serveReadOnly(t, filepath.Join(f.snapshots, "nightly-1"), adminToken)
	for _, op := range [][3]string{{"GET", "/api/v1/admin/crawls", ""}, {"POST", "/api/v1/admin/crawls", ""}, {"GET", "/api/v1/admin/crawls/x", ""},
		{"DELETE", "/api/v1/admin/crawls/x", ""}, {"GET", "/api/v1/admin/crawls/x/events", ""}, {"GET", "/api/v1/admin/sources", ""},
		{"POST", "/api/v1/admin/snapshots", `{"name": "x"}`}} {
		if res, body := c.call(t, replica, op[0], op[1], op[2], auth...); res.StatusCode != 403 {
			t.Errorf("%s %s on a replica: %d %s; want 403", op[0], op[1], res.StatusCode, body)
		}
	}
	for i := range server.MaxBadTokens {
		f.do(t, http.MethodGet, "/api/v1/admin/sources", "", "Authorization", fmt.Sprintf("Bearer guess%d", i))
	}
	for _, op := range [][2]string{{"GET", "/api/v1/admin/crawls"}, {"POST", "/api/v1/admin/crawls"}, {"GET", "/api/v1/admin/crawls/" + job.ID},
		{"DELETE", "/api/v1/admin/crawls/" + job.ID}, {"GET", "/api/v1/admin/crawls/" + job.ID + "/events"}, {"GET", "/api/v1/admin/sources"},
		{"POST", "/api/v1/admin/snapshots"}} {
		if res, body := c.call(t, f.url, op[0], op[1], "", auth...); res.StatusCode != 429 {
			t.Errorf("%s %s after %d wrong tokens: %d %s; want 429", op[0], op[1], server.MaxBadTokens, res.StatusCode, body)
		}
	}

	// Every operation of the document answered at least once with success.
	for _, op := range c.operations() {
		if !slices.ContainsFunc(c.seen[op], func(st int) bool { return st >= 200 && st < 300 }) {
			t.Errorf("%s: no successful answer validated (statuses seen: %v)", op, c.seen[op])
		}
	}
}

// checkEvents validates each event of an admin event stream: its name,
// its id and its data against the Job schema, the last one being "done".
func (c *apiContract) checkEvents(t *testing.T, stream []byte) {
	t.Helper()
	jobSchema := c.doc.Components.Schemas["Job"].Value
	var last string
	for _, block := range strings.Split(strings.TrimSuffix(string(stream), "\n\n"), "\n\n") {
		if strings.HasPrefix(block, ":") {
			continue // heartbeat comment
		}
		lines := strings.Split(block, "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "event: ") || !strings.HasPrefix(lines[1], "id: ") || !strings.HasPrefix(lines[2], "data: ") {
			t.Errorf("event %q; want event, id and data lines", block)
			continue
		}
		last = strings.TrimPrefix(lines[0], "event: ")
		var v any
		if err := json.Unmarshal([]byte(strings.TrimPrefix(lines[2], "data: ")), &v); err != nil {
			t.Errorf("event data %q: %v", lines[2], err)
			continue
		}
		if err := jobSchema.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
			t.Errorf("%s event data does not match the Job schema: %v", last, err)
		}
	}
	if last != "done" {
		t.Errorf("event stream ended with %q; want done", last)
	}
}
