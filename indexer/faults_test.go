package indexer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// faultPractices returns n practices with distinct URLs.
func faultPractices(n int, title string) []Practice {
	base := samplePractices()
	ps := make([]Practice, n)
	for i := range ps {
		p := base[i%len(base)]
		p.URL = fmt.Sprintf("https://faults.example/practice/%d", i)
		p.Title = fmt.Sprintf("%s %d", title, i)
		p.Translations = nil
		ps[i] = p
	}
	return ps
}

// buildFaultIndex writes 250 practices in five batches and rewrites the
// first 50 with a new title, so that the index has several segments and
// old copies of updated practices; it returns the directory and the ids.
func buildFaultIndex(t *testing.T) (string, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := faultPractices(250, "Practice")
	for chunk := range slices.Chunk(ps, 50) {
		if err := ix.Upsert(t.Context(), chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Upsert(t.Context(), faultPractices(50, "Updated")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, idsOf(ps)
}

// zapFiles returns the segment files the index in dir uses, the largest
// (oldest) first.
func zapFiles(t *testing.T, dir string) []string {
	t.Helper()
	live, err := liveSegments(filepath.Join(dir, storeDir, rootBolt))
	if err != nil || len(live) < 2 {
		t.Fatalf("segments of %s: %v, %v; want two or more", dir, live, err)
	}
	var m []string
	for f := range live {
		m = append(m, filepath.Join(dir, storeDir, f))
	}
	slices.Sort(m)
	return m
}

func garble(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 64; i < len(b)-64; i += 7 {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func truncateHalf(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
}

// damages are the ways a test breaks an index directory. all says whether
// every practice can still be recovered, none whether none can.
var damages = []struct {
	name      string
	damage    func(t *testing.T, dir string)
	all, none bool
}{
	{"root.bolt truncated", func(t *testing.T, dir string) {
		// Three pages: short of the pages any index uses (bbolt grows the
		// file ahead, so cutting its unused tail would do no harm).
		if err := os.Truncate(filepath.Join(dir, storeDir, rootBolt), 3*4096); err != nil {
			t.Fatal(err)
		}
	}, true, false},
	{"root.bolt garbled", func(t *testing.T, dir string) { garble(t, filepath.Join(dir, storeDir, rootBolt)) }, true, false},
	{"root.bolt deleted", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, storeDir, rootBolt)) }, true, false},
	{"index_meta.json deleted", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, metaFile)) }, true, false},
	{"index_meta.json garbled", func(t *testing.T, dir string) { os.WriteFile(filepath.Join(dir, metaFile), []byte("{garb"), 0o644) }, true, false},
	{"one segment truncated", func(t *testing.T, dir string) { truncateHalf(t, zapFiles(t, dir)[0]) }, false, false},
	{"one segment garbled", func(t *testing.T, dir string) { garble(t, zapFiles(t, dir)[0]) }, false, false},
	{"one segment deleted", func(t *testing.T, dir string) { os.Remove(zapFiles(t, dir)[0]) }, false, false},
	{"every segment garbled", func(t *testing.T, dir string) {
		for _, z := range zapFiles(t, dir) {
			garble(t, z)
		}
	}, false, true},
	{"every segment emptied", func(t *testing.T, dir string) {
		for _, z := range zapFiles(t, dir) {
			os.Truncate(z, 0)
		}
	}, false, true},
}

