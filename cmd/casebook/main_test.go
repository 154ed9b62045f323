package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/search"
)

// syncBuffer is a bytes.Buffer safe for a command writing in one goroutine
// while the test reads in another.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCmd runs the CLI in process and returns exit status, stdout, stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// startCmd runs a long-lived command (serve, demo) until the test ends and
// returns the base URL it prints.
func startCmd(t *testing.T, urlPattern *regexp.Regexp, args ...string) (base string, stderr *syncBuffer, wait func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	stderr = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, &out, stderr) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := urlPattern.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("%v exited with %d before serving:\nstdout: %s\nstderr: %s", args, code, out.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("%v did not print its URL:\n%s", args, out.String())
		}
	}
	var once sync.Once
	var code int
	wait = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				t.Errorf("%v did not stop within 30s of cancel", args)
				code = -1
			}
		})
		return code
	}
	t.Cleanup(func() { wait() })
	return base, stderr, wait
}

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %d, body is not JSON: %v\n%s", u, resp.StatusCode, err, body)
		}
	}
	return resp.StatusCode
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, "version")
	if code != 0 || !strings.HasPrefix(out, "casebook ") {
		t.Errorf("version = %d %q, want 0 and \"casebook <version>\"", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"crawl"},
		{"crawl", "--config"},
		{"serve", "--bogus"},
		{"search", "--size", "many", "--index", "x", "q"},
		{"import", "--index", "x"},
		{"version", "extra"},
		{"demo", "extra"},
	} {
		code, _, stderr := runCmd(t, args...)
		if code != 2 {
			t.Errorf("casebook %q = exit %d, want 2 (usage)", args, code)
		}
		if strings.TrimSpace(stderr) == "" {
			t.Errorf("casebook %q printed nothing on stderr", args)
		}
	}
}

func TestConfigErrorExitsOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("index: idx\nsources:\n  - name: a\n    start_urls: [\"https://a.example/\"]\n    include: [\"(\"]\n"), 0o600)
	code, _, stderr := runCmd(t, "crawl", "--config", path)
	if code != 1 {
		t.Errorf("exit = %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 1 || !strings.Contains(stderr, "bad.yaml:5") || !strings.Contains(stderr, "sources[0].include[0]") {
		t.Errorf("stderr = %q, want one line naming bad.yaml:5 and sources[0].include[0]", stderr)
	}
}

// demoConfig starts the demo member sites and writes a config crawling them.
func demoConfig(t *testing.T) (cfgPath string, sites *demo.Running) {
	t.Helper()
	sites, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	t.Cleanup(sites.Close)
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "casebook.yaml")
	if err := os.WriteFile(cfgPath, []byte(sites.ConfigYAML(filepath.Join(dir, "index"))), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, sites
}

func crawlJSON(t *testing.T, args ...string) (int, recrawl.Summary, string) {
	t.Helper()
	code, out, stderr := runCmd(t, append([]string{"crawl", "--json"}, args...)...)
	var sum recrawl.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("crawl --json output is not JSON: %v\n%s\nstderr: %s", err, out, stderr)
	}
	return code, sum, stderr
}

