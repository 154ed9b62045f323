package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/search"
)

// writeJSONL writes n practices about housing in Lisbon, ids prefix-0...
func writeJSONL(t *testing.T, prefix string, n int) string {
	t.Helper()
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf(`{"id":"%s-%d","url":"https://city.example/%s/%d","title":"Housing cooperative %s %d",`+
			`"body":"Affordable housing for newcomers in Lisbon, project %d.","cities":["Lisboa"],"themes":["housing-urban"],"lang":"en","year":%d}`,
			prefix, i, prefix, i, prefix, i, i, 2010+i%10))
	}
	p := filepath.Join(t.TempDir(), prefix+".jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// indexConfig writes a configuration naming only the index.
func indexConfig(t *testing.T, index string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "casebook.yaml")
	if err := os.WriteFile(p, []byte("index: "+index+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// answer is what a visitor sees of one search.
type answer struct {
	total uint64
	ids   []string
}

func searchAnswer(t *testing.T, base string) answer {
	t.Helper()
	var res search.Result
	u := base + "api/v1/search?size=100&sort=oldest&q=" + url.QueryEscape("housing Lisbon")
	if code := getJSON(t, u, &res); code != http.StatusOK {
		t.Fatalf("GET %s = %d", u, code)
	}
	a := answer{total: res.Total}
	for _, h := range res.Hits {
		a.ids = append(a.ids, h.ID)
	}
	slices.Sort(a.ids)
	return a
}

// TestReadOnlyReplicas is the scale-out set-up of docs/scaling.md in one
// process: a writer imports into the live index and writes a snapshot; two
// `serve --read-only` replicas answer from that snapshot; the writer imports
// more and writes the next snapshot while the replicas keep answering the
// first one, unchanged, even when the `current` link they were started on
// is switched; a replica (re)started on `current` sees the new snapshot.
func TestReadOnlyReplicas(t *testing.T) {
	base := t.TempDir()
	live := filepath.Join(base, "live")
	snap1 := filepath.Join(base, "snapshots", "1")
	snap2 := filepath.Join(base, "snapshots", "2")
	writer := indexConfig(t, live)

	if code, out, stderr := runCmd(t, "import", "--config", writer, writeJSONL(t, "first", 12)); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, stderr)
	}
	code, out, stderr := runCmd(t, "index", "snapshot", "--config", writer, snap1)
	if code != 0 || !strings.Contains(out, "practices: 12") {
		t.Fatalf("index snapshot = %d\nstdout %s\nstderr %s\nwant 0 and 12 practices", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "index", "check", "--index", snap1); code != 0 {
		t.Errorf("index check of the snapshot = %d\n%s%s", code, out, stderr)
	}

	// Replicas serve the symlink `current`, as in docs/scaling.md.
	current := filepath.Join(base, "snapshots", "current")
	if err := os.Symlink("1", current); err != nil {
		t.Fatal(err)
	}
	replica := indexConfig(t, current)
	var replicas []string
	for range 2 {
		u, _, _ := startCmd(t, servingURL, "serve", "--read-only", "--config", replica, "--addr", "127.0.0.1:0")
		replicas = append(replicas, u)
	}
	for _, r := range replicas {
		if code := getJSON(t, r+"readyz", nil); code != http.StatusOK {
			t.Errorf("%sreadyz = %d; want 200", r, code)
		}
	}
	before := searchAnswer(t, replicas[0])
	if before.total != 12 {
		t.Fatalf("replica answers %d hits; want the 12 practices of the snapshot", before.total)
	}
	if got := searchAnswer(t, replicas[1]); !slices.Equal(got.ids, before.ids) || got.total != before.total {
		t.Errorf("the two replicas disagree: %+v vs %+v", got, before)
	}

	// The writer goes on: more practices, the next snapshot.
	if code, out, stderr := runCmd(t, "import", "--config", writer, writeJSONL(t, "second", 5)); code != 0 {
		t.Fatalf("second import = %d\n%s%s", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "index", "snapshot", "--index", live, snap2); code != 0 || !strings.Contains(out, "practices: 17") {
		t.Fatalf("second snapshot = %d\n%s%s", code, out, stderr)
	}
	// The writer publishes it: `current` now points to the next snapshot.
	if err := os.Symlink("2", current+".new"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(current+".new", current); err != nil {
		t.Fatal(err)
	}
	for _, r := range replicas {
		if got := searchAnswer(t, r); got.total != before.total || !slices.Equal(got.ids, before.ids) {
			t.Errorf("%s after the next snapshot: %+v; want the first snapshot unchanged %+v", r, got, before)
		}
	}
	// A replica (re)started on `current` answers the new snapshot.
	next, _, _ := startCmd(t, servingURL, "serve", "--read-only", "--config", replica, "--addr", "127.0.0.1:0")
	if got := searchAnswer(t, next); got.total != 17 {
		t.Errorf("replica on the next snapshot answers %d hits; want 17", got.total)
	}
}

// A read-only replica writes nothing: the admin API answers 403 read_only
// (whatever the token) and the snapshot directory (made read-only here, as
// on a read-only mount) is served as is.
func TestReadOnlyRefusesWrites(t *testing.T) {
	base := t.TempDir()
	live := filepath.Join(base, "live")
	snap := filepath.Join(base, "snap")
	writer := indexConfig(t, live)
	if code, out, stderr := runCmd(t, "import", "--config", writer, writeJSONL(t, "p", 3)); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "index", "snapshot", "--config", writer, snap); code != 0 {
		t.Fatalf("snapshot = %d\n%s%s", code, out, stderr)
	}
	readOnlyTree(t, snap)
	t.Setenv("CASEBOOK_ADMIN_TOKEN", "secret-token")
	r, _, _ := startCmd(t, servingURL, "serve", "--read-only", "--config", indexConfig(t, snap), "--addr", "127.0.0.1:0")
	if code := getJSON(t, r+"readyz", nil); code != http.StatusOK {
		t.Errorf("readyz = %d; want 200", code)
	}
	for _, test := range []struct{ method, path, body string }{
		{"POST", "api/v1/admin/crawls", `{"full":true}`},
		{"GET", "api/v1/admin/crawls", ""},
		{"GET", "api/v1/admin/sources", ""},
		{"POST", "api/v1/admin/snapshots", `{"name":"again"}`},
	} {
		req, _ := http.NewRequest(test.method, r+test.path, strings.NewReader(test.body))
		req.Header.Set("Authorization", "Bearer secret-token")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		err = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || err != nil || e.Error.Code != "read_only" || !strings.Contains(e.Error.Message, "writer") {
			t.Errorf("%s /%s on a replica = %d %+v (%v); want 403 read_only pointing to the writer", test.method, test.path, resp.StatusCode, e, err)
		}
	}
	if got := searchAnswer(t, r); got.total != 3 {
		t.Errorf("replica answers %d hits; want 3", got.total)
	}
	// The snapshot may not be written into; nor does the CLI pretend.
	// (bbolt's shared lock, held by every replica, keeps a writer out.)
	if code, _, stderr := runCmd(t, "import", "--config", indexConfig(t, snap), writeJSONL(t, "q", 1)); code != 1 || !strings.Contains(stderr, "in use") {
		t.Errorf("import into a served snapshot = exit %d %q; want 1, in use", code, stderr)
	}
}

// readOnlyTree takes the write permission away from dir and everything
// in it, and gives it back at the end of the test.
func readOnlyTree(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() == 0 {
		// root writes anyway; the replica must still not try.
		return
	}
	chmodTree(t, dir, 0o555, 0o444)
	t.Cleanup(func() { chmodTree(t, dir, 0o755, 0o644) })
}

func chmodTree(t *testing.T, dir string, dirMode, fileMode os.FileMode) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return os.Chmod(p, dirMode)
		}
		return os.Chmod(p, fileMode)
	})
	if err != nil {
		t.Fatal(err)
	}
}
