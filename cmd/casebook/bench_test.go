package main

import (
	"context"
	"log/slog"
	"net/url"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// benchQueries mixes the journeys of DESIGN.md: short and long words in three
// languages, typos, a phrase, an exclusion, filters and facet browsing.
var benchQueries = []string{
	"q=Wohnen+Geflüchtete&ui=de",
	"q=Lissabon",
	"q=intégration+des+réfugiés&ui=fr",
	"q=intergation",
	"q=housing&city=Lisbon&city=Paris",
	`q="anti-rumour"`,
	"q=youth+-sport&lang=en",
	"q=Nachbarschaft",
	"theme=refugees&ui=de",
	"",
}

// BenchmarkDemoSearch measures in-process search (query, six disjunctive
// facets, highlights, translation grouping) over the crawled demo corpus.
func BenchmarkDemoSearch(b *testing.B) {
	ctx := context.Background()
	sites, err := demo.Start(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer sites.Close()
	ix, err := indexer.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	if _, err := recrawl.Run(ctx, c, ix, sites.Sources(), recrawl.Options{Logger: slog.New(slog.DiscardHandler)}); err != nil {
		b.Fatal(err)
	}
	eng := search.New(ix)
	reqs := make([]search.Request, len(benchQueries))
	for i, q := range benchQueries {
		v, _ := url.ParseQuery(q)
		if reqs[i], err = search.ParseRequest(v, "en"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := eng.Search(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
	}
}
