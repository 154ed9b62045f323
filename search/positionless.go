package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/casebook-project/casebook/search/memindex"
)

// withoutPositions rewrites q for Bleve alone on an index without term
// vectors (every index created since session 11: positions are stored in a
// compact field only the in-memory copy reads). Bleve would match no
// phrase there, so a phrase becomes all of its words and the proximity
// clauses, which only reward words standing together, are left out.
//
// Bleve alone answers only while the in-memory copy of a large index is
// being built (start-up, a few seconds after a write) or for a query the
// copy cannot evaluate; the in-memory copy matches phrases exactly.
func withoutPositions(q query.Query) query.Query {
	switch q := q.(type) {
	case memindex.Keyed:
		if strings.HasPrefix(q.Key, "prox\x00") {
			return nil
		}
		inner := withoutPositions(q.Query)
		if inner == nil {
			return nil
		}
		return memindex.Keyed{Query: inner, Key: q.Key}
	case *query.BooleanQuery:
		if q == nil {
			return nil
		}
		out := &query.BooleanQuery{BoostVal: q.BoostVal}
		out.Must = withoutPositions(q.Must)
		out.Should = withoutPositions(q.Should)
		out.MustNot = withoutPositions(q.MustNot)
		return out
	case *query.ConjunctionQuery:
		if q == nil {
			return nil
		}
		out := &query.ConjunctionQuery{BoostVal: q.BoostVal}
		for _, c := range q.Conjuncts {
			if c = withoutPositions(c); c != nil {
				out.Conjuncts = append(out.Conjuncts, c)
			}
		}
		return out
	case *query.DisjunctionQuery:
		if q == nil {
			return nil
		}
		out := &query.DisjunctionQuery{BoostVal: q.BoostVal, Min: q.Min}
		for _, d := range q.Disjuncts {
			if d = withoutPositions(d); d != nil {
				out.Disjuncts = append(out.Disjuncts, d)
			}
		}
		return out
	case *query.MatchPhraseQuery:
		if q == nil {
			return nil
		}
		m := query.NewMatchQuery(q.MatchPhrase)
		m.SetField(q.FieldVal)
		m.Analyzer = q.Analyzer
		m.BoostVal = q.BoostVal
		m.SetOperator(query.MatchQueryOperatorAnd)
		return m
	case *query.PhraseQuery:
		if q == nil {
			return nil
		}
		c := &query.ConjunctionQuery{BoostVal: q.BoostVal}
		for _, t := range q.Terms {
			tq := query.NewTermQuery(t)
			tq.SetField(q.FieldVal)
			c.Conjuncts = append(c.Conjuncts, tq)
		}
		return c
	}
	return q
}
