package crawler_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
)

// BenchmarkExtract measures extraction alone (parse excluded) over the
// golden pages; the target is under 2 ms per page.
func BenchmarkExtract(b *testing.B) {
	for name, c := range extractCases {
		data, err := os.ReadFile("testdata/extract/" + name + ".html")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				if _, err := crawler.Extract(c.url, doc, c.hdr, c.src); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(n), "ms/extraction")
		})
	}
}

// BenchmarkCrawlDemo crawls every demo site with no delay and reports
// pages fetched per second (target: 200 or more).
func BenchmarkCrawlDemo(b *testing.B) {
	sites, err := demo.Start(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer sites.Close()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	pages := 0
	for b.Loop() {
		for _, src := range sites.Sources() {
			err := c.Crawl(b.Context(), src, func(ev crawler.Event) {
				if ev.Kind == crawler.EventFetched {
					pages++
				}
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
