package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
)

// engine searches the index of searchtest, built once for the package.
var (
	engine *search.Engine
	index  *indexer.Index
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "search-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	index, err = searchtest.Build(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer index.Close()
	engine = search.New(index)
	return m.Run()
}

// doSearch parses query as URL parameters and searches.
func doSearch(t *testing.T, query string) *search.Result {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatalf("bad test query %q: %v", query, err)
	}
	req, err := search.ParseRequest(v, "")
	if err != nil {
		t.Fatalf("ParseRequest(%q): %v", query, err)
	}
	res, err := engine.Search(t.Context(), req)
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatalf("Search(%q): result does not encode: %v", query, err)
	}
	return res
}

func ids(res *search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func id(lang, slug string) string { return searchtest.ID(searchtest.URL(lang, slug)) }
