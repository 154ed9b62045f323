package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

type snapshotJSON struct {
	Name, Dir string
	Documents uint64
	Bytes     int64
}

// listing is what a visitor finds browsing every practice.
type listing struct {
	Total int
	IDs   []string
}

func browse(t *testing.T, base string) listing {
	t.Helper()
	res, err := http.Get(base + "/api/v1/search?size=100&sort=oldest")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		Total int
		Hits  []struct{ ID string }
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || res.StatusCode != 200 {
		t.Fatalf("browse %s: %d %v", base, res.StatusCode, err)
	}
	l := listing{Total: r.Total}
	for _, h := range r.Hits {
		l.IDs = append(l.IDs, h.ID)
	}
	slices.Sort(l.IDs)
	return l
}

// serveReadOnly serves the snapshot in dir as a replica does.
func serveReadOnly(t *testing.T, dir string, token string) string {
	t.Helper()
	ro, err := indexer.OpenReadOnly(dir)
	if err != nil {
		t.Fatalf("OpenReadOnly(%s): %v", dir, err)
	}
	t.Cleanup(func() { ro.Close() })
	s, err := server.New(server.Config{Engine: search.New(ro), Index: ro, AdminToken: token,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// A snapshot taken through the admin API while a crawl is writing opens
// read-only and answers what the writer answers; the name is checked, an
// existing snapshot is never overwritten.
func TestAdminSnapshotWhileCrawling(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	res, body := f.admin(t, http.MethodPost, "/api/v1/admin/crawls", "")
	first := jsonOf[jobJSON](t, body)
	if res.StatusCode != 202 {
		t.Fatalf("first crawl: %d %s", res.StatusCode, body)
	}
	if _, err := f.jobs.Wait(t.Context(), first.ID); err != nil {
		t.Fatal(err)
	}
	want := browse(t, f.url)
	if want.Total == 0 {
		t.Fatal("nothing indexed by the first crawl")
	}

	// A full recrawl of icc, held mid-way: it has written part of its pages.
	f.gate.ShutAfter(6)
	res, body = f.admin(t, http.MethodPost, "/api/v1/admin/crawls", `{"sources": ["icc"], "full": true}`)
	held := jsonOf[jobJSON](t, body)
	if res.StatusCode != 202 {
		t.Fatalf("held crawl: %d %s", res.StatusCode, body)
	}
	<-f.gate.Blocked()

	res, body = f.admin(t, http.MethodPost, "/api/v1/admin/snapshots", `{"name": "2026-11-23"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("snapshot while crawling: %d %s; want 201", res.StatusCode, body)
	}
	snap := jsonOf[snapshotJSON](t, body)
	wantDir := filepath.Join(f.snapshots, "2026-11-23")
	if snap.Name != "2026-11-23" || snap.Dir != wantDir || snap.Documents == 0 || snap.Bytes <= 0 {
		t.Errorf("snapshot answer %+v; want name 2026-11-23, dir %s, documents and bytes", snap, wantDir)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q; want no-store", got)
	}

	// The crawl goes on and ends normally.
	res, _ = f.admin(t, http.MethodDelete, "/api/v1/admin/crawls/"+held.ID, "")
	if res.StatusCode != 202 {
		t.Errorf("cancel the held crawl: %d", res.StatusCode)
	}
	if _, err := f.jobs.Wait(t.Context(), held.ID); err != nil {
		t.Fatal(err)
	}

	replica := serveReadOnly(t, snap.Dir, "")
	if got := browse(t, replica); got.Total != want.Total || !slices.Equal(got.IDs, want.IDs) {
		t.Errorf("replica on the snapshot answers %+v; want what the writer answered %+v", got, want)
	}
	if got := browse(t, f.url); got.Total != want.Total || !slices.Equal(got.IDs, want.IDs) {
		t.Errorf("writer after the snapshot answers %+v; want %+v", got, want)
	}

	res, body = f.admin(t, http.MethodPost, "/api/v1/admin/snapshots", `{"name": "2026-11-23"}`)
	if e := jsonOf[errorBody](t, body); res.StatusCode != 409 || e.Error.Code != "snapshot_exists" {
		t.Errorf("same name again: %d %s; want 409 snapshot_exists", res.StatusCode, body)
	}
	if got := browse(t, serveReadOnly(t, snap.Dir, "")); got.Total != want.Total {
		t.Errorf("the refused second snapshot changed the first: %d practices; want %d", got.Total, want.Total)
	}
	entries, err := os.ReadDir(f.snapshots)
	if err != nil || len(entries) != 1 || entries[0].Name() != "2026-11-23" {
		t.Errorf("snapshot directory holds %v (%v); want only 2026-11-23", entries, err)
	}
}

func TestAdminSnapshotBadRequests(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	if err := os.MkdirAll(filepath.Join(f.snapshots, "taken"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("taken", filepath.Join(f.snapshots, "current")); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name, body string
		want       int
		code       string
		param      string
	}{
		{"no body", "", 400, "invalid_parameter", "name"},
		{"empty name", `{"name": ""}`, 400, "invalid_parameter", "name"},
		{"not JSON", `{name: x}`, 400, "invalid_body", ""},
		{"unknown field", `{"dir": "/tmp/x"}`, 400, "invalid_body", ""},
		{"a path", `{"name": "../escape"}`, 400, "invalid_parameter", "name"},
		{"absolute path", `{"name": "/etc/x"}`, 400, "invalid_parameter", "name"},
		{"dot dot", `{"name": ".."}`, 400, "invalid_parameter", "name"},
		{"dot", `{"name": "."}`, 400, "invalid_parameter", "name"},
		{"hidden", `{"name": ".x"}`, 400, "invalid_parameter", "name"},
		{"double dot inside", `{"name": "a..b"}`, 400, "invalid_parameter", "name"},
		{"space", `{"name": "a b"}`, 400, "invalid_parameter", "name"},
		{"tmp suffix", `{"name": "x.tmp"}`, 400, "invalid_parameter", "name"},
		{"65 characters", `{"name": "` + strings.Repeat("a", 65) + `"}`, 400, "invalid_parameter", "name"},
		{"existing directory", `{"name": "taken"}`, 409, "snapshot_exists", ""},
		{"existing symlink", `{"name": "current"}`, 409, "snapshot_exists", ""},
		{"body over 1 MiB", `{"name": "` + strings.Repeat("a", server.MaxAdminBody) + `"}`, 413, "too_large", ""},
	} {
		t.Run(test.name, func(t *testing.T) {
			res, body := f.admin(t, http.MethodPost, "/api/v1/admin/snapshots", test.body)
			e := jsonOf[errorBody](t, body)
			if res.StatusCode != test.want || e.Error.Code != test.code || e.Error.Param != test.param || e.Error.Message == "" {
				t.Errorf("%d %s; want %d %s param %q", res.StatusCode, body, test.want, test.code, test.param)
			}
		})
	}
	entries, _ := os.ReadDir(f.snapshots)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"current", "taken"}) {
		t.Errorf("refused snapshots left %v; want only current and taken", names)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(f.snapshots), "escape")); !os.IsNotExist(err) {
		t.Errorf("../escape was written outside the snapshot directory: %v", err)
	}
}

// Without server.snapshot_dir the endpoint says how to enable it; a
// replica refuses every admin request with read_only, whatever the token.
func TestAdminSnapshotRefused(t *testing.T) {
	off := newAdmFixtureSnapshots(t, "", adminToken)
	res, body := off.admin(t, http.MethodPost, "/api/v1/admin/snapshots", `{"name": "x"}`)
	if e := jsonOf[errorBody](t, body); res.StatusCode != 403 || e.Error.Code != "snapshots_disabled" || !strings.Contains(e.Error.Message, "server.snapshot_dir") {
		t.Errorf("snapshots disabled: %d %s; want 403 snapshots_disabled naming server.snapshot_dir", res.StatusCode, body)
	}

	live := newAdmFixture(t, adminToken)
	snap := filepath.Join(t.TempDir(), "snap")
	if _, err := live.ix.Snapshot(t.Context(), snap); err != nil {
		t.Fatal(err)
	}
	replica := serveReadOnly(t, snap, adminToken)
	for _, op := range [][3]string{
		{"POST", "/api/v1/admin/snapshots", `{"name": "x"}`}, {"POST", "/api/v1/admin/crawls", ""}, {"GET", "/api/v1/admin/crawls", ""},
		{"GET", "/api/v1/admin/sources", ""}, {"GET", "/api/v1/admin/crawls/x", ""},
	} {
		for _, auth := range [][]string{{"Authorization", "Bearer " + adminToken}, nil} {
			f := &admFixture{url: replica}
			res, body := f.do(t, op[0], op[1], op[2], auth...)
			if e := jsonOf[errorBody](t, body); res.StatusCode != 403 || e.Error.Code != "read_only" {
				t.Errorf("%s %s on a replica (auth %v): %d %s; want 403 read_only", op[0], op[1], auth != nil, res.StatusCode, body)
			}
		}
	}
}
