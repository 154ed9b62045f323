package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// countingSites serves the demo sites behind handlers that count requests
// and call hit after each one, so that a test can kill a crawler after a
// chosen number of requests.
type countingSites struct {
	requests atomic.Int64
	killAt   atomic.Int64 // 0: never
	kill     atomic.Pointer[func()]
}

func (c *countingSites) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		n := c.requests.Add(1)
		if k := c.killAt.Load(); k > 0 && n >= k {
			if f := c.kill.Swap(nil); f != nil {
				(*f)()
			}
		}
	})
}

// startCountingSites serves every demo site and returns the configuration
// file (CONTRACT §2) pointing at them, with the index in indexDir.
func startCountingSites(t *testing.T, indexDir string) (*countingSites, string) {
	t.Helper()
	running, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	t.Cleanup(running.Close)
	c := &countingSites{}
	yaml := running.ConfigYAML(indexDir)
	for _, site := range demo.Sites() {
		srv := httptest.NewServer(c.wrap(site.Handler))
		t.Cleanup(srv.Close)
		yaml = strings.ReplaceAll(yaml, running.URL(site.Name), srv.URL)
	}
	// A small gap between requests to one host keeps a crawl running long
	// enough for a kill to land in the middle of it.
	yaml = strings.Replace(yaml, "  delay: 0s\n", "  delay: 5ms\n", 1)
	cfg := filepath.Join(t.TempDir(), "casebook.yaml")
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return c, cfg
}

// buildCasebook builds this command into a temporary directory.
func buildCasebook(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "casebook")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// servedState is what a visitor could find in the index.
type servedState struct {
	ids    []string
	search uint64 // hits of a search through the search engine
}

// openServed checks the index as `casebook index check` would, opens it
// as `casebook serve` would, checks it answers searches (what /readyz
// checks) and lists every practice.
func openServed(t *testing.T, dir string) servedState {
	t.Helper()
	if r, err := indexer.Check(t.Context(), dir); err != nil || !r.OK() {
		t.Errorf("index check of %s: %+v, %v", dir, r, err)
	}
	ix, err := indexer.Open(dir)
	if err != nil {
		t.Fatalf("reopen index: %v", err)
	}
	defer ix.Close()
	ctx := t.Context()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 100000, 0, false)
	res, err := ix.Bleve().SearchInContext(ctx, req)
	if err != nil {
		t.Fatalf("list practices: %v", err)
	}
	var st servedState
	for _, h := range res.Hits {
		st.ids = append(st.ids, h.ID)
	}
	slices.Sort(st.ids)
	for _, id := range st.ids {
		if _, err := ix.Get(ctx, id); err != nil {
			t.Errorf("practice %s listed but not readable: %v", id, err)
			break
		}
	}
	sreq, err := search.ParseRequest(url.Values{"q": {"integration"}}, "en")
	if err != nil {
		t.Fatal(err)
	}
	sres, err := search.New(ix).Search(ctx, sreq)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	st.search = uint64(sres.Total)
	for _, s := range []string{".next", ".old"} {
		if _, err := os.Stat(dir + s); err == nil {
			t.Errorf("%s%s still exists after Open", dir, s)
		}
	}
	return st
}

// crawlAndKill runs `casebook crawl args...` and kills it with SIGKILL once
// the sites have answered killAt requests. It reports whether the kill
// landed before the crawl ended.
func crawlAndKill(t *testing.T, bin string, sites *countingSites, killAt int64, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"crawl"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sites.requests.Store(0)
	kill := func() { _ = cmd.Process.Signal(syscall.SIGKILL) }
	sites.kill.Store(&kill)
	sites.killAt.Store(killAt)
	err := cmd.Wait()
	sites.killAt.Store(0)
	sites.kill.Store(nil)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return true
	}
	if err != nil {
		t.Fatalf("crawl %v ended on its own with %v:\n%s", args, err, stderr.String())
	}
	return false
}

// TestKillMidCrawl kills child `casebook crawl` processes in the middle of
// in-place crawls and of full rebuilds, and checks after each kill that
// the index opens, answers searches and still holds every practice it
// served before.
func TestKillMidCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs crawls: skipped with -short")
	}
	bin := buildCasebook(t)
	dir := filepath.Join(t.TempDir(), "index")
	sites, cfg := startCountingSites(t, dir)

	// The first, complete crawl: what visitors are being served.
	out, err := exec.Command(bin, "crawl", "--config", cfg).CombinedOutput()
	if err != nil {
		t.Fatalf("first crawl: %v\n%s", err, out)
	}
	total := sites.requests.Load()
	before := openServed(t, dir)
	if len(before.ids) == 0 || before.search == 0 {
		t.Fatalf("first crawl served %d practices, %d found by a search", len(before.ids), before.search)
	}
	t.Logf("first crawl: %d practices from %d requests", len(before.ids), total)

	sourceArgs := []string{"--config", cfg, "--full"}
	for _, name := range []string{"icc", "oive", "duesseldorf", "hub"} {
		sourceArgs = append(sourceArgs, "--source", name)
	}
	rounds := []struct {
		kind string
		args []string
	}{
		{"incremental crawl", []string{"--config", cfg}},
		{"in-place full crawl of named sources", sourceArgs},
		{"full rebuild", []string{"--config", cfg, "--full"}},
	}
	// Kill after this share of the crawl's requests; the last lands after
	// the final request, while the crawl writes (or swaps) its index.
	shares := []int64{5, 25, 50, 75, 100}
	var killed, lost int
	for _, r := range rounds {
		// A complete run first measures how many requests this kind makes.
		sites.requests.Store(0)
		if out, err := exec.Command(bin, append([]string{"crawl"}, r.args...)...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", r.kind, err, out)
		}
		requests := sites.requests.Load()
		landedHere := 0
		for _, share := range shares {
			at := max(1, requests*share/100)
			landed := crawlAndKill(t, bin, sites, at, r.args...)
			after := openServed(t, dir)
			var missing []string
			for _, id := range before.ids {
				if _, ok := slices.BinarySearch(after.ids, id); !ok {
					missing = append(missing, id)
				}
			}
			if landed {
				killed++
				landedHere++
			}
			lost += len(missing)
			if len(missing) > 0 || len(after.ids) != len(before.ids) || after.search != before.search {
				t.Errorf("%s killed after %d requests (landed %v): %d practices (want %d), %d missing %v, search finds %d (want %d)",
					r.kind, at, landed, len(after.ids), len(before.ids), len(missing), missing, after.search, before.search)
			}
		}
		t.Logf("%s (%d requests): %d of %d kills landed before the crawl ended", r.kind, requests, landedHere, len(shares))
		// Every share but the last comes before the end of the crawl.
		if landedHere < len(shares)-1 {
			t.Errorf("%s: only %d kills landed before the crawl ended; the test did not exercise what it claims", r.kind, landedHere)
		}
	}
	t.Logf("%d of %d kills landed mid-crawl; practices lost: %d", killed, len(rounds)*len(shares), lost)

	// A rebuild left to finish swaps in the same practices.
	if out, err := exec.Command(bin, "crawl", "--config", cfg, "--full").CombinedOutput(); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	if after := openServed(t, dir); !slices.Equal(after.ids, before.ids) {
		t.Errorf("after a complete rebuild: %d practices; want the %d served before", len(after.ids), len(before.ids))
	}
}
