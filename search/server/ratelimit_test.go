package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// The public API answers 429 with Retry-After once a client spent its
// burst; other clients, pages and health checks are not affected, and a
// forged X-Forwarded-For from an untrusted peer does not reset the budget.
func TestRateLimit(t *testing.T) {
	ix := searchtest.Index(t)
	s, err := server.New(server.Config{
		Engine:    search.New(ix),
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		RateLimit: &server.RateLimit{PerSecond: 0.5, Burst: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	do := func(path, peer, xff string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = peer + ":4000"
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := range 3 {
		if w := do("/api/v1/search?q=housing", "192.0.2.1", ""); w.Code != http.StatusOK {
			t.Fatalf("request %d within the burst = %d", i+1, w.Code)
		}
	}
	w := do("/api/v1/search?q=housing", "192.0.2.1", "")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("4th request = %d, want 429", w.Code)
	}
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Errorf("Retry-After = %q, want 1..2 s at 0.5 req/s", w.Header().Get("Retry-After"))
	}
	if body := w.Body.String(); !strings.Contains(body, `"code":"rate_limited"`) {
		t.Errorf("429 body = %s, want the JSON error shape", body)
	}
	for _, test := range []struct {
		name, path, peer, xff string
		want                  int
	}{
		{"spoofed X-Forwarded-For", "/api/v1/facets", "192.0.2.1", "203.0.113.9", http.StatusTooManyRequests},
		{"another client", "/api/v1/search?q=youth", "192.0.2.2", "", http.StatusOK},
		{"search page", "/", "192.0.2.1", "", http.StatusOK},
		{"health check", "/healthz", "192.0.2.1", "", http.StatusOK},
	} {
		if w := do(test.path, test.peer, test.xff); w.Code != test.want {
			t.Errorf("%s: %s = %d, want %d", test.name, test.path, w.Code, test.want)
		}
	}
}

// TestRateLimitTrustedProxies: behind a trusted proxy each forwarded client
// has its own budget; X-Forwarded-For from any other peer is ignored; and a
// trusted_proxies entry that is no address or range stops New.
func TestRateLimitTrustedProxies(t *testing.T) {
	ix := searchtest.Index(t)
	s, err := server.New(server.Config{
		Engine:         search.New(ix),
		Logger:         slog.New(slog.DiscardHandler),
		RateLimit:      &server.RateLimit{PerSecond: 0.001, Burst: 1},
		TrustedProxies: []string{"192.0.2.10", "198.51.100.0/24"},
	})
	if err != nil {
		t.Fatal(err)
	}
	do := func(peer, xff string) int {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/facets", nil)
		r.RemoteAddr = peer + ":4000"
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w.Code
	}
	for _, test := range []struct {
		name, peer, xff string
		want            int
	}{
		{"client A through the proxy", "192.0.2.10", "203.0.113.1", 200},
		{"client A again", "192.0.2.10", "203.0.113.1", 429},
		{"client B through the proxy", "192.0.2.10", "203.0.113.2", 200},
		{"client C through a proxy in the trusted range", "198.51.100.7", "203.0.113.3", 200},
		{"client C again, other proxy", "192.0.2.10", "203.0.113.3", 429},
		{"untrusted peer", "192.0.2.99", "203.0.113.4", 200},
		{"untrusted peer, forged new client", "192.0.2.99", "203.0.113.5", 429},
	} {
		if got := do(test.peer, test.xff); got != test.want {
			t.Errorf("%s (peer %s, X-Forwarded-For %s): %d; want %d", test.name, test.peer, test.xff, got, test.want)
		}
	}
	for _, bad := range []string{"not-an-address", "10.0.0.0/99", "*"} {
		if _, err := server.New(server.Config{Engine: search.New(ix), TrustedProxies: []string{bad}}); err == nil || !strings.Contains(err.Error(), "trusted_proxies") {
			t.Errorf("TrustedProxies %q: error %v; want one naming trusted_proxies", bad, err)
		}
	}
}
