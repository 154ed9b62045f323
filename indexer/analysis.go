package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// FoldFilterName names the token filter that folds every token to ASCII
// ("intégration" -> "integration", "Müller" -> "Muller"), registered with
// Bleve when this package is loaded.
const FoldFilterName = "casebook_asciifold"

// Names of the analyzers of the text fields. Search sets them on its
// queries (MatchQuery.Analyzer) so that a visitor's words are analysed the
// way each field was.
const (
	AnalyzerEN = "casebook_en" // possessive, lowercase, English stop words, fold, Porter stemmer
	AnalyzerFR = "casebook_fr" // lowercase, elision, French stop words, light stemmer, fold
	AnalyzerDE = "casebook_de" // lowercase, German stop words, compound parts, German normalisation, light stemmer, fold
	AnalyzerXX = "casebook_xx" // lowercase, fold: any other language
)

// Analyzers returns the names of the text analyzers, in the order of
// TextLangs.
func Analyzers() []string {
	return []string{AnalyzerEN, AnalyzerFR, AnalyzerDE, AnalyzerXX}
}

// AnalyzerFor returns the analyzer used for text written in lang.
func AnalyzerFor(lang string) string {
	switch textLang(lang) {
	case "en":
		return AnalyzerEN
	case "fr":
		return AnalyzerFR
	case "de":
		return AnalyzerDE
	}
	return AnalyzerXX
}

// analyzerPipelines gives each analyzer its tokenizer and token filters.
// They follow bleve's analysis/lang/{en,fr,de} analyzers and add ASCII
// folding. Folding comes after the stop filter (the stop lists are
// accented) and, for fr and de, after the stemmer (the stemmers' rules look
// at accents and umlauts). English folds before Porter, which only knows
// ASCII letters. German splits compounds right after the stop words, while
// the word still has its umlauts and ß as the word list writes them, so the
// parts are normalised and stemmed like whole words (decompound.go); the
// last filter drops what became a repeat at one position.
var analyzerPipelines = map[string][]string{
	AnalyzerEN: {en.PossessiveName, lowercase.Name, en.StopName, FoldFilterName, porter.Name, NoOffsetsFilterName},
	AnalyzerFR: {lowercase.Name, fr.ElisionName, fr.StopName, fr.LightStemmerName, FoldFilterName, NoOffsetsFilterName},
	AnalyzerDE: {lowercase.Name, de.StopName, DecompoundFilterName, SubwordFilterName, de.NormalizeName, de.LightStemmerName, FoldFilterName, DedupeFilterName, NoOffsetsFilterName},
	AnalyzerXX: {lowercase.Name, FoldFilterName, NoOffsetsFilterName},
}

// addAnalyzers defines the custom analyzers on im, with the German word
// list and filters they use. They are saved with the index, so an index
// reopened later analyses exactly as when created.
func addAnalyzers(im *mapping.IndexMappingImpl) error {
	if err := addDecompound(im); err != nil {
		return err
	}
	for _, name := range Analyzers() {
		filters := make([]interface{}, 0, len(analyzerPipelines[name]))
		for _, f := range analyzerPipelines[name] {
			filters = append(filters, f)
		}
		err := im.AddCustomAnalyzer(name, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     TokenizerName, // bleve's "unicode", faster (tokenizer.go)
			"token_filters": filters,
		})
		if err != nil {
			return fmt.Errorf("analyzer %s: %w", name, err)
		}
	}
	return nil
}

// foldFilter folds each token's term to ASCII using Lucene's folding table
// (as ported in bleve's asciifolding char filter).
type foldFilter struct {
	f *asciifolding.AsciiFoldingFilter
}

func (ff foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if isASCII(tok.Term) {
			continue
		}
		tok.Term = ff.f.Filter(tok.Term)
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// NoOffsetsFilterName names the last filter of every analyzer: it sets each
// token's byte offsets to 0. Bleve keeps a token's position, start and end
// with the postings of a field with term vectors; casebook reads only the
// position (phrases, proximity, the in-memory copy) and marks highlights
// from the stored text, so the offsets were two varints of two bytes per
// word occurrence for nothing. Zero takes one byte each.
const NoOffsetsFilterName = "casebook_no_offsets"

type noOffsetsFilter struct{}

func (noOffsetsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Start, tok.End = 0, 0
	}
	return input
}

func init() {
	err := registry.RegisterTokenFilter(NoOffsetsFilterName,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return noOffsetsFilter{}, nil
		})
	if err != nil {
		panic(err)
	}
	err = registry.RegisterTokenFilter(FoldFilterName,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{f: asciifolding.New()}, nil
		})
	if err != nil {
		panic(err)
	}
}