// TestDamagedIndex breaks an index in each way an operator may meet and
// checks the three things they would see: Open fails with one clear line
// naming the directory (no panic, no empty index served), Check names a
// problem, and Recover brings back every practice that can still be read,
// with the latest version of updated ones, or says nothing can be.
func TestDamagedIndex(t *testing.T) {
	for _, test := range damages {
		t.Run(test.name, func(t *testing.T) {
			ctx := t.Context()
			dir, want := buildFaultIndex(t)
			test.damage(t, dir)
			files := listFiles(t, dir)

			_, err := Open(dir)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open: %v; want an error wrapping ErrCorrupt", err)
			}
			if msg := err.Error(); !strings.Contains(msg, dir) || strings.Contains(msg, "\n") {
				t.Errorf("Open error %q: want one line naming %s", msg, dir)
			}
			if got := listFiles(t, dir); !slices.Equal(got, files) {
				t.Errorf("a failed Open changed the files: %v; want %v", got, files)
			}

			r, err := Check(ctx, dir)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if r.OK() {
				t.Errorf("Check of a damaged index: ok (%+v); want a problem", r)
			}

			rr, err := Recover(ctx, dir)
			if test.none {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Recover: %v, %+v; want ErrCorrupt (nothing readable)", err, rr)
				}
				if got := listFiles(t, dir); !slices.Equal(got, files) {
					t.Errorf("a failed Recover changed the files: %v; want %v", got, files)
				}
				return
			}
			if err != nil {
				t.Fatalf("Recover: %v", err)
			}
			t.Logf("recovered %d of %d through %s, notes %q", rr.Recovered, len(want), rr.Method, rr.Notes)
			if rr.Kept == "" || !exists(rr.Kept) {
				t.Errorf("damaged index not kept (Kept %q)", rr.Kept)
			}
			ix, err := Open(dir)
			if err != nil {
				t.Fatalf("Open after Recover: %v", err)
			}
			defer ix.Close()
			got := ids(t, ix)
			if len(got) != rr.Recovered {
				t.Errorf("index holds %d practices; Recover reported %d", len(got), rr.Recovered)
			}
			if test.all && !slices.Equal(got, want) {
				t.Errorf("recovered %d practices; want all %d", len(got), len(want))
			}
			if !test.all && (len(got) == 0 || len(got) >= len(want)) {
				t.Errorf("recovered %d practices; want some of %d, not all", len(got), len(want))
			}
			for _, id := range got {
				if !slices.Contains(want, id) {
					t.Errorf("recovered unknown practice %s", id)
				}
			}
			// An updated practice comes back in its latest version.
			if p, err := ix.Get(ctx, IDForURL("https://faults.example/practice/0")); err == nil && p.Title != "Updated 0" {
				t.Errorf("practice 0 came back as %q; want the update %q", p.Title, "Updated 0")
			}
			ix.Close()
			if r, err := Check(ctx, dir); err != nil || !r.OK() {
				t.Errorf("Check after Recover: %+v, %v", r, err)
			}
		})
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, strings.TrimPrefix(p, dir))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCheckHealthyIndex(t *testing.T) {
	dir, want := buildFaultIndex(t)
	r, err := Check(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Docs != uint64(len(want)) || r.Read != len(want) || r.Bad != 0 {
		t.Errorf("Check = %+v; want ok with %d documents", r, len(want))
	}
	// Check changes nothing and lets go of the index.
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open after Check: %v", err)
	}
	defer ix.Close()
	if _, err := Check(t.Context(), dir); !errors.Is(err, ErrLocked) {
		t.Errorf("Check of an open index: %v; want ErrLocked", err)
	}
	if _, err := Recover(t.Context(), dir); !errors.Is(err, ErrLocked) {
		t.Errorf("Recover of an open index: %v; want ErrLocked", err)
	}
}

// TestRecoverDropsUnreadablePractice stores one practice whose stored
// document is garbage: Check names it, Recover keeps every other practice
// and reports it lost.
func TestRecoverDropsUnreadablePractice(t *testing.T) {
	ctx := t.Context()
	dir, want := buildFaultIndex(t)
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	bad := want[3]
	if err := ix.live.Index(bad, map[string]interface{}{FieldDoc: "\x01not deflate", FieldSource: "icc"}); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	r, err := Check(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || r.Bad != 1 || len(r.BadIDs) != 1 || !strings.HasPrefix(r.BadIDs[0], bad) {
		t.Errorf("Check = %+v; want one unreadable practice %s", r, bad)
	}
	rr, err := Recover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Method != "bleve" || rr.Lost != 1 || rr.Recovered != len(want)-1 || rr.Kept == "" {
		t.Errorf("Recover = %+v; want %d recovered through bleve, 1 lost, damaged copy kept", rr, len(want)-1)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := ids(t, ix); len(got) != len(want)-1 || slices.Contains(got, bad) {
		t.Errorf("after Recover: %d practices (bad one present: %v); want %d", len(got), slices.Contains(got, bad), len(want)-1)
	}
}

// TestRecoverHealthyIndex: a rebuild of a healthy index keeps every
// practice with its fetch state, and removes the old copy.
func TestRecoverHealthyIndex(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ix.Begin(ctx, "icc")
	if err != nil {
		t.Fatal(err)
	}
	p := samplePractices()[0]
	st := FetchState{URL: p.URL, ETag: `"v1"`}
	if _, err := s.Put(ctx, p, st); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Finish(ctx, true); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	rr, err := Recover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Recovered != 1 || rr.Lost != 0 || rr.Kept != "" {
		t.Errorf("Recover = %+v; want 1 recovered, nothing kept", rr)
	}
	assertNoSiblings(t, dir)
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	s, err = ix.Begin(ctx, "icc")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Known(p.URL); !ok || got.ETag != st.ETag {
		t.Errorf("fetch state after Recover: %+v, %v; want ETag %s", got, ok, st.ETag)
	}
}
