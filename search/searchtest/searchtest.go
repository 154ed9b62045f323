// Package searchtest builds a small real index of hand-written practices in
// English, French and German for the tests of search and search/server, and
// holds demo member sites mid-crawl for tests that need a crawl running
// (Gate).
//
// The practices (practices.jsonl) cover: one practice in three languages
// (Lisbon one-stop shop, a translation group), one in two (Düsseldorf
// housing), housing practices in French (logement) and English, cities
// written in local forms (Lisbonne, Lissabon, München, Genève, Wien), two
// networks, years from 2001 to 2020, and a hostile practice whose title and
// body carry <script>, </mark>, &lt;, and quotes.
package searchtest

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
)

//go:embed practices.jsonl
var practicesJSONL []byte

// Practices returns the raw practices (before normalisation).
func Practices() ([]indexer.Practice, error) {
	var out []indexer.Practice
	sc := bufio.NewScanner(bytes.NewReader(practicesJSONL))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var p indexer.Practice
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("practices.jsonl:%d: %w", n, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// Build opens a new index in dir and upserts every practice.
func Build(ctx context.Context, dir string) (*indexer.Index, error) {
	ps, err := Practices()
	if err != nil {
		return nil, err
	}
	ix, err := indexer.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	if err := ix.Upsert(ctx, ps); err != nil {
		ix.Close()
		return nil, fmt.Errorf("upsert: %w", err)
	}
	return ix, nil
}

// Index builds the index in a test's temporary directory, closed when the
// test ends.
func Index(t testing.TB) *indexer.Index {
	t.Helper()
	ix, err := Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// ID returns the id of the practice at url (as the indexer derives it).
func ID(url string) string { return indexer.IDForURL(url) }

// URL returns the test URL of slug in lang.
func URL(lang, slug string) string { return "https://example.org/" + lang + "/" + slug }

// Generated builds a real index of n generated practices (benchcorpus,
// seed) in a temporary directory, closed when the test ends.
func Generated(tb testing.TB, n int, seed int64) *indexer.Index {
	tb.Helper()
	seq, err := benchcorpus.Generate(n, seed)
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := indexer.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Upsert(context.Background(), slices.Collect(seq)); err != nil {
		tb.Fatal(err)
	}
	return ix
}
