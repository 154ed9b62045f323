package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// ValueCounts is how the practices of an index spread over the values of
// one keyword field (FieldSource, FieldLang, ...).
type ValueCounts struct {
	Values  map[string]int // practices per value, for the most frequent values up to the limit
	Missing int            // practices without a value (or with the empty one)
	Other   int            // practices whose values are beyond the limit
}

// Tally is the answer of CountBy.
type Tally struct {
	Total  uint64                 // practices in the index
	Fields map[string]ValueCounts // one entry per field asked for
}

// CountBy counts the practices of the index, in total and by the values of
// each of fields, with one search that returns no documents. Each field
// keeps at most limit values (the most frequent; limit ≤ 0 means 100).
// A practice with several values of a field (cities, themes) counts once
// per value. It fails with ErrClosed on a closed index.
func (ix *Index) CountBy(ctx context.Context, limit int, fields ...string) (Tally, error) {
	if limit <= 0 {
		limit = 100
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	for _, f := range fields {
		req.AddFacet(f, bleve.NewFacetRequest(f, limit))
	}
	res, err := ix.search(ctx, req)
	if err != nil {
		return Tally{}, fmt.Errorf("count %s by %v: %w", ix.dir, fields, err)
	}
	t := Tally{Total: res.Total, Fields: make(map[string]ValueCounts, len(fields))}
	for _, f := range fields {
		vc := ValueCounts{Values: map[string]int{}}
		if fr := res.Facets[f]; fr != nil {
			if fr.Terms != nil {
				for _, term := range fr.Terms.Terms() {
					if term.Term == "" { // indexed as the empty term, e.g. an undetected language
						vc.Missing += term.Count
						continue
					}
					vc.Values[term.Term] += term.Count
				}
			}
			vc.Missing += fr.Missing
			vc.Other = fr.Other
		}
		t.Fields[f] = vc
	}
	return t, nil
}
