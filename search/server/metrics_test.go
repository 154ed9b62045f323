package server_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// series is one scrape of /metrics: `name{label="value",...}` (labels
// sorted) → value; histograms give name_count and name_sum.
type series map[string]float64

// scrape reads GET /metrics from h the way Prometheus does.
func scrape(t *testing.T, h http.Handler, headers ...string) series {
	t.Helper()
	rec := serve(h, http.MethodGet, "/metrics", headers...)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("GET /metrics Content-Type = %q; want the text format", ct)
	}
	return parseMetrics(t, rec.Body)
}

// parseMetrics reads the Prometheus text format.
func parseMetrics(t *testing.T, r io.Reader) series {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	out := series{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(ls)
			key := func(n string) string {
				if len(ls) == 0 {
					return n
				}
				return n + "{" + strings.Join(ls, ",") + "}"
			}
			switch {
			case m.Counter != nil:
				out[key(name)] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				out[key(name)] = m.GetGauge().GetValue()
			case m.Histogram != nil:
				out[key(name+"_count")] = float64(m.GetHistogram().GetSampleCount())
				out[key(name+"_sum")] = m.GetHistogram().GetSampleSum()
			case m.Untyped != nil:
				out[key(name)] = m.GetUntyped().GetValue()
			}
		}
	}
	return out
}

