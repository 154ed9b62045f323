package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// ids returns the sorted ids of every practice in ix.
func ids(t *testing.T, ix *Index) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1000, 0, false)
	res, err := ix.Bleve().SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatalf("search all: %v", err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func idsOf(ps []Practice) []string {
	var out []string
	for _, p := range ps {
		out = append(out, IDForURL(p.URL))
	}
	slices.Sort(out)
	return out
}

func assertNoSiblings(t *testing.T, dir string) {
	t.Helper()
	for _, s := range []string{nextSuffix, oldSuffix} {
		if _, err := os.Stat(dir + s); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still exists (err %v)", dir+s, err)
		}
	}
}

func TestRebuildSwapsInTheNewIndex(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := samplePractices()
	if err := ix.Upsert(ctx, ps[:2]); err != nil {
		t.Fatal(err)
	}
	err = ix.Rebuild(ctx, func(ctx context.Context, next *Index) error {
		if got := ids(t, next); len(got) != 0 {
			t.Errorf("the rebuilt index starts with %v; want empty", got)
		}
		// The served index is untouched while the new one fills.
		if got, want := ids(t, ix), idsOf(ps[:2]); !slices.Equal(got, want) {
			t.Errorf("served during rebuild: %v; want %v", got, want)
		}
		return next.Upsert(ctx, ps[1:])
	})
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if got, want := ids(t, ix), idsOf(ps[1:]); !slices.Equal(got, want) {
		t.Errorf("after rebuild: %v; want %v", got, want)
	}
	assertNoSiblings(t, dir)

	// The swapped-in index takes writes and keeps them across a reopen.
	if err := ix.Delete(ctx, []string{IDForURL(ps[2].URL)}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got, want := ids(t, ix), idsOf(ps[1:2]); !slices.Equal(got, want) {
		t.Errorf("after reopen: %v; want %v", got, want)
	}
	if _, err := ix.Get(ctx, IDForURL(ps[1].URL)); err != nil {
		t.Errorf("Get after reopen: %v", err)
	}
}

func TestRebuildFailureLeavesServedIndex(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ps := samplePractices()
	if err := ix.Upsert(ctx, ps); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("source down")
	err = ix.Rebuild(ctx, func(ctx context.Context, next *Index) error {
		if err := next.Upsert(ctx, ps[:1]); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Rebuild error = %v; want %v", err, boom)
	}
	if got, want := ids(t, ix), idsOf(ps); !slices.Equal(got, want) {
		t.Errorf("after failed rebuild: %v; want %v", got, want)
	}
	assertNoSiblings(t, dir)

	canceled, cancel := context.WithCancel(ctx)
	err = ix.Rebuild(canceled, func(ctx context.Context, next *Index) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled Rebuild error = %v; want context.Canceled", err)
	}
	if got, want := ids(t, ix), idsOf(ps); !slices.Equal(got, want) {
		t.Errorf("after canceled rebuild: %v; want %v", got, want)
	}
}

func TestRebuildOneAtATime(t *testing.T) {
	ix := openTemp(t)
	var inner error
	err := ix.Rebuild(t.Context(), func(ctx context.Context, next *Index) error {
		inner = ix.Rebuild(ctx, func(context.Context, *Index) error { return nil })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(inner, ErrRebuildRunning) {
		t.Errorf("second Rebuild: %v; want ErrRebuildRunning", inner)
	}
}

// TestSearchesDuringRebuild searches without pause while a rebuild runs and
// swaps: every search must answer, with the old or the new practices.
func TestSearchesDuringRebuild(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	ps := samplePractices()
	if err := ix.Upsert(ctx, ps[:2]); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var searches atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				req := bleve.NewSearchRequest(bleve.NewMatchAllQuery())
				res, err := ix.Bleve().SearchInContext(ctx, req)
				if err == nil && res.Total == 0 {
					err = errors.New("search answered no practice")
				}
				if err != nil {
					errs <- err
					return
				}
				searches.Add(1)
			}
		}()
	}
	for range 3 {
		err := ix.Rebuild(ctx, func(ctx context.Context, next *Index) error {
			return next.Upsert(ctx, ps)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("search during rebuild: %v", err)
	}
	if got, want := ids(t, ix), idsOf(ps); !slices.Equal(got, want) {
		t.Errorf("after rebuilds: %v; want %v", got, want)
	}
	t.Logf("%d searches answered during 3 rebuilds", searches.Load())
}

// makeIndex creates an index at dir holding ps and closes it. It builds
// the index elsewhere and renames it, so that Open does not repair the
// layout under construction.
func makeIndex(t *testing.T, dir string, ps []Practice) {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "build")
	ix, err := Open(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Upsert(t.Context(), ps); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		t.Fatal(err)
	}
}

// TestOpenRecoversInterruptedRebuild lays out on disk each state a process
// killed during Rebuild can leave, and opens it.
func TestOpenRecoversInterruptedRebuild(t *testing.T) {
	ps := samplePractices()
	served, rebuilt := ps[:2], ps[2:]
	tests := []struct {
		name   string
		layout func(t *testing.T, dir string)
		want   []Practice
	}{
		{"killed while filling", func(t *testing.T, dir string) {
			makeIndex(t, dir, served)
			makeIndex(t, dir+nextSuffix, rebuilt)
		}, served},
		{"killed while filling, next half written", func(t *testing.T, dir string) {
			makeIndex(t, dir, served)
			if err := os.MkdirAll(dir+nextSuffix, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir+nextSuffix, "root.bolt"), []byte("partial"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, served},
		{"killed between the renames", func(t *testing.T, dir string) {
			makeIndex(t, dir+oldSuffix, served)
			makeIndex(t, dir+nextSuffix, rebuilt)
		}, served},
		{"killed before removing the old index", func(t *testing.T, dir string) {
			makeIndex(t, dir+oldSuffix, served)
			makeIndex(t, dir, rebuilt)
		}, rebuilt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			tt.layout(t, dir)
			ix, err := Open(dir)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer ix.Close()
			if got, want := ids(t, ix), idsOf(tt.want); !slices.Equal(got, want) {
				t.Errorf("practices after recovery: %v; want %v", got, want)
			}
			assertNoSiblings(t, dir)
		})
	}
}
