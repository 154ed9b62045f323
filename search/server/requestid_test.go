package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// generatedID is the shape of an id the server makes up.
var generatedID = regexp.MustCompile(`^[A-Z2-7]{26}$`)

// TestRequestID: every answer carries X-Request-ID: the caller's when it
// is a sane id, a fresh one when there is none or it could forge a log
// line or a header.
func TestRequestID(t *testing.T) {
	h := newMetricsServer(t, server.Config{})
	for _, test := range []struct {
		name, in string
		keep     bool
	}{
		{"none", "", false},
		{"uuid", "3f2b8c1e-9d4a-4b7e-8f00-1c2d3e4f5a6b", true},
		{"load balancer", "Root=1-67891233-abcdef012345678912345678", true},
		{"base64 and trace:span", "dGVzdA==:span/01+x@lb.example", true},
		{"longest kept", strings.Repeat("a", server.MaxRequestID), true},
		{"too long", strings.Repeat("a", server.MaxRequestID+1), false},
		{"newline", "abc\nlevel=ERROR msg=forged", false},
		{"space", "abc def", false},
		{"quote", `abc"def`, false},
		{"markup", "<script>alert(1)</script>", false},
		{"non-ASCII", "réquête", false},
		{"control", "abc\x00", false},
	} {
		t.Run(test.name, func(t *testing.T) {
			rec := serve(h, http.MethodGet, "/healthz", server.RequestIDHeader, test.in)
			got := rec.Header().Get(server.RequestIDHeader)
			switch {
			case test.keep && got != test.in:
				t.Errorf("X-Request-ID %q echoed as %q; want it kept", test.in, got)
			case !test.keep && !generatedID.MatchString(got):
				t.Errorf("X-Request-ID %q answered with %q; want a fresh id", test.in, got)
			}
		})
	}
	a := serve(h, http.MethodGet, "/nope").Header().Get(server.RequestIDHeader)
	b := serve(h, http.MethodGet, "/nope").Header().Get(server.RequestIDHeader)
	if a == b || !generatedID.MatchString(a) {
		t.Errorf("two requests without an id got %q and %q; want two fresh ids, also on 404s", a, b)
	}
}

// logBuffer collects JSON log lines written concurrently.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines decodes every line, failing the test on one that is not JSON.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// TestLogLines: with a JSON logger, the access log line of a request and
// what a handler logs while answering it carry the request id the client
// got in X-Request-ID, and the route template.
func TestLogLines(t *testing.T) {
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	h := newMetricsServer(t, server.Config{Logger: log})

	rec := serve(h, http.MethodGet, "/api/v1/practices/unknown-id?secret=1", server.RequestIDHeader, "req-42")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET practice = %d", rec.Code)
	}
	rec = serve(h, http.MethodGet, "/api/v1/search?q=Lisbon")
	generated := rec.Header().Get(server.RequestIDHeader)

	// A closed index makes /readyz log a warning while answering.
	ix, err := searchtest.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	closed := newMetricsServer(t, server.Config{Engine: search.New(ix), Logger: log})
	ix.Close()
	if rec := serve(closed, http.MethodGet, "/readyz", server.RequestIDHeader, "ready-7"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz over a closed index = %d", rec.Code)
	}

	type line struct{ msg, route, path, id string }
	var got []line
	for _, m := range logs.lines(t) {
		s := func(k string) string { v, _ := m[k].(string); return v }
		if s("level") == "" || s("time") == "" {
			t.Errorf("log line %v without level or time", m)
		}
		got = append(got, line{s("msg"), s("route"), s("path"), s("request_id")})
	}
	for _, want := range []line{
		{"request", "/api/v1/practices/:id", "/api/v1/practices/unknown-id", "req-42"},
		{"request", "/api/v1/search", "/api/v1/search", generated},
		{"not ready", "", "", "ready-7"},
		{"request", "/readyz", "/readyz", "ready-7"},
	} {
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("no log line %+v in %+v", want, got)
		}
	}
	for _, g := range got {
		if strings.Contains(g.path, "secret") {
			t.Errorf("access log has the query string: %+v", g)
		}
	}
}
