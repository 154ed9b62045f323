package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenReadOnlyShared: several read-only opens of one snapshot, in one
// process, all answer; every write is refused; nothing is written into or
// beside the directory.
func TestOpenReadOnlyShared(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	if err := ix.Upsert(ctx, samplePractices()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	base := t.TempDir()
	snap := filepath.Join(base, "snap")
	if _, err := ix.Snapshot(ctx, snap); err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	before := listTree(t, base)
	var ros []*Index
	for range 2 {
		ro, err := OpenReadOnly(snap)
		if err != nil {
			t.Fatalf("OpenReadOnly: %v", err)
		}
		ros = append(ros, ro)
	}
	for i, ro := range ros {
		if !ro.ReadOnly() {
			t.Errorf("replica %d: ReadOnly() = false", i)
		}
		if n, err := ro.Count(ctx); err != nil || n != 3 {
			t.Errorf("replica %d: Count = %d, %v; want 3", i, n, err)
		}
		if err := ro.Upsert(ctx, manyPractices("x", 1)); !errors.Is(err, ErrReadOnly) {
			t.Errorf("replica %d: Upsert = %v; want ErrReadOnly", i, err)
		}
		if err := ro.Delete(ctx, []string{"whatever"}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("replica %d: Delete = %v; want ErrReadOnly", i, err)
		}
	}
	for _, ro := range ros {
		if err := ro.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if after := listTree(t, base); !equalStrings(after, before) {
		t.Errorf("read-only opens changed the files:\nbefore %v\nafter  %v", before, after)
	}
	if ix.ReadOnly() {
		t.Errorf("writable index: ReadOnly() = true")
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "none")
	_, err := OpenReadOnly(dir)
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("OpenReadOnly(missing) = %v; want ErrCorrupt", err)
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", dir)
	}
}

func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p+" "+fi.Mode().String()+" "+itoa(int(fi.Size())))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
