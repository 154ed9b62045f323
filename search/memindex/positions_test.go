package memindex_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// textFields are the analysed fields of a practice index.
func textFields() memindex.Fields {
	var f memindex.Fields
	for _, lang := range indexer.TextLangs {
		for _, kind := range indexer.TextKinds {
			f.Text = append(f.Text, indexer.TextField(kind, lang))
		}
	}
	f.Keywords = []string{indexer.FieldCity, indexer.FieldLang}
	f.Year, f.Date, f.Group = indexer.FieldYear, indexer.FieldDate, indexer.FieldGroup
	return f
}

// TestStoredPositionsEqualTermVectors writes the same practices, in the
// same batches, into an index that keeps Bleve term vectors (as indexes
// created before FieldPositions do) and one that stores positions
// instead (as every index created now), and builds each one's in-memory
// copy. Every posting — documents, positions — and every norm must be the
// same. The indexes have several segments, replaced and deleted
// practices, German compounds (many terms at one position) and practices
// in a language without an analyzer.
func TestStoredPositionsEqualTermVectors(t *testing.T) {
	ps := practices(t, 600)
	fromVectors := buildCopy(t, ps, true)
	fromStored := buildCopy(t, ps, false)
	if got, want := fromStored.Len(), fromVectors.Len(); got != want || got != len(ps)-20 {
		t.Fatalf("copies hold %d and %d practices, want %d", got, want, len(ps)-20)
	}
	vp, vn := memindex.DumpText(fromVectors)
	sp, sn := memindex.DumpText(fromStored)
	terms, positions := 0, 0
	for field, want := range vp {
		got := sp[field]
		if len(got) != len(want) {
			t.Errorf("%s: %d terms from stored positions, %d from term vectors", field, len(got), len(want))
		}
		for term, w := range want {
			terms++
			for _, p := range w {
				positions += len(p)
			}
			if g := got[term]; !reflect.DeepEqual(g, w) {
				t.Errorf("%s:%s differs\n  stored  %v\n  vectors %v", field, term, g, w)
			}
		}
	}
	if !reflect.DeepEqual(sn, vn) {
		t.Errorf("norms differ between stored positions and term vectors")
	}
	if terms < 5000 || positions < 100000 {
		t.Errorf("compared %d terms and %d positions; the corpus is too small to mean much", terms, positions)
	}
	t.Logf("compared %d terms, %d positions", terms, positions)
}

// buildCopy writes ps into a new index, with or without term vectors, in
// batches of 150 (a segment each), replaces 30 practices' text, deletes
// 20 practices and builds the in-memory copy.
func buildCopy(t *testing.T, ps []indexer.Practice, vectors bool) *memindex.Index {
	t.Helper()
	ctx := t.Context()
	defer func(keep bool) { indexer.KeepTermVectors = keep }(indexer.KeepTermVectors)
	indexer.KeepTermVectors = vectors
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer ix.Close()
	if ix.TermVectors() != vectors {
		t.Fatalf("TermVectors() = %v, want %v", ix.TermVectors(), vectors)
	}
	for i := 0; i < len(ps); i += 150 {
		if err := ix.Upsert(ctx, ps[i:min(i+150, len(ps))]); err != nil {
			t.Fatalf("Upsert: %v", err)
		}
	}
	changed := slices.Clone(ps[10:40])
	for i := range changed {
		changed[i].Body = ps[len(ps)-1-i].Body
		changed[i].Lang = ps[len(ps)-1-i].Lang
	}
	if err := ix.Upsert(ctx, changed); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	var gone []string
	for _, p := range ps[100:120] {
		gone = append(gone, indexer.IDForURL(p.URL))
	}
	if err := ix.Delete(ctx, gone); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	return copyOf(t, ix)
}

// copyOf builds the in-memory copy of ix, reading stored positions.
func copyOf(t *testing.T, ix *indexer.Index) *memindex.Index {
	t.Helper()
	ctx := t.Context()
	f := textFields()
	f.Positions = indexer.VisitPositions
	var m *memindex.Index
	err := ix.Read(ctx, func(r index.IndexReader, gen uint64) error {
		var err error
		m, err = memindex.Build(ctx, r, gen, f)
		return err
	})
	if err != nil {
		t.Fatalf("Build (term vectors %v): %v", ix.TermVectors(), err)
	}
	return m
}

