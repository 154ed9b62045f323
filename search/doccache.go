package search

import (
	"container/list"
	"sync"

	"github.com/casebook-project/casebook/indexer"
)

// DocCacheSize is how many decoded practices the engine keeps for pages of
// hits: the practices on the first pages of popular searches come back
// again and again, and loading one means reading its stored document from
// Bleve, inflating and decoding it. Like answers, they are kept for one
// index generation.
const DocCacheSize = 2048

type docCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]*list.Element
	lru list.List // of *keptDoc, most recently used at the front
}

type keptDoc struct {
	id string
	p  indexer.Practice
}

// get returns the practice kept for id at generation gen.
func (c *docCache) get(gen uint64, id string) (indexer.Practice, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return indexer.Practice{}, false
	}
	el, ok := c.m[id]
	if !ok {
		return indexer.Practice{}, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*keptDoc).p, true
}

func (c *docCache) put(gen uint64, id string, p indexer.Practice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil {
		c.gen, c.m = gen, map[string]*list.Element{}
		c.lru.Init()
	}
	if el, ok := c.m[id]; ok {
		c.lru.MoveToFront(el)
		return
	}
	for c.lru.Len() >= DocCacheSize {
		old := c.lru.Remove(c.lru.Back()).(*keptDoc)
		delete(c.m, old.id)
	}
	c.m[id] = c.lru.PushFront(&keptDoc{id: id, p: p})
}
