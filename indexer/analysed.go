package indexer

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/casebook-project/casebook/indexer/positions"
)

// FieldPositions is the stored-only field holding where each term of the
// practice's text fields stands (package positions). An index created by
// this version keeps no term vectors: they were a third of its size, and
// casebook reads only positions from them.
const FieldPositions = "pos"

// textFieldNames is the set of analysed text fields (title_en ... body_xx).
var textFieldNames = func() map[string]bool {
	m := map[string]bool{}
	for _, lang := range TextLangs {
		for _, kind := range TextKinds {
			m[TextField(kind, lang)] = true
		}
	}
	return m
}()

// analysedText is a text field that was analysed before it reached Bleve:
// Bleve's own Analyze is then a no-op, so each field is analysed once
// although casebook reads its tokens too.
type analysedText struct {
	*bdoc.TextField
	length int
	freqs  index.TokenFrequencies
}

func (a *analysedText) Analyze()                                         {}
func (a *analysedText) AnalyzedLength() int                              { return a.length }
func (a *analysedText) AnalyzedTokenFrequencies() index.TokenFrequencies { return a.freqs }

// preparer maps practices' field maps onto Bleve documents, analyses their
// text fields and adds the positions field.
type preparer struct {
	m         mapping.IndexMapping
	positions bool // add FieldPositions (the index keeps no term vectors)
	enc       positions.Encoder
	tok       []positions.Token
}

// prepare returns the document Bleve indexes for fields. Its text fields
// are analysed already, as Bleve would analyse them (same analyzer, same
// options), and, in an index without term vectors, FieldPositions holds
// their tokens' positions. (An index created before FieldPositions keeps
// term vectors; the in-memory copy reads its positions there.)
func (p *preparer) prepare(id string, fields map[string]interface{}) (*bdoc.Document, error) {
	doc := bdoc.NewDocument(id)
	if err := p.m.MapDocument(doc, fields); err != nil {
		return nil, err
	}
	p.enc.Reset()
	for i, f := range doc.Fields {
		tf, ok := f.(*bdoc.TextField)
		if !ok || !textFieldNames[tf.Name()] || !tf.Options().IsIndexed() || tf.Analyzer() == nil {
			continue
		}
		value := tf.Value()
		if tf.Options().IsStored() {
			value = slices.Clone(value) // as TextField.Analyze does
		}
		tokens := tf.Analyzer().Analyze(value)
		doc.Fields[i] = &analysedText{
			TextField: tf,
			length:    len(tokens),
			freqs:     analysis.TokenFrequency(tokens, tf.ArrayPositions(), tf.Options()),
		}
		if !p.positions {
			continue
		}
		p.tok = p.tok[:0]
		for _, t := range tokens {
			p.tok = append(p.tok, positions.Token{Term: t.Term, Position: t.Position})
		}
		p.enc.AddField(tf.Name(), p.tok)
	}
	if blob := p.enc.Bytes(); blob != nil {
		doc.AddField(bdoc.NewTextFieldWithIndexingOptions(FieldPositions, nil, slices.Clone(blob), index.StoreField))
	}
	return doc, nil
}

// prepareAll prepares docs on every core; out[i] is docs[i]'s document.
func prepareAll(m mapping.IndexMapping, withPositions bool, docs []pendingDoc) ([]*bdoc.Document, error) {
	out := make([]*bdoc.Document, len(docs))
	errs := make([]error, len(docs))
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := preparer{m: m, positions: withPositions}
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(docs) {
					return
				}
				out[k], errs[k] = p.prepare(docs[k].id, docs[k].fields)
			}
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", docs[k].id, err)
		}
	}
	return out, nil
}
