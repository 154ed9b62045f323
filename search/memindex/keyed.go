package memindex

import (
	"container/list"
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

// PartCacheBytes bounds the memory the matches of keyed parts may take in
// one index copy (8 bytes per matching document: its number and its score
// as a float32). The least recently used parts are dropped first. A broad
// word matches most of the index, so at 100,000 practices 64 MiB keeps
// about a hundred and fifty of the most frequent words.
var PartCacheBytes = 64 << 20

const bytesPerMatch = 8

// partCache holds the matches of keyed parts, least recently used first
// out, within PartCacheBytes.
type partCache struct {
	mu    sync.Mutex
	m     map[string]*list.Element
	lru   list.List // of *part, most recently used at the front
	bytes int
}

type part struct {
	key string
	m   Matches
}

func (c *partCache) get(key string) (Matches, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return Matches{}, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*part).m, true
}

// partSize is the memory the cache counts for a part.
func partSize(key string, m Matches) int {
	return m.Len()*bytesPerMatch + len(key) + 8*len(m.uniform)
}

func (c *partCache) put(key string, m Matches) {
	size := partSize(key, m)
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > PartCacheBytes/4 {
		return
	}
	if c.m == nil {
		c.m = map[string]*list.Element{}
	}
	if el, ok := c.m[key]; ok {
		c.lru.MoveToFront(el)
		return
	}
	for c.bytes+size > PartCacheBytes && c.lru.Len() > 0 {
		old := c.lru.Remove(c.lru.Back()).(*part)
		delete(c.m, old.key)
		c.bytes -= partSize(old.key, old.m)
	}
	c.m[key] = c.lru.PushFront(&part{key: key, m: m})
	c.bytes += size
}

func (e *evaluator) keyed(k Keyed) (Matches, error) {
	if m, ok := e.ix.parts.get(k.Key); ok {
		return m, nil // own is false: the cache shares it
	}
	e.inKeyed++
	m, err := e.eval(k.Query)
	e.inKeyed--
	if err != nil {
		return Matches{}, err
	}
	// Kept compact; this query scores with the kept form too, so that a
	// search answers the same whether its parts were cached or not.
	m = m.compact(e.ix.n)
	e.ix.parts.put(k.Key, m)
	return m, nil
}
