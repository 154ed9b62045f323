package memindex

import (
	"sync"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Keyed marks a part of a query whose matches depend only on Key (for a
// given index): Eval keeps them, so the next query containing the same part
// (the same word, typed again or in another combination) reuses them. Bleve
// sees the wrapped query unchanged.
type Keyed struct {
	query.Query
	Key string
}

// partCache holds the matches of keyed parts, up to partCacheDocs matching
// documents in all (about 12 bytes each); it starts afresh when full.
type partCache struct {
	mu   sync.Mutex
	m    map[string]Matches
	docs int
}

const partCacheDocs = 4 << 20

func (c *partCache) get(key string) (Matches, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.m[key]
	return m, ok
}

func (c *partCache) put(key string, m Matches) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.docs+m.Len() > partCacheDocs {
		c.m, c.docs = map[string]Matches{}, 0
	}
	if m.Len() > partCacheDocs/4 {
		return
	}
	c.m[key] = m
	c.docs += m.Len()
}

func (e *evaluator) keyed(k Keyed) (Matches, error) {
	if m, ok := e.ix.parts.get(k.Key); ok {
		return m, nil
	}
	m, err := e.eval(k.Query)
	if err != nil {
		return Matches{}, err
	}
	m.materialise()
	e.ix.parts.put(k.Key, m)
	return m, nil
}
