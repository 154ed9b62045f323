package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
)

func TestSnapshotUsage(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	if code, out, stderr := runCmd(t, "import", "--config", indexConfig(t, live), writeJSONL(t, "p", 2)); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, stderr)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"index", "snapshot", "--index", live}, 2, "destination"},
		{[]string{"index", "snapshot", "--index", live, "a", "b"}, 2, "unexpected argument"},
		{[]string{"index", "snapshot", "--index", filepath.Join(t.TempDir(), "none"), filepath.Join(t.TempDir(), "s")}, 1, "no index at"},
		{[]string{"index", "snapshot", "--index", live, full}, 1, "not empty"},
		{[]string{"index", "snapshot", "--index", live, filepath.Join(live, "inside")}, 1, "inside the index"},
	} {
		code, _, stderr := runCmd(t, test.args...)
		if code != test.wantCode || !strings.Contains(stderr, test.wantErr) {
			t.Errorf("%v = exit %d %q; want %d and %q", test.args, code, stderr, test.wantCode, test.wantErr)
		}
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("a refused snapshot changed %s: %d entries", full, len(entries))
	}
}

// While `casebook serve` holds the live index, the snapshot command says
// so instead of copying files under the writer.
func TestSnapshotWhileServed(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	cfg := indexConfig(t, live)
	if code, out, stderr := runCmd(t, "import", "--config", cfg, writeJSONL(t, "p", 2)); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, stderr)
	}
	startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	dest := filepath.Join(t.TempDir(), "snap")
	code, _, stderr := runCmd(t, "index", "snapshot", "--config", cfg, dest)
	if code != 1 || !strings.Contains(stderr, "in use") {
		t.Errorf("snapshot of a served index = exit %d %q; want 1 and 'in use'", code, stderr)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("%s exists after a refused snapshot: %v", dest, err)
	}
}

// heldDemoConfig writes a configuration crawling the demo sites behind a
// searchtest.Gate, with the admin token in CASEBOOK_TEST_TOKEN and snapshots in
// "snapshots" beside the index (relative to the file). It returns the
// file and the directory it is in.
func heldDemoConfig(t *testing.T) (cfg, dir string, held *searchtest.Gate) {
	t.Helper()
	running, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	t.Cleanup(running.Close)
	held = searchtest.NewGate()
	dir = t.TempDir()
	yaml := running.ConfigYAML(filepath.Join(dir, "index"))
	for _, site := range demo.Sites() {
		srv := httptest.NewServer(held.Wrap(site.Handler))
		t.Cleanup(srv.Close)
		yaml = strings.ReplaceAll(yaml, running.URL(site.Name), srv.URL)
	}
	yaml = strings.Replace(yaml, "  admin_token_env: CASEBOOK_ADMIN_TOKEN\n",
		"  admin_token_env: CASEBOOK_TEST_TOKEN\n  snapshot_dir: snapshots\n", 1)
	cfg = filepath.Join(dir, "casebook.yaml")
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, dir, held
}

// adminCall sends one admin request with the test token and decodes the
// answer into v (when not nil).
func adminCall(t *testing.T, method, u, body string, v any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("CASEBOOK_TEST_TOKEN"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %v\n%s", method, u, resp.StatusCode, err, data)
		}
	}
	return resp.StatusCode
}

// browseAll is every practice a visitor can list, in a stable order.
func browseAll(t *testing.T, base string) answer {
	t.Helper()
	var res search.Result
	if code := getJSON(t, base+"api/v1/search?size=100&sort=oldest", &res); code != http.StatusOK {
		t.Fatalf("browse %s = %d", base, code)
	}
	a := answer{total: res.Total}
	for _, h := range res.Hits {
		a.ids = append(a.ids, h.ID)
	}
	slices.Sort(a.ids)
	return a
}

