package memindex_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/casebook-project/casebook/indexer"
)

// A boolean query's should clauses add to the required matches when the
// should disjunction has no minimum, and are required as well when it has
// one (Bleve's boolean searcher): the copy matches the documents Bleve
// does in both cases, the interface-language clause among the should ones.
func TestBooleanShouldMinimum(t *testing.T) {
	ctx := t.Context()
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Upsert(ctx, practices(t, 300)); err != nil {
		t.Fatal(err)
	}
	m := copyOf(t, ix)
	body := func(word string) query.Query {
		q := bleve.NewMatchQuery(word)
		q.SetField(indexer.TextField("body", "en"))
		return q
	}
	counts := map[float64]int{}
	for _, min := range []float64{0, 1} {
		lang := bleve.NewTermQuery("fr")
		lang.SetField(indexer.FieldLang)
		should := bleve.NewDisjunctionQuery(body("youth"), lang)
		should.SetMin(min)
		q := bleve.NewBooleanQuery()
		q.AddMust(body("city"))
		q.Should = should

		got, err := m.Eval(ctx, q, ix.Bleve().Mapping())
		if err != nil {
			t.Fatalf("min %v: Eval: %v", min, err)
		}
		req := bleve.NewSearchRequest(q)
		req.Size = 0
		res, err := ix.Bleve().Search(req)
		if err != nil {
			t.Fatalf("min %v: Bleve: %v", min, err)
		}
		if uint64(got.Len()) != res.Total {
			t.Errorf("should min %v: the copy matches %d practices, Bleve %d", min, got.Len(), res.Total)
		}
		counts[min] = got.Len()
	}
	if counts[1] == 0 || counts[1] >= counts[0] {
		t.Errorf("matches with the should clauses required: %d, optional: %d; want fewer, and some", counts[1], counts[0])
	}
}