// TestStoredPositionsWithoutTermVectors: an index created now keeps no term
// vectors, and its copy still has every position a phrase needs.
func TestStoredPositionsWithoutTermVectors(t *testing.T) {
	ctx := t.Context()
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer ix.Close()
	if ix.TermVectors() {
		t.Fatalf("a new index keeps term vectors")
	}
	p := indexer.Practice{
		URL: "https://example.org/de/stadtteilmuetter", Title: "Stadtteilmütter in Berlin-Neukölln",
		Body: "Die Stadtteilmütter besuchen Familien. Stadtteilmütter sprechen viele Sprachen.",
		Lang: "de", Cities: []string{"Berlin"}, Country: "DE",
	}
	if err := ix.Upsert(ctx, []indexer.Practice{p}); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	posts, _ := memindex.DumpText(copyOf(t, ix))
	body := posts[indexer.TextField(indexer.KindBody, "de")]
	id := indexer.IDForURL(p.URL)
	for term, want := range map[string][]uint16{
		"stadtteilmutt": {2, 5}, // the compound and its parts share a position
		"stadt":         {2, 5},
		"mutt":          {2, 5},
		"famili":        {4},
	} {
		if got := body[term]; len(got) != 1 || !slices.Equal(got[id], want) {
			t.Errorf("body_de:%s positions %v, want %v in %s", term, got, want, id)
		}
	}
}

func practices(t *testing.T, n int) []indexer.Practice {
	t.Helper()
	seq, err := benchcorpus.Generate(n, 7)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	var out []indexer.Practice
	for p := range seq {
		out = append(out, p)
	}
	for i := 0; i < len(out); i += 50 { // a few practices in a language without analyzer
		out[i].Lang = "pt"
	}
	return out
}

// TestStoredPositionsDamaged: stored positions that are cut short, of an
// unknown version, of another practice or missing make Build fail with
// ErrUnsupported — the engine then searches with Bleve — never panic or
// build a copy with wrong positions.
func TestStoredPositionsDamaged(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer ix.Close()
	if err := ix.Upsert(t.Context(), practices(t, 40)); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	type visitFn = func(internal uint64, id string, blob []byte) error
	for _, tc := range []struct {
		name   string
		damage func(n int, id string, blob []byte, fn visitFn, internal uint64) error
	}{
		{"cut short", func(n int, id string, blob []byte, fn visitFn, in uint64) error {
			if n == 7 {
				blob = blob[:len(blob)/2]
			}
			return fn(in, id, blob)
		}},
		{"unknown version", func(n int, id string, blob []byte, fn visitFn, in uint64) error {
			if n == 3 {
				blob = append([]byte{0x7f}, blob[1:]...)
			}
			return fn(in, id, blob)
		}},
		{"another practice's", func(n int, id string, blob []byte, fn visitFn, in uint64) error {
			if n == 5 {
				id = "not-" + id
			}
			return fn(in, id, blob)
		}},
		{"missing", func(n int, id string, blob []byte, fn visitFn, in uint64) error {
			if n == 11 {
				return nil
			}
			return fn(in, id, blob)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := textFields()
			f.Positions = func(ctx context.Context, r index.IndexReader, fn visitFn) error {
				n := 0
				return indexer.VisitPositions(ctx, r, func(in uint64, id string, blob []byte) error {
					n++
					return tc.damage(n, id, slices.Clone(blob), fn, in)
				})
			}
			err := ix.Read(t.Context(), func(r index.IndexReader, gen uint64) error {
				_, err := memindex.Build(t.Context(), r, gen, f)
				return err
			})
			if !errors.Is(err, memindex.ErrUnsupported) {
				t.Errorf("Build = %v, want an error wrapping ErrUnsupported", err)
			}
		})
	}
}
