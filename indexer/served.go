package indexer

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// served is what Bleve returns: the IndexAlias, with every read taking the
// Index's lock shared. A rebuild's swap holds that lock exclusively while
// it closes the old directory and opens the new one, so a search arriving
// then waits a moment instead of meeting a closed index. Reads that return
// an iterator (FieldDict*) hold their own snapshot once returned.
type served struct {
	bleve.IndexAlias
	ix *Index
}

func (s served) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.SearchInContext(ctx, req)
}

func (s served) Search(req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return s.SearchInContext(context.Background(), req)
}

func (s served) DocCount() (uint64, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.DocCount()
}

func (s served) Document(id string) (index.Document, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.Document(id)
}

func (s served) Fields() ([]string, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.Fields()
}

func (s served) FieldDict(field string) (index.FieldDict, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.FieldDict(field)
}

func (s served) FieldDictRange(field string, start, end []byte) (index.FieldDict, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.FieldDictRange(field, start, end)
}

func (s served) FieldDictPrefix(field string, prefix []byte) (index.FieldDict, error) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.FieldDictPrefix(field, prefix)
}

func (s served) Mapping() mapping.IndexMapping {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.IndexAlias.Mapping()
}
