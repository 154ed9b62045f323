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
