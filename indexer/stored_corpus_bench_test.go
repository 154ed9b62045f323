package indexer_test

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/indexer"
)

// storedSample is a practice's JSON as FieldDoc stores it, with the demo
// site it comes from ("" for generated practices).
type storedSample struct {
	site string
	raw  []byte
}

// storedCorpora returns the stored JSON of 2,000 generated practices
// (benchcorpus.Generate(2000, 2026)) and of the demo practices, normalised.
func storedCorpora(b *testing.B) map[string][]storedSample {
	seq, err := benchcorpus.Generate(2000, 2026)
	if err != nil {
		b.Fatal(err)
	}
	out := map[string][]storedSample{}
	add := func(corpus, site string, p indexer.Practice) {
		n, err := indexer.Normalize(p)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := json.Marshal(n)
		if err != nil {
			b.Fatal(err)
		}
		out[corpus] = append(out[corpus], storedSample{site, raw})
	}
	for p := range seq {
		add("generated", "", p)
	}
	pages, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, pg := range pages {
		add("demo", pg.Site, indexer.Practice{
			URL:    fmt.Sprintf("https://%s.demo.example/%s/%s", pg.Site, pg.Lang, pg.Slug),
			Source: pg.Site, Network: pg.Site, Title: pg.Title, Summary: pg.Summary, Body: pg.BodyText(),
			Cities: pg.Cities, Country: pg.Country, Themes: pg.Themes, Lang: pg.Lang, Period: pg.Period,
			Published: pg.Published.Format("2006-01-02"),
		})
	}
	return out
}

// storedCodec is one way to store a practice's JSON; site names the demo
// site of the practice, for dictionaries that must not have seen it.
type storedCodec struct {
	name string
	enc  func(site string, raw []byte) []byte
	dec  func(site string, stored []byte) ([]byte, error)
}

func zstdCodecs(b *testing.B, name string, dictFor func(skip string) []byte, heldOut bool) storedCodec {
	type pair struct {
		enc func(src, dst []byte) []byte
		dec func(src, dst []byte) ([]byte, error)
	}
	bySite := map[string]pair{}
	get := func(site string) pair {
		if !heldOut {
			site = ""
		}
		p, ok := bySite[site]
		if !ok {
			var dict []byte
			if dictFor != nil {
				dict = dictFor(site)
			}
			enc, dec, err := indexer.NewZstdStoredForTest(dict)
			if err != nil {
				b.Fatal(err)
			}
			p = pair{enc, dec}
			bySite[site] = p
		}
		return p
	}
	return storedCodec{name,
		func(site string, raw []byte) []byte { return get(site).enc(raw, make([]byte, 0, len(raw)/2)) },
		func(site string, stored []byte) ([]byte, error) { return get(site).dec(stored, nil) },
	}
}

// BenchmarkStoredCorpus compares the stored forms of a practice on
// generated and demo practices: bytes per practice (with the form byte),
// encoding throughput over the JSON and decoding time per practice.
// "dict-NNK" are dictionaries built like data/stored-dict-v1.bin at other
// sizes; "heldout" ones, on demo practices, are built without the pages of
// the practice's own site, what a site the dictionary never saw gets. The
// generated practices reuse the demo pages' sentences and words, so every
// dictionary flatters them.
//
//	go test ./indexer -run '^$' -bench StoredCorpus -count 5
func BenchmarkStoredCorpus(b *testing.B) {
	corpora := storedCorpora(b)
	dictAt := func(size int) func(string) []byte {
		return func(skip string) []byte {
			d, err := buildStoredDict(size, skip)
			if err != nil {
				b.Fatal(err)
			}
			return d
		}
	}
	flateW, err := flate.NewWriter(nil, flate.BestSpeed)
	if err != nil {
		b.Fatal(err)
	}
	codecs := []storedCodec{
		{"deflate", func(_ string, raw []byte) []byte {
			var buf bytes.Buffer
			buf.Grow(len(raw)/2 + 16)
			buf.WriteByte(1)
			flateW.Reset(&buf)
			_, _ = flateW.Write(raw)
			_ = flateW.Close()
			return buf.Bytes()
		}, func(_ string, stored []byte) ([]byte, error) { return indexer.DecodeStoredForTest(string(stored)) }},
		zstdCodecs(b, "zstd-nodict", nil, false),
	}
	for _, kb := range []int{16, 32, 64, 110} {
		codecs = append(codecs, zstdCodecs(b, fmt.Sprintf("dict-%dK", kb), dictAt(kb<<10), false))
	}
	for _, kb := range []int{16, 32, 64, 110} {
		codecs = append(codecs, zstdCodecs(b, fmt.Sprintf("dict-%dK-heldout", kb), dictAt(kb<<10), true))
	}
	codecs = append(codecs, storedCodec{"v1", func(_ string, raw []byte) []byte {
		return []byte(indexer.EncodeStoredForTest(raw))
	}, func(_ string, stored []byte) ([]byte, error) { return indexer.DecodeStoredForTest(string(stored)) }})

	for _, corpus := range []string{"generated", "demo"} {
		docs := corpora[corpus]
		var rawBytes int
		for _, d := range docs {
			rawBytes += len(d.raw)
		}
		for _, c := range codecs {
			if corpus == "generated" && strings.HasSuffix(c.name, "-heldout") {
				continue
			}
			// The zstd codecs in the loop write no form byte; count one.
			extra := 1
			if c.name == "deflate" || c.name == "v1" {
				extra = 0
			}
			stored := make([][]byte, len(docs))
			var size int
			for i, d := range docs {
				stored[i] = c.enc(d.site, d.raw)
				size += len(stored[i]) + extra
			}
			perPractice := float64(size) / float64(len(docs))
			b.Run(fmt.Sprintf("corpus=%s/form=%s/op=encode", corpus, c.name), func(b *testing.B) {
				for b.Loop() {
					for _, d := range docs {
						c.enc(d.site, d.raw)
					}
				}
				b.ReportMetric(float64(rawBytes)*float64(b.N)/1e6/b.Elapsed().Seconds(), "MB/s")
				b.ReportMetric(perPractice, "B/practice")
			})
			b.Run(fmt.Sprintf("corpus=%s/form=%s/op=decode", corpus, c.name), func(b *testing.B) {
				for b.Loop() {
					for i, d := range docs {
						if _, err := c.dec(d.site, stored[i]); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(b.N*len(docs)), "µs/practice")
				b.ReportMetric(perPractice, "B/practice")
			})
		}
	}
}
