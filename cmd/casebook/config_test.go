package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfigContractExample(t *testing.T) {
	cfg, err := loadConfig("testdata/contract.yaml")
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if want := filepath.Join("testdata", "data", "index"); cfg.Index != want {
		t.Errorf("index = %q, want %q (relative to the config file)", cfg.Index, want)
	}
	if cfg.Server.RateLimit == nil || cfg.Server.RateLimit.PerSecond != 20 || cfg.Server.RateLimit.Burst != 40 {
		t.Errorf("rate_limit = %+v, want 20/40", cfg.Server.RateLimit)
	}
	if rl := cfg.rateLimit(); rl == nil || rl.PerSecond != 20 || rl.Burst != 40 {
		t.Errorf("server rate limit = %+v, want 20/s burst 40", rl)
	}
	if cfg.Crawler.Delay.Duration != time.Second || cfg.Crawler.Timeout.Duration != 20*time.Second {
		t.Errorf("crawler delay/timeout = %v/%v", cfg.Crawler.Delay, cfg.Crawler.Timeout)
	}
	srcs, err := cfg.crawlSources(nil)
	if err != nil || len(srcs) != 1 {
		t.Fatalf("crawlSources = %v, %v", srcs, err)
	}
	s := srcs[0]
	if s.Name != "icc" || s.Delay != 2*time.Second || s.MaxPages != 5000 || s.Fields.Published != "time@datetime" {
		t.Errorf("source = %+v", s)
	}
	if !s.Include[0].MatchString("/en/good-practice/lisbon") || s.Follow[0].MatchString("/en/good-practice/x") {
		t.Errorf("include/follow regexps do not behave as written")
	}
	if _, err := cfg.crawlSources([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown --source error = %v, want it to name the source", err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	const src = "sources:\n  - name: a\n    start_urls: [\"https://a.example/\"]\n"
	for _, test := range []struct {
		name, yaml string
		want       []string // substrings of the one-line error
	}{
		{"unknown top key", "indx: x\n", []string{"cfg.yaml:1", "indx", "unknown key"}},
		{"unknown nested key", "server:\n  adr: x\n", []string{"cfg.yaml:2", "server.adr", "unknown key"}},
		{"unknown source key", src + "    fileds: {}\n", []string{"cfg.yaml:4", "sources[0].fileds"}},
		{"bad regexp", src + "    include: [\"^/(a\"]\n", []string{"cfg.yaml:4", "sources[0].include[0]", "invalid regexp"}},
		{"bad duration", "crawler:\n  delay: 2 seconds\n", []string{"cfg.yaml:2", "crawler.delay", "invalid duration"}},
		{"negative duration", "crawler:\n  timeout: -1s\n", []string{"cfg.yaml:2", "crawler.timeout"}},
		{"bad source delay", src + "    delay: soon\n", []string{"cfg.yaml:4", "sources[0].delay"}},
		{"duplicate source", src + src[len("sources:\n"):], []string{"cfg.yaml:4", "sources[1].name", "duplicate", `"a"`, "line 2"}},
		{"missing start url", "sources:\n  - name: b\n    network: N\n", []string{"cfg.yaml:2", "sources[0].start_urls", "start_urls or sitemaps"}},
		{"missing name", "sources:\n  - start_urls: [\"https://a.example/\"]\n", []string{"cfg.yaml:2", "sources[0].name", "required"}},
		{"bad name", "sources:\n  - name: Lisbon City\n    start_urls: [\"https://a.example/\"]\n", []string{"sources[0].name", "[a-z0-9-]+"}},
		{"file scheme", "sources:\n  - name: a\n    start_urls: [\"file:///etc/passwd\"]\n", []string{"cfg.yaml:3", "sources[0].start_urls[0]", "http"}},
		{"gopher sitemap", "sources:\n  - name: a\n    sitemaps: [\"gopher://x/\"]\n", []string{"sources[0].sitemaps[0]"}},
		{"bad int", "crawler:\n  concurrency: many\n", []string{"cfg.yaml:2", "crawler.concurrency", "whole number"}},
		{"bad bool", "crawler:\n  allow_private_networks: yes please\n", []string{"crawler.allow_private_networks"}},
		{"bad cron", "crawler:\n  schedule: \"every day\"\n", []string{"cfg.yaml:2", "crawler.schedule", "cron"}},
		{"list expected", "sources: icc\n", []string{"cfg.yaml:1", "sources", "list"}},
		{"mapping expected", "server: 8080\n", []string{"server", "mapping"}},
		{"duplicate key", "index: a\nindex: b\n", []string{"cfg.yaml:2", "index"}},
		{"yaml syntax", "server:\n  addr: [\n", []string{"cfg.yaml"}},
		{"empty", "", []string{"empty"}},
		{"bad rate limit", "server:\n  rate_limit: {per_second: 0}\n", []string{"server.rate_limit"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := parseConfig("cfg.yaml", []byte(test.yaml))
			if err == nil {
				t.Fatalf("parseConfig(%q) = nil error, want one naming %v", test.yaml, test.want)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, w := range test.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestConfigEnvOverrides(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("index: idx\nserver: {addr: 127.0.0.1:1}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CASEBOOK_INDEX", "/srv/casebook/index")
	t.Setenv("CASEBOOK_ADDR", "0.0.0.0:9000")
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Index != "/srv/casebook/index" || cfg.Server.Addr != "0.0.0.0:9000" {
		t.Errorf("overrides: index %q addr %q", cfg.Index, cfg.Server.Addr)
	}
}

func FuzzParseConfig(f *testing.F) {
	data, err := os.ReadFile("testdata/contract.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("sources:\n  - name: a\n    start_urls: x\n"))
	f.Add([]byte("a: &x [*x]\n"))
	// More seeds are in testdata/fuzz/FuzzParseConfig.
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := parseConfig("f.yaml", b)
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "f.yaml") {
				t.Fatalf("error %q: want one line naming the file", msg)
			}
			return
		}
		// A config that loads is usable: what the commands derive from it
		// neither panics nor fails.
		if _, err := cfg.crawlSources(nil); err != nil {
			t.Fatalf("crawlSources of a valid config: %v", err)
		}
		_ = cfg.crawlerSettings()
		_ = cfg.rateLimit()
	})
}

func TestCrawlerDelayDefault(t *testing.T) {
	for _, test := range []struct {
		yaml string
		want time.Duration
	}{
		{"index: x\n", time.Second},    // absent: the contract's 1s
		{"crawler:\n  delay: 0s\n", 0}, // explicit: no wait (loopback demo sites)
		{"crawler:\n  delay: 250ms\n", 250 * time.Millisecond},
	} {
		cfg, err := parseConfig("c.yaml", []byte(test.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.crawlerSettings().Delay; got != test.want {
			t.Errorf("%q: delay %v, want %v", test.yaml, got, test.want)
		}
	}
}

// server.snapshot_dir is relative to the file, like index, and may not be
// where the index or a rebuild of it lives.
func TestConfigSnapshotDir(t *testing.T) {
	t.Setenv("CASEBOOK_INDEX", "")
	dir := t.TempDir()
	for _, test := range []struct {
		name, yaml string
		want       string // the resolved directory, or "" for an error
		wantErr    string
	}{
		{"absent", "index: data/index\n", "", ""},
		{"relative", "index: data/index\nserver: {snapshot_dir: data/snapshots}\n", filepath.Join(dir, "data", "snapshots"), ""},
		{"absolute", "index: data/index\nserver: {snapshot_dir: /srv/snapshots}\n", "/srv/snapshots", ""},
		{"the index", "index: data/index\nserver: {snapshot_dir: data/index}\n", "", "server.snapshot_dir"},
		{"inside the index", "index: data/index\nserver: {snapshot_dir: data/index/snaps}\n", "", "inside"},
		{"beside the index", "index: data/index\nserver: {snapshot_dir: data}\n", "", "directory holding it"},
	} {
		t.Run(test.name, func(t *testing.T) {
			path := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(path, []byte(test.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(path)
			switch {
			case test.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), test.wantErr) || !strings.Contains(err.Error(), "server.snapshot_dir") {
					t.Errorf("loadConfig = %v; want an error naming server.snapshot_dir and %q", err, test.wantErr)
				}
			case err != nil:
				t.Errorf("loadConfig: %v", err)
			case cfg.Server.SnapshotDir != test.want:
				t.Errorf("snapshot_dir = %q; want %q", cfg.Server.SnapshotDir, test.want)
			}
		})
	}
}

// server.metrics_token_env puts /metrics behind a bearer token; a named
// variable that is empty stops serve instead of leaving /metrics open.
func TestServeMetricsToken(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	cfg := filepath.Join(t.TempDir(), "casebook.yaml")
	if err := os.WriteFile(cfg, []byte("index: "+live+"\nserver:\n  metrics_token_env: CASEBOOK_TEST_METRICS\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CASEBOOK_TEST_METRICS", "")
	code, _, stderr := runCmd(t, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "CASEBOOK_TEST_METRICS") || !strings.Contains(stderr, "empty") {
		t.Errorf("serve with an empty metrics token variable = exit %d %q; want 1 naming CASEBOOK_TEST_METRICS", code, stderr)
	}

	t.Setenv("CASEBOOK_TEST_METRICS", "prom-s3cret")
	base, _, _ := startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	for _, test := range []struct {
		name, auth string
		want       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer guess", http.StatusUnauthorized},
		{"the token", "Bearer prom-s3cret", http.StatusOK},
	} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"metrics", nil)
		if err != nil {
			t.Fatal(err)
		}
		if test.auth != "" {
			req.Header.Set("Authorization", test.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != test.want {
			t.Errorf("%s: GET /metrics = %d; want %d", test.name, resp.StatusCode, test.want)
		}
		if test.want == http.StatusOK && !strings.Contains(string(body), "casebook_index_documents") {
			t.Errorf("%s: /metrics lacks casebook_index_documents:\n%.300s", test.name, body)
		}
	}
	// Without the key, /metrics stays open.
	open, _, _ := startCmd(t, servingURL, "serve", "--config", indexConfig(t, filepath.Join(t.TempDir(), "other")), "--addr", "127.0.0.1:0")
	if code := getStatus(t, open+"metrics"); code != http.StatusOK {
		t.Errorf("GET /metrics without metrics_token_env = %d; want 200", code)
	}
}

func getStatus(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
