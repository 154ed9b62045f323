package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// CountBy answers what the /metrics document gauges show: practices in
// total, per source and per language, with the values beyond the limit
// and the practices without a value counted apart.
func TestCountBy(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	ps := samplePractices() // icc en, icc fr, duesseldorf de
	ps = append(ps, Practice{URL: "https://nolang.example/p", Source: "icc", Title: "Sans langue", Body: "???"})
	if err := ix.Upsert(ctx, ps); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	for _, test := range []struct {
		name   string
		limit  int
		fields []string
		want   Tally
	}{
		{"total only", 10, nil, Tally{Total: 4, Fields: map[string]ValueCounts{}}},
		{"source and language", 10, []string{FieldSource, FieldLang}, Tally{Total: 4, Fields: map[string]ValueCounts{
			FieldSource: {Values: map[string]int{"icc": 3, "duesseldorf": 1}},
			FieldLang:   {Values: map[string]int{"en": 1, "fr": 1, "de": 1}, Missing: 1},
		}}},
		{"limit of one value", 1, []string{FieldSource}, Tally{Total: 4, Fields: map[string]ValueCounts{
			FieldSource: {Values: map[string]int{"icc": 3}, Other: 1},
		}}},
	} {
		got, err := ix.CountBy(ctx, test.limit, test.fields...)
		if err != nil {
			t.Errorf("%s: CountBy: %v", test.name, err)
			continue
		}
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("%s: CountBy (-want +got):\n%s", test.name, diff)
		}
	}
	ix.Close()
	if _, err := ix.CountBy(ctx, 10, FieldSource); !errors.Is(err, ErrClosed) {
		t.Errorf("CountBy on a closed index = %v; want ErrClosed", err)
	}
}

// Rebuild on a replica's read-only index is refused before anything is
// created: no fill, no <dir>.next, neither beside the snapshot nor in the
// working directory, and the snapshot still answers.
func TestRebuildReadOnly(t *testing.T) {
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
	ro, err := OpenReadOnly(snap)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer ro.Close()
	t.Chdir(t.TempDir())
	before := listTree(t, base)
	called := false
	err = ro.Rebuild(ctx, func(ctx context.Context, next *Index) error { called = true; return nil })
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("Rebuild on a read-only index = %v; want ErrReadOnly", err)
	}
	if called {
		t.Error("Rebuild called fill on a read-only index")
	}
	if after := listTree(t, base); !equalStrings(after, before) {
		t.Errorf("Rebuild changed the files:\nbefore %v\nafter  %v", before, after)
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("Rebuild left %d entries in the working directory", len(entries))
	}
	if n, err := ro.Count(ctx); err != nil || n != 3 {
		t.Errorf("snapshot after the refused rebuild: Count = %d, %v; want 3", n, err)
	}
}