func searchJSON(t *testing.T, args ...string) search.Result {
	t.Helper()
	code, out, stderr := runCmd(t, append([]string{"search", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("search %q = exit %d: %s", args, code, stderr)
	}
	var res search.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json output is not JSON: %v\n%s", err, out)
	}
	return res
}

// TestCrawlSearchImport runs the CLI path a staff member runs: crawl the
// member sites, crawl again (nothing changed), search, import, and a crawl
// of unreachable sites that must keep every practice.
func TestCrawlSearchImport(t *testing.T) {
	cfg, sites := demoConfig(t)

	code, sum, stderr := crawlJSON(t, "--config", cfg)
	if strings.Contains(stderr, "crawling") {
		t.Errorf("--json printed progress lines: %q", stderr)
	}
	if code != 0 || !sum.OK {
		t.Fatalf("first crawl: exit %d ok=%v stderr=%s summary=%+v", code, sum.OK, stderr, sum)
	}
	if len(sum.Sources) != len(sites.Sources()) {
		t.Errorf("summary has %d sources, want %d", len(sum.Sources), len(sites.Sources()))
	}
	if sum.Total.Added < 60 {
		t.Errorf("first crawl added %d practices, want ≥ 60 (the demo corpus)", sum.Total.Added)
	}
	if sum.Total.Failed != 0 {
		t.Errorf("first crawl failed %d pages: %+v", sum.Total.Failed, sum.Sources)
	}

	code, again, _ := crawlJSON(t, "--config", cfg)
	if code != 0 || again.Total.Added != 0 || again.Total.Updated != 0 || again.Total.Removed != 0 ||
		again.Total.Unchanged != sum.Total.Added {
		t.Errorf("second crawl = exit %d %+v, want everything unchanged (%d)", code, again.Total, sum.Total.Added)
	}
	// The demo sites answer 304 to conditional requests: the second crawl
	// downloads less; --full downloads every page again.
	if again.Total.Fetched >= sum.Total.Fetched {
		t.Errorf("second crawl fetched %d pages in full, the first %d: conditional GET saved nothing", again.Total.Fetched, sum.Total.Fetched)
	}
	code, full, _ := crawlJSON(t, "--config", cfg, "--full")
	if code != 0 || full.Total.Fetched != sum.Total.Fetched || full.Total.Unchanged != sum.Total.Added || full.Total.Added+full.Total.Updated+full.Total.Removed != 0 {
		t.Errorf("--full crawl = exit %d %+v, want %d pages fetched and every practice unchanged", code, full.Total, sum.Total.Fetched)
	}

	// One source only.
	code, one, _ := crawlJSON(t, "--config", cfg, "--source", "oive")
	if code != 0 || len(one.Sources) != 1 || one.Sources[0].Source != "oive" {
		t.Errorf("--source oive crawled %+v", one.Sources)
	}
	if code, _, stderr := runCmd(t, "crawl", "--config", cfg, "--source", "nope"); code != 1 || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("--source nope = exit %d %q, want 1 naming the source", code, stderr)
	}

	// Text summary.
	code, out, progress := runCmd(t, "crawl", "--config", cfg)
	if code != 0 {
		t.Errorf("text crawl = exit %d, want 0:\n%s", code, progress)
	}
	for _, want := range []string{"source", "fetched", "unchanged", "icc", "oive", "duesseldorf", "hub", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("crawl summary lacks %q:\n%s", want, out)
		}
	}
	// Not a terminal: plain progress lines, one per source start and end.
	for _, want := range []string{"icc: crawling\n", "icc: done, ", "hub: crawling\n", "hub: done, "} {
		if !strings.Contains(progress, want) {
			t.Errorf("crawl progress on a pipe lacks %q:\n%s", want, progress)
		}
	}
	if strings.Contains(progress, "\r") || strings.Contains(progress, "\x1b[") {
		t.Errorf("progress on a pipe contains terminal control characters: %q", progress)
	}

	res := searchJSON(t, "--config", cfg, "Lissabon")
	if res.Total == 0 || !hasCity(res, "Lisbon") {
		t.Errorf("search Lissabon: total %d, want Lisbon practices first", res.Total)
	}
	fr := searchJSON(t, "--config", cfg, "--lang", "fr")
	for _, h := range fr.Hits {
		if h.Lang != "fr" {
			t.Errorf("--lang fr returned a %q hit: %s", h.Lang, h.Title)
		}
	}
	if fr.Total == 0 {
		t.Error("--lang fr found nothing")
	}
	code, out, _ = runCmd(t, "search", "--config", cfg, "--city", "Düsseldorf", "integration")
	if code != 0 || !strings.Contains(out, "Düsseldorf") {
		t.Errorf("text search = %d:\n%s", code, out)
	}

	// Import: good lines kept, bad lines reported by number.
	docs := filepath.Join(t.TempDir(), "docs.jsonl")
	os.WriteFile(docs, []byte(strings.Join([]string{
		`{"id":"imp-1","url":"https://example.org/p/1","title":"Quartiersrat in Zürich-Nord","body":"Ein Quartiersrat für alle Bewohnerinnen und Bewohner.","cities":["Lissabon"],"themes":["Wohnen"],"lang":"de","year":2020}`,
		`{not json`,
		`{"id":"imp-2","url":"https://example.org/p/2"}`,
		`{"id":"imp-3","url":"https://example.org/p/3","title":"Zebra crossing festival","body":"A street festival.","lang":"en"}`,
	}, "\n")), 0o600)
	code, out, stderr = runCmd(t, "import", "--config", cfg, docs)
	if code != 1 || !strings.Contains(out, "imported 2") || !strings.Contains(stderr, "docs.jsonl:2") || !strings.Contains(stderr, "docs.jsonl:3") {
		t.Errorf("import = exit %d\nstdout %s\nstderr %s\nwant 2 imported, lines 2 and 3 reported, exit 1", code, out, stderr)
	}
	imp := searchJSON(t, "--index", filepath.Join(filepath.Dir(cfg), "index"), "Quartiersrat")
	// First, not alone: compound splitting lets "Quartiersrat" match other
	// Quartier- words of the demo corpus too.
	if imp.Total == 0 || imp.Hits[0].ID != "imp-1" || imp.Hits[0].Cities[0] != "Lisbon" {
		t.Errorf("imported practice not found as normalised: %+v", imp.Hits)
	}

	// Sites down: every source fails as a whole, nothing is removed.
	before := searchJSON(t, "--config", cfg).Total
	sites.Close()
	code, down, _ := crawlJSON(t, "--config", cfg)
	if code != 1 || down.OK || down.Total.Removed != 0 {
		t.Errorf("crawl of unreachable sites = exit %d ok=%v removed=%d, want exit 1 and nothing removed", code, down.OK, down.Total.Removed)
	}
	for _, s := range down.Sources {
		if s.OK || s.Error == "" {
			t.Errorf("source %s: ok=%v error=%q, want a failure with its reason", s.Source, s.OK, s.Error)
		}
	}
	if after := searchJSON(t, "--config", cfg).Total; after != before {
		t.Errorf("practices after failed crawl = %d, want %d", after, before)
	}
}

