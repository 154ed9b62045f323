package indexer_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
)

// benchBodies returns the bodies of the first 20 generated practices in
// lang: realistic prose with accents, quotes, numbers and city names.
func benchBodies(b *testing.B, lang string) [][]byte {
	b.Helper()
	practices, err := benchcorpus.Generate(200, 1)
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	for p := range practices {
		if p.Lang == lang && len(bodies) < 20 {
			bodies = append(bodies, []byte(p.Body))
		}
	}
	if len(bodies) == 0 {
		b.Fatalf("no %s practices", lang)
	}
	return bodies
}

// runBodies times do over every body, reporting bytes and allocations.
func runBodies(b *testing.B, bodies [][]byte, do func(body []byte)) {
	size := 0
	for _, body := range bodies {
		size += len(body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			do(body)
		}
	}
}

// BenchmarkTokenizer tokenizes 20 generated bodies per language with
// indexer.TokenizerName's tokenizer and with bleve's unicode tokenizer.
func BenchmarkTokenizer(b *testing.B) {
	ours, theirs := newTokenizers(b)
	for _, lang := range []string{"en", "fr", "de"} {
		bodies := benchBodies(b, lang)
		b.Run(lang+"/casebook", func(b *testing.B) { runBodies(b, bodies, func(body []byte) { ours.Tokenize(body) }) })
		b.Run(lang+"/unicode", func(b *testing.B) { runBodies(b, bodies, func(body []byte) { theirs.Tokenize(body) }) })
	}
}

// BenchmarkAnalyzeBody runs each text analyzer over 20 generated bodies in
// its language, as defined (casebook tokenizer) and with bleve's unicode
// tokenizer in its place: the tokenizer's share of the whole analysis.
func BenchmarkAnalyzeBody(b *testing.B) {
	im, err := indexer.NewMapping()
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"en", "fr", "de"} {
		bodies := benchBodies(b, lang)
		a, ok := im.AnalyzerNamed(indexer.AnalyzerFor(lang)).(*analysis.DefaultAnalyzer)
		if !ok {
			b.Fatalf("analyzer for %s is not a DefaultAnalyzer", lang)
		}
		old := *a
		old.Tokenizer = unicode.NewUnicodeTokenizer()
		for _, v := range []struct {
			name string
			a    analysis.Analyzer
		}{{"casebook", a}, {"unicode", &old}} {
			b.Run(lang+"/"+v.name, func(b *testing.B) { runBodies(b, bodies, func(body []byte) { v.a.Analyze(body) }) })
		}
	}
}
