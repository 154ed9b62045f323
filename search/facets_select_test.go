package search_test

import (
	"maps"
	"net/url"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/search"
)

// A search that names the facets to count answers exactly those, with the
// counts and hits of the search that counts every facet — from the
// in-memory copy and from Bleve, with and without filters of their own.
func TestSearchCountsNamedFacets(t *testing.T) {
	c := relLoadCorpus(t)
	ix, _ := relDemoIndex(t, c)
	ctx := t.Context()
	mem := search.New(ix)
	if err := mem.Warm(ctx); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	bl := search.New(ix)
	bl.DisableMemIndex()

	for _, eng := range []struct {
		name string
		e    *search.Engine
	}{{"memory", mem}, {"Bleve", bl}} {
		for _, test := range []struct {
			query  string
			facets string
			want   []string
		}{
			{"q=integration", "city,theme,lang", []string{"city", "lang", "theme"}},
			{"q=integration&country=DE&year_from=2010", "country,year", []string{"country", "year"}},
			{"q=integration&country=DE&lang=de", "city", []string{"city"}},
			{"", "network", []string{"network"}},
			{"q=housing&theme=housing-urban", "none", []string{}},
		} {
			v, _ := url.ParseQuery(test.query)
			full, err := search.ParseRequest(v, "")
			if err != nil {
				t.Fatal(err)
			}
			v.Set("facets", test.facets)
			some, err := search.ParseRequest(v, "")
			if err != nil {
				t.Fatal(err)
			}
			// Named first, so that a cached answer of one cannot stand in
			// for the other.
			got, err := eng.e.Search(ctx, some)
			if err != nil {
				t.Fatalf("%s %s facets=%s: %v", eng.name, test.query, test.facets, err)
			}
			all, err := eng.e.Search(ctx, full)
			if err != nil {
				t.Fatalf("%s %s: %v", eng.name, test.query, err)
			}
			if keys := slices.Sorted(maps.Keys(all.Facets)); len(keys) != len(search.Facets) {
				t.Errorf("%s %s without facets=: facets %v; want all %d", eng.name, test.query, keys, len(search.Facets))
			}
			if keys := slices.Sorted(maps.Keys(got.Facets)); !slices.Equal(keys, test.want) {
				t.Errorf("%s %s facets=%s: facets %v; want %v", eng.name, test.query, test.facets, keys, test.want)
			}
			for _, f := range test.want {
				if diff := cmp.Diff(all.Facets[f], got.Facets[f]); diff != "" {
					t.Errorf("%s %s facets=%s: %s counts differ from the full answer (-all +named):\n%s", eng.name, test.query, test.facets, f, diff)
				}
			}
			if got.Total != all.Total || len(got.Hits) != len(all.Hits) {
				t.Errorf("%s %s facets=%s: %d hits of %d; the full answer %d of %d", eng.name, test.query, test.facets, len(got.Hits), got.Total, len(all.Hits), all.Total)
				continue
			}
			for i := range got.Hits {
				if got.Hits[i].ID != all.Hits[i].ID {
					t.Errorf("%s %s facets=%s: hit %d is %s; the full answer's is %s", eng.name, test.query, test.facets, i, got.Hits[i].ID, all.Hits[i].ID)
				}
			}
		}
	}
}
