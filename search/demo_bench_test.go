package search_test

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

// benchDemoEngine crawls the demo sites into a fresh index, as `casebook
// demo` does, and returns an engine over it.
func benchDemoEngine(b *testing.B) *search.Engine {
	b.Helper()
	ctx := context.Background()
	sites, err := demo.Start(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(sites.Close)
	ix, err := indexer.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	if _, err := recrawl.Run(ctx, c, ix, sites.Sources(), recrawl.Options{Logger: slog.New(slog.DiscardHandler)}); err != nil {
		b.Fatal(err)
	}
	return search.New(ix)
}

// BenchmarkDemoQuery measures one search per kind of query over the demo
// corpus: where the time of BenchmarkDemoSearch (cmd/casebook) goes.
func BenchmarkDemoQuery(b *testing.B) {
	eng := benchDemoEngine(b)
	for _, q := range []string{
		"q=Wohnen+Geflüchtete&ui=de",
		"q=Lissabon",
		"q=intégration+des+réfugiés&ui=fr",
		"q=intergation",
		"q=neighbourhood",
		"q=Nachbarschaft",
		"q=housing+refugees",
		`q="anti-rumour"`,
		"q=youth+-sport&lang=en",
		"q=langu&ui=en&typing=1",
		"theme=refugees&ui=de",
	} {
		v, _ := url.ParseQuery(q)
		req, err := search.ParseRequest(v, "en")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := eng.Search(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("suggest", func(b *testing.B) {
		prefixes := []string{"lis", "réfu", "wohn", "neighb", "int", "sch"}
		i := 0
		for b.Loop() {
			if _, err := eng.Suggest(context.Background(), prefixes[i%len(prefixes)], "de"); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