// TestSnapshotThroughServer is the writer of docs/scaling.md: `casebook
// serve` holds the index and a crawl is running on it when the operator
// runs `casebook index snapshot --server`. The snapshot lands in
// server.snapshot_dir, a replica serves it and answers what the writer
// answers, and the name cannot be reused.
func TestSnapshotThroughServer(t *testing.T) {
	cfg, dir, held := heldDemoConfig(t)
	t.Setenv("CASEBOOK_TEST_TOKEN", "snap-token")
	if code, out, stderr := runCmd(t, "crawl", "--config", cfg); code != 0 {
		t.Fatalf("first crawl = %d\n%s%s", code, out, stderr)
	}
	base, _, _ := startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	want := browseAll(t, base)
	var sources struct{ Sources []struct{ Documents int } }
	if code := adminCall(t, http.MethodGet, base+"api/v1/admin/sources", "", &sources); code != http.StatusOK {
		t.Fatalf("GET admin/sources = %d", code)
	}
	docs := 0
	for _, s := range sources.Sources {
		docs += s.Documents
	}
	if want.total == 0 || docs == 0 {
		t.Fatalf("the writer serves %d hits, %d practices after the first crawl", want.total, docs)
	}

	held.ShutAfter(5)
	var job remoteJob
	if code := adminCall(t, http.MethodPost, base+"api/v1/admin/crawls", `{"sources": ["icc"], "full": true}`, &job); code != http.StatusAccepted {
		t.Fatalf("start crawl = %d %+v", code, job)
	}
	<-held.Blocked()
	if adminCall(t, http.MethodGet, base+"api/v1/admin/crawls/"+job.ID, "", &job); job.Status != "running" {
		t.Fatalf("crawl %s is %s; want running during the snapshot", job.ID, job.Status)
	}

	code, out, stderr := runCmd(t, "index", "snapshot", "--server", base, "--token-env", "CASEBOOK_TEST_TOKEN", "nightly-1")
	snap := filepath.Join(dir, "snapshots", "nightly-1")
	if code != 0 || !strings.Contains(out, "written to "+snap) || !strings.Contains(out, fmt.Sprintf("practices: %d", docs)) {
		t.Fatalf("index snapshot --server = %d\nstdout %s\nstderr %s\nwant 0, %s and %d practices", code, out, stderr, snap, docs)
	}
	if code := adminCall(t, http.MethodDelete, base+"api/v1/admin/crawls/"+job.ID, "", nil); code != http.StatusAccepted {
		t.Errorf("cancel the crawl = %d; want 202", code)
	}

	replica, _, _ := startCmd(t, servingURL, "serve", "--read-only", "--config", indexConfig(t, snap), "--addr", "127.0.0.1:0")
	if got := browseAll(t, replica); got.total != want.total || !slices.Equal(got.ids, want.ids) {
		t.Errorf("replica on the snapshot answers %+v; want what the writer answered, %+v", got, want)
	}
	if code, out, stderr := runCmd(t, "index", "check", "--index", snap); code != 0 {
		t.Errorf("index check of the snapshot = %d\n%s%s", code, out, stderr)
	}

	code, _, stderr = runCmd(t, "index", "snapshot", "--server", base, "--token-env", "CASEBOOK_TEST_TOKEN", "nightly-1")
	if code != 1 || !strings.Contains(stderr, "exists already") {
		t.Errorf("the same name again = exit %d %q; want 1 and 'exists already'", code, stderr)
	}
	code, _, stderr = runCmd(t, "index", "snapshot", "--server", base, "--token-env", "CASEBOOK_TEST_TOKEN", "../up")
	if code != 1 || !strings.Contains(stderr, "refused") {
		t.Errorf("a path as name = exit %d %q; want 1 and 'refused'", code, stderr)
	}
	// A replica has nothing to snapshot: it says what it is.
	code, _, stderr = runCmd(t, "index", "snapshot", "--server", replica, "--token-env", "CASEBOOK_TEST_TOKEN", "again")
	if code != 1 || !strings.Contains(stderr, "read-only replica") {
		t.Errorf("snapshot through a replica = exit %d %q; want 1 and 'read-only replica'", code, stderr)
	}
}

func TestSnapshotServerUsage(t *testing.T) {
	t.Setenv("CASEBOOK_TEST_TOKEN", "")
	for _, test := range []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"--server", "http://127.0.0.1:1", "--token-env", "CASEBOOK_TEST_TOKEN"}, 2, "NAME"},
		{[]string{"--server", "http://127.0.0.1:1", "n"}, 2, "--token-env"},
		{[]string{"--server", "127.0.0.1:1", "--token-env", "CASEBOOK_TEST_TOKEN", "n"}, 2, "base URL"},
		{[]string{"--server", "http://127.0.0.1:1", "--index", "x", "--token-env", "CASEBOOK_TEST_TOKEN", "n"}, 2, "no --config or --index"},
		{[]string{"--index", "x", "--token-env", "CASEBOOK_TEST_TOKEN", "dest"}, 2, "goes with --server"},
		{[]string{"--server", "http://127.0.0.1:1", "--token-env", "CASEBOOK_TEST_TOKEN", "n"}, 1, "CASEBOOK_TEST_TOKEN is empty"},
	} {
		code, _, stderr := runCmd(t, append([]string{"index", "snapshot"}, test.args...)...)
		if code != test.wantCode || !strings.Contains(stderr, test.wantErr) {
			t.Errorf("index snapshot %q = exit %d %q; want %d and %q", test.args, code, stderr, test.wantCode, test.wantErr)
		}
	}
}

// Without server.snapshot_dir the server says how to enable snapshots.
func TestSnapshotServerDisabled(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	cfg := indexConfig(t, live)
	t.Setenv("CASEBOOK_ADMIN_TOKEN", "tok")
	t.Setenv("CASEBOOK_TEST_TOKEN", "tok")
	base, _, _ := startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	code, _, stderr := runCmd(t, "index", "snapshot", "--server", base, "--token-env", "CASEBOOK_TEST_TOKEN", "n")
	if code != 1 || !strings.Contains(stderr, "snapshots are disabled") || !strings.Contains(stderr, "server.snapshot_dir") {
		t.Errorf("snapshot without server.snapshot_dir = exit %d %q; want 1, disabled, naming server.snapshot_dir", code, stderr)
	}
}
