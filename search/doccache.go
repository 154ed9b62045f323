package search

import (
	"container/list"
	"sync"

	"github.com/casebook-project/casebook/indexer"
)

// DocCacheBytes bounds the decoded practices the engine keeps for pages of
// hits, counted as their text, the terms of their words kept for
// highlighting (textWords, 6 bytes a word) and a fixed cost each
// (docOverhead). The practices on the first pages of popular searches come
// back again and again; loading one means looking its id up in each
// segment, reading its stored document, inflating and decoding it (~0.1 ms
// a practice at 100,000 on the 2-core machine, 16% of a search over HTTP
// when most of a page is loaded), and highlighting it means looking each of
// its words up in the word cache. A budget in bytes instead of a number of
// practices keeps the memory bounded when practices are long: 24 MB hold
// about 3,700 practices of the generated corpus (~6.7 KB each with their
// words; the 3,261 on the first pages of the bench's 500 queries take
// 22.0 MB), 380 of 64 KB. Like answers, practices are kept for one index
// generation.
var DocCacheBytes = 24 << 20

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
	id    string
	p     indexer.Practice
	words *docWords // the terms of its texts' words, for highlighting
	size  int       // practiceSize, plus the words kept
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

// get returns the practice kept for id at generation gen, with the words
// kept for it.
func (c *docCache) get(gen uint64, id string) (indexer.Practice, *docWords, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return indexer.Practice{}, nil, false
	}
	el, ok := c.m[id]
	if !ok {
		return indexer.Practice{}, nil, false
	}
	c.lru.MoveToFront(el)
	kd := el.Value.(*keptDoc)
	return kd.p, kd.words, true
}

// put keeps p for id at generation gen, dropping the least recently used
// practices beyond the budget, and returns where the words of p's texts
// are to be kept (nil when p is not kept). A practice larger than an
// eighth of the budget is not kept: it would push out many others.
func (c *docCache) put(gen uint64, id string, p indexer.Practice) *docWords {
	size := practiceSize(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil {
		c.gen, c.m, c.bytes = gen, map[string]*list.Element{}, 0
		c.lru.Init()
	}
	if el, ok := c.m[id]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*keptDoc).words
	}
	if size > c.limit()/8 {
		return nil
	}
	kd := &keptDoc{id: id, p: p, size: size, words: &docWords{}}
	kd.words.grow = func(n int) { c.grow(kd, n) }
	c.bytes += size
	c.evict(nil)
	c.m[id] = c.lru.PushFront(kd)
	return kd.words
}

// grow counts n more bytes for kd (its words, recorded), when still kept.
func (c *docCache) grow(kd *keptDoc, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[kd.id]; !ok || el.Value != kd {
		return
	}
	kd.size += n
	c.bytes += n
	c.evict(kd)
}

// evict drops the least recently used practices, except keep, until the
// kept ones fit the budget. c.mu is held.
func (c *docCache) evict(keep *keptDoc) {
	for c.bytes > c.limit() && c.lru.Len() > 0 {
		back := c.lru.Back()
		old := back.Value.(*keptDoc)
		if old == keep {
			return
		}
		c.lru.Remove(back)
		delete(c.m, old.id)
		c.bytes -= old.size
	}
}

func (c *docCache) limit() int {
	if c.budget == 0 {
		return DocCacheBytes
	}
	return c.budget
}

// len is the number of practices kept.
func (c *docCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
