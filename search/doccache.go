package search

import (
	"container/list"
	"sync"

	"github.com/casebook-project/casebook/indexer"
)

// DocCacheBytes bounds the decoded practices the engine keeps for pages of
// hits, counted as their text plus a fixed cost each (docOverhead): the
// practices on the first pages of popular searches come back again and
// again, and loading one means looking its id up in each segment, reading
// its stored document, inflating and decoding it (~0.1 ms a practice at
// 100,000 on the 2-core machine, 16% of a search over HTTP when most of a
// page is loaded). A budget in bytes instead of a number of practices keeps
// the memory bounded when practices are long: 16 MB hold about 4,500
// practices of the generated corpus (3.5 KB each), 256 of 64 KB. Like
// answers, practices are kept for one index generation.
var DocCacheBytes = 16 << 20

// docOverhead is what a kept practice costs besides its text: the
// Practice value, the list element, the map entry and the slice headers.
const docOverhead = 400

type docCache struct {
	mu     sync.Mutex
	gen    uint64
	m      map[string]*list.Element
	lru    list.List // of *keptDoc, most recently used at the front
	bytes  int       // the sizes of the kept practices
	budget int       // 0: DocCacheBytes
}

type keptDoc struct {
	id   string
	p    indexer.Practice
	size int
}

// practiceSize is what keeping p costs, about.
func practiceSize(p indexer.Practice) int {
	n := docOverhead + len(p.ID) + len(p.URL) + len(p.Source) + len(p.Network) + len(p.Title) +
		len(p.Summary) + len(p.Body) + len(p.Country) + len(p.Lang) + len(p.Period) + len(p.Published)
	for _, c := range p.Cities {
		n += 16 + len(c)
	}
	for _, t := range p.Themes {
		n += 16 + len(t)
	}
	for _, t := range p.Translations {
		n += 32 + len(t.Lang) + len(t.URL)
	}
	return n
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

// put keeps p for id at generation gen, dropping the least recently used
// practices beyond DocCacheBytes. A practice larger than an eighth of the
// budget is not kept: it would push out many others.
func (c *docCache) put(gen uint64, id string, p indexer.Practice) {
	size := practiceSize(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil {
		c.gen, c.m, c.bytes = gen, map[string]*list.Element{}, 0
		c.lru.Init()
	}
	if el, ok := c.m[id]; ok {
		c.lru.MoveToFront(el)
		return
	}
	budget := c.budget
	if budget == 0 {
		budget = DocCacheBytes
	}
	if size > budget/8 {
		return
	}
	for c.bytes+size > budget && c.lru.Len() > 0 {
		old := c.lru.Remove(c.lru.Back()).(*keptDoc)
		delete(c.m, old.id)
		c.bytes -= old.size
	}
	c.m[id] = c.lru.PushFront(&keptDoc{id: id, p: p, size: size})
	c.bytes += size
}

// len is the number of practices kept.
func (c *docCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
