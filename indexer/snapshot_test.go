package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func manyPractices(prefix string, n int) []Practice {
	var ps []Practice
	for i := range n {
		ps = append(ps, Practice{URL: "https://site.example/" + prefix + "/" + itoa(i), Title: "Practice " + prefix + " " + itoa(i), Lang: "en"})
	}
	return ps
}

// TestSnapshotWhileWriting: a snapshot taken while another goroutine keeps
// importing holds exactly the practices of one moment, opens with Open and
// OpenReadOnly, and the live index goes on unchanged.
func TestSnapshotWhileWriting(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	first := manyPractices("a", 450)
	if err := ix.Upsert(ctx, first); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	var werr error
	go func() {
		defer wg.Done()
		for i := range 5 {
			if err := ix.Upsert(ctx, manyPractices("b"+itoa(i), 100)); err != nil {
				werr = err
				return
			}
		}
	}()
	dest := filepath.Join(t.TempDir(), "snap")
	info, err := ix.Snapshot(ctx, dest)
	wg.Wait()
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if werr != nil {
		t.Fatalf("Upsert during snapshot: %v", werr)
	}
	// The snapshot holds the first import and some of the later imports
	// (one batch each), never part of one.
	if info.Docs < 450 || info.Docs > 950 || (info.Docs-450)%100 != 0 {
		t.Errorf("snapshot holds %d practices; want 450 plus whole batches of at most 500", info.Docs)
	}
	if _, err := os.Stat(dest + snapshotTmpSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left behind: %v", dest+snapshotTmpSuffix, err)
	}
	if n, _ := ix.Count(ctx); n != 950 {
		t.Errorf("live index holds %d practices; want 950", n)
	}
	ro, err := OpenReadOnly(dest)
	if err != nil {
		t.Fatalf("OpenReadOnly(snapshot): %v", err)
	}
	if n, err := ro.Count(ctx); err != nil || n != info.Docs {
		t.Errorf("read-only snapshot Count = %d, %v; want %d", n, err, info.Docs)
	}
	ro.Close()
	rep, err := Check(ctx, dest)
	if err != nil || !rep.OK() {
		t.Errorf("Check(snapshot) = %+v, %v; want ok", rep, err)
	}
	w, err := Open(dest)
	if err != nil {
		t.Fatalf("Open(snapshot) for writing: %v", err)
	}
	if err := w.Upsert(ctx, manyPractices("c", 1)); err != nil {
		t.Errorf("Upsert into an opened snapshot: %v", err)
	}
	w.Close()
}

func TestSnapshotDestination(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	if err := ix.Upsert(ctx, samplePractices()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	base := t.TempDir()
	empty := filepath.Join(base, "empty")
	full := filepath.Join(base, "full")
	file := filepath.Join(base, "file")
	for _, d := range []string{empty, full} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeFile(filepath.Join(full, "x"), "x"); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(file, "x"); err != nil {
		t.Fatal(err)
	}
	// A leftover of a killed snapshot is replaced.
	if err := os.MkdirAll(filepath.Join(base, "new.tmp", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		dest    string
		wantErr error
	}{
		{filepath.Join(base, "new"), nil},
		{empty, nil},
		{full, ErrSnapshotDest},
		{file, ErrSnapshotDest},
		{ix.Dir(), ErrSnapshotDest},
		{filepath.Join(ix.Dir(), "store", "snap"), ErrSnapshotDest},
	} {
		info, err := ix.Snapshot(ctx, test.dest)
		if !errors.Is(err, test.wantErr) {
			t.Errorf("Snapshot(%s) = %v; want %v", test.dest, err, test.wantErr)
			continue
		}
		if err == nil && info.Docs != 3 {
			t.Errorf("Snapshot(%s) holds %d practices; want 3", test.dest, info.Docs)
		}
	}
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("live index holds %d practices after refused snapshots; want 3", n)
	}
}