// labelValues lists the values label takes in the series named name.
func (s series) labelValues(name, label string) []string {
	seen := map[string]bool{}
	for k := range s {
		n, rest, ok := strings.Cut(k, "{")
		if !ok || n != name {
			continue
		}
		for _, kv := range strings.Split(strings.TrimSuffix(rest, "}"), ",") {
			if v, ok := strings.CutPrefix(kv, label+"="); ok {
				seen[strings.Trim(v, `"`)] = true
			}
		}
	}
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func serve(h http.Handler, method, target string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://casebook.test"+target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func newMetricsServer(t *testing.T, cfg server.Config) http.Handler {
	t.Helper()
	if cfg.Engine == nil {
		cfg.Engine = search.New(searchtest.Index(t))
		cfg.Engine.Timeout = time.Minute // a busy machine must not turn a search into a 503
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

// TestMetricsAfterRequests: an operator scraping /metrics after a search,
// a page search, a bad request, an unknown practice and unknown paths
// sees each counted under its route template and status, timed, and the
// search engine timed.
func TestMetricsAfterRequests(t *testing.T) {
	h := newMetricsServer(t, server.Config{Version: "v9.9.9-test"})
	for _, r := range []struct {
		method, target string
		want           int
	}{
		{"GET", "/api/v1/search?q=housing", 200},
		{"GET", "/api/v1/search?q=housing&size=1000", 400},
		{"GET", "/api/v1/practices/no-such-practice", 404},
		{"GET", "/?q=Wohnen", 200},
		{"GET", "/wp-login.php", 404},
		{"FOO", "/api/v1/search", 404},
		{"GET", "/healthz", 200},
	} {
		if rec := serve(h, r.method, r.target); rec.Code != r.want {
			t.Fatalf("%s %s = %d; want %d", r.method, r.target, rec.Code, r.want)
		}
	}
	got := scrape(t, h)
	for key, want := range map[string]float64{
		`casebook_http_requests_total{code="200",method="GET",route="/api/v1/search"}`:             1,
		`casebook_http_requests_total{code="400",method="GET",route="/api/v1/search"}`:             1,
		`casebook_http_requests_total{code="404",method="GET",route="/api/v1/practices/:id"}`:      1,
		`casebook_http_requests_total{code="200",method="GET",route="/"}`:                          1,
		`casebook_http_requests_total{code="404",method="GET",route="unmatched"}`:                  1,
		`casebook_http_requests_total{code="404",method="other",route="unmatched"}`:                1,
		`casebook_http_requests_total{code="200",method="GET",route="/healthz"}`:                   1,
		`casebook_http_request_duration_seconds_count{method="GET",route="/api/v1/search"}`:        2,
		`casebook_http_request_duration_seconds_count{method="GET",route="/api/v1/practices/:id"}`: 1,
		`casebook_search_duration_seconds_count`:                                                   2, // API and page; the 400 never reaches the engine
		`casebook_build_info{version="v9.9.9-test"}`:                                               1,
		`casebook_http_requests_in_flight`:                                                         1, // the scrape itself
	} {
		if got[key] != want {
			t.Errorf("%s = %v; want %v", key, got[key], want)
		}
	}
	if got["casebook_search_duration_seconds_sum"] <= 0 {
		t.Errorf("casebook_search_duration_seconds_sum = %v; want the engine's time", got["casebook_search_duration_seconds_sum"])
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "promhttp_metric_handler_errors_total{cause=\"encoding\"}"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no %s: want the Go and process collectors on the server's registry", name)
		}
	}
	routes := got.labelValues("casebook_http_requests_total", "route")
	want := []string{"/", "/api/v1/practices/:id", "/api/v1/search", "/healthz", "unmatched"}
	if diff := cmp.Diff(want, routes); diff != "" {
		t.Errorf("route labels (-want +got):\n%s", diff)
	}
}

// TestMetricsBoundedLabels: scanners probing random paths, ids and methods
// add no series: label values stay the route templates.
func TestMetricsBoundedLabels(t *testing.T) {
	h := newMetricsServer(t, server.Config{})
	serve(h, "GET", "/api/v1/practices/warm-up")
	serve(h, "GET", "/nope")
	serve(h, "GET", "/metrics")
	before := scrape(t, h)
	for i := range 50 {
		serve(h, "GET", fmt.Sprintf("/probe-%d/admin.php?x=%d", i, i))
		serve(h, "GET", fmt.Sprintf("/api/v1/practices/id-%d", i))
		serve(h, fmt.Sprintf("M%d", i), fmt.Sprintf("/m/%d", i))
		serve(h, "GET", fmt.Sprintf("/static/%d.css", i))
	}
	after := scrape(t, h)
	for _, label := range []string{"route", "method", "code"} {
		b := before.labelValues("casebook_http_requests_total", label)
		a := after.labelValues("casebook_http_requests_total", label)
		switch label { // the first custom method and the first static file
		case "method":
			b = append(b, "other")
		case "route":
			b = append(b, "/static/*file")
		}
		slices.Sort(b)
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("%s label values after 200 probes (-before +after):\n%s", label, diff)
		}
	}
	if n := after[`casebook_http_requests_total{code="404",method="GET",route="/api/v1/practices/:id"}`]; n != 51 {
		t.Errorf("404s of /api/v1/practices/:id = %v; want 51 in one series", n)
	}
}

// TestMetricsDocuments: the document gauges agree with the index: in
// total, per source and per language.
func TestMetricsDocuments(t *testing.T) {
	ps, err := searchtest.Practices()
	if err != nil {
		t.Fatal(err)
	}
	want := series{"casebook_index_documents": float64(len(ps))}
	for _, p := range ps {
		want[fmt.Sprintf("casebook_index_documents_per_source{source=%q}", p.Source)]++
		want[fmt.Sprintf("casebook_index_documents_per_language{lang=%q}", p.Lang)]++
	}
	got := scrape(t, newMetricsServer(t, server.Config{}))
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v; want %v", k, got[k], v)
		}
	}
	if a, b := got.labelValues("casebook_index_documents_per_source", "source"), []string{"icc", "oive"}; !slices.Equal(a, b) {
		t.Errorf("sources %v; want %v", a, b)
	}
}

// TestMetricsToken: with a metrics token, /metrics wants it; without,
// /metrics is open (CONTRACT §5: GET /metrics).
func TestMetricsToken(t *testing.T) {
	h := newMetricsServer(t, server.Config{MetricsToken: "scrape-me"})
	for _, test := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Basic c2NyYXBlLW1l", http.StatusUnauthorized},
		{"Bearer scrape-me", http.StatusOK},
		{"bearer scrape-me", http.StatusOK},
	} {
		rec := serve(h, "GET", "/metrics", "Authorization", test.auth)
		if rec.Code != test.want {
			t.Errorf("GET /metrics with Authorization %q = %d; want %d", test.auth, rec.Code, test.want)
		}
		if rec.Code == http.StatusUnauthorized && strings.Contains(rec.Body.String(), "casebook_") {
			t.Errorf("401 leaks metrics: %s", rec.Body)
		}
	}
	if rec := serve(newMetricsServer(t, server.Config{}), "GET", "/metrics"); rec.Code != http.StatusOK {
		t.Errorf("GET /metrics without a configured token = %d; want 200", rec.Code)
	}
}
