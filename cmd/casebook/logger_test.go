package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLogFormat(t *testing.T) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	for _, test := range []struct {
		name   string
		w      io.Writer
		format string
		want   bool // JSON
	}{
		{"pipe or buffer", &bytes.Buffer{}, "", true},
		{"file that is no terminal", devnull, "", true},
		{"forced text", &bytes.Buffer{}, "text", false},
		{"forced json", devnull, " JSON ", true},
		{"unknown value: automatic", &bytes.Buffer{}, "yaml", true},
	} {
		if got := logJSON(test.w, test.format); got != test.want {
			t.Errorf("%s: logJSON(%q) = %v; want %v", test.name, test.format, got, test.want)
		}
	}
}

// TestServeLogsAndMetrics: `casebook serve` with stderr not a terminal
// (a container) logs JSON lines, one per request with its request id and
// route, and answers GET /metrics with the request counted.
func TestServeLogsAndMetrics(t *testing.T) {
	t.Setenv(logFormatEnv, "")
	cfg, _ := demoConfig(t)
	if code, _, stderr := runCmd(t, "crawl", "--config", cfg); code != 0 {
		t.Fatalf("crawl: %s", stderr)
	}
	base, stderr, wait := startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"api/v1/search?q=housing", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Request-ID", "e2e-search-1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("X-Request-ID") != "e2e-search-1" {
		t.Errorf("search = %d, X-Request-ID %q; want 200 and the id echoed", res.StatusCode, res.Header.Get("X-Request-ID"))
	}
	// The server counts a request after its answer is written: the client
	// may read the answer first, so ask /metrics until the count is there.
	var body []byte
	for deadline := time.Now().Add(5 * time.Second); ; {
		res, err = http.Get(base + "metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(body), `route="/api/v1/search"} 1`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`casebook_http_requests_total{code="200",method="GET",route="/api/v1/search"} 1`,
		`casebook_index_documents_per_source{source="icc"}`,
		`casebook_crawl_pages_total{outcome="added",source="icc"} 0`, // the crawl ran in another process
		`casebook_build_info{version=`,
	} {
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET /metrics = %d without %s", res.StatusCode, want)
		}
	}
	if code := wait(); code != 0 {
		t.Errorf("serve exited %d", code)
	}

	found := false
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("serve log line %q is not JSON: %v", sc.Text(), err)
			continue
		}
		if line["msg"] == "request" && line["request_id"] == "e2e-search-1" && line["route"] == "/api/v1/search" {
			found = true
		}
	}
	if !found {
		t.Errorf("no access log line with request_id e2e-search-1 in:\n%s", stderr.String())
	}
}
