package search

import (
	"fmt"
	"slices"
	"sync"
)

// ResultCacheSize is how many answers the engine keeps for repeated
// requests (the widget of one city asks the same preset searches, a
// visitor paging back and forth repeats hers). An answer is kept for one
// index generation: any write to the index makes every kept answer stale.
const ResultCacheSize = 1024

type resultCache struct {
	mu    sync.Mutex
	gen   uint64
	m     map[string]*Result
	order []string // oldest first
}

func cacheKey(r Request) string {
	// Counts nil (every facet) and empty (none) print alike.
	return fmt.Sprintf("%+v %t", r, r.Counts == nil)
}

// get returns a copy of the answer kept for key at generation gen.
func (c *resultCache) get(gen uint64, key string) (*Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil, false
	}
	res, ok := c.m[key]
	if !ok {
		return nil, false
	}
	out := *res
	out.Hits = slices.Clone(res.Hits)
	return &out, true
}

func (c *resultCache) put(gen uint64, key string, res *Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.m == nil {
		c.gen, c.m, c.order = gen, map[string]*Result{}, nil
	}
	if _, ok := c.m[key]; ok {
		return
	}
	if len(c.order) >= ResultCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	kept := *res
	kept.Hits = slices.Clone(res.Hits)
	c.m[key] = &kept
	c.order = append(c.order, key)
}