func hasCity(res search.Result, city string) bool {
	for _, h := range res.Hits {
		for _, c := range h.Cities {
			if c == city {
				return true
			}
		}
	}
	return false
}

var servingURL = regexp.MustCompile(`on (http://[^ ]+/)\n`)

func TestServeAndIndexInUse(t *testing.T) {
	cfg, _ := demoConfig(t)
	if code, _, stderr := runCmd(t, "crawl", "--config", cfg); code != 0 {
		t.Fatalf("crawl: %s", stderr)
	}
	base, _, wait := startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")

	var res search.Result
	if code := getJSON(t, base+"api/v1/search?q="+url.QueryEscape("logement réfugiés"), &res); code != 200 || res.Total == 0 {
		t.Errorf("search over serve = %d, total %d", code, res.Total)
	}
	if code := getJSON(t, base+"readyz", nil); code != 200 {
		t.Errorf("/readyz = %d, want 200", code)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := getJSON(t, base+"api/v1/search?size=0", &e); code != 400 || e.Error.Code != "invalid_parameter" {
		t.Errorf("size=0 = %d %+v, want 400 invalid_parameter", code, e)
	}

	// A crawl while serve holds the index says so, and how to do it instead.
	start := time.Now()
	code, _, stderr := runCmd(t, "crawl", "--config", cfg)
	if code != 1 || !strings.Contains(stderr, "in use") || !strings.Contains(stderr, "admin") {
		t.Errorf("crawl during serve = exit %d %q, want 1, 'in use' and the admin API hint", code, stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("busy index reported after %v", d)
	}
	if code := wait(); code != 0 {
		t.Errorf("serve exited %d after cancel, want 0", code)
	}
}

var demoURL = regexp.MustCompile(`ready: (http://[^ ]+/)\n`)

// TestDemo is the newcomer's first command.
func TestDemo(t *testing.T) {
	data := t.TempDir()
	base, _, wait := startCmd(t, demoURL, "demo", "--addr", "127.0.0.1:0", "--data", data)

	for _, test := range []struct {
		q, city string
	}{
		{"Wohnen Geflüchtete", ""},
		{"Lissabon", "Lisbon"},
		{"intégration des réfugiés", ""},
		{"Düsseldorf", "Düsseldorf"},
	} {
		var res search.Result
		code := getJSON(t, base+"api/v1/search?q="+url.QueryEscape(test.q), &res)
		if code != 200 || res.Total == 0 {
			t.Errorf("demo search %q = %d total %d", test.q, code, res.Total)
			continue
		}
		if test.city != "" && !hasCity(res, test.city) {
			t.Errorf("demo search %q: no %s practice in the first page", test.q, test.city)
		}
	}
	var facets map[string][]search.FacetValue
	if code := getJSON(t, base+"api/v1/facets?ui=de", &facets); code != 200 || len(facets["city"]) < 20 {
		t.Errorf("facets = %d with %d cities, want ≥ 20 cities", code, len(facets["city"]))
	}
	resp, err := http.Get(base + "?q=housing&ui=fr")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("<mark>")) {
		t.Errorf("search page = %d, want results with highlights", resp.StatusCode)
	}
	// Cross-origin use of the API from any page (CORS open in the demo).
	req, _ := http.NewRequest(http.MethodGet, base+"api/v1/search?q=youth", nil)
	req.Header.Set("Origin", "http://127.0.0.1:9")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("demo CORS header = %q, want *", got)
	}
	if code := wait(); code != 0 {
		t.Errorf("demo exited %d after cancel, want 0", code)
	}
	if _, err := os.Stat(filepath.Join(data, "index")); err != nil {
		t.Errorf("--data DIR holds no index: %v", err)
	}
}

func Example_run_version() {
	version = "v0.0.0-example"
	defer func() { version = "" }()
	run(context.Background(), []string{"version"}, os.Stdout, os.Stderr)
	// Output:
	// casebook v0.0.0-example
}
