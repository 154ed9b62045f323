package memindex

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Arena lends the buffers of one search's intermediate matches — the merged
// words, the filtered matches — and takes them all back at Release. A broad
// query's matches are about a megabyte at 100,000 practices; allocating them
// afresh for every search made the garbage collector a tenth of the work.
//
// Matches obtained through an Arena must not be used after its Release. The
// parts the index caches (Keyed) are never taken from an Arena.
type Arena struct {
	ix   *Index
	bufs []*matchBuf // every buffer lent since the last Release
	free []*matchBuf // lent, then handed back by recycle: lent again first
}

type matchBuf struct {
	docs   []uint32
	scores []float64
}

// NewArena returns an empty arena for searches of ix.
func (ix *Index) NewArena() *Arena { return &Arena{ix: ix} }

// Release returns every buffer lent. The arena can be used again after.
func (a *Arena) Release() {
	if a == nil {
		return
	}
	for _, b := range a.bufs {
		a.ix.bufPool.Put(b)
	}
	clear(a.bufs)
	a.bufs, a.free = a.bufs[:0], a.free[:0]
}

// recycle takes back the buffer of matches that are no longer used — a
// union's children once it has summed them — so that the next get of the
// same search reuses it. A broad query otherwise held a buffer per merged
// clause until Release, and the pool kept tens of megabytes of them.
func (a *Arena) recycle(m Matches) {
	if a == nil || m.buf == nil {
		return
	}
	a.free = append(a.free, m.buf)
}

// get returns empty slices with room for n matches.
func (a *Arena) get(n int) ([]uint32, []float64) {
	b := a.lend(n)
	if b == nil {
		return make([]uint32, 0, n), make([]float64, 0, n)
	}
	return b.docs[:0], b.scores[:0]
}

// lend returns a buffer with room for n matches (nil when a is nil).
func (a *Arena) lend(n int) *matchBuf {
	if a == nil {
		return nil
	}
	if k := len(a.free); k > 0 {
		b := a.free[k-1]
		a.free = a.free[:k-1]
		if cap(b.docs) < n {
			b.docs, b.scores = make([]uint32, 0, n), make([]float64, 0, n)
		}
		return b
	}
	var b *matchBuf
	if v := a.ix.bufPool.Get(); v != nil {
		b = v.(*matchBuf)
	} else {
		// Every buffer can hold the whole index, so any can be reused.
		b = &matchBuf{docs: make([]uint32, 0, a.ix.n), scores: make([]float64, 0, a.ix.n)}
	}
	if cap(b.docs) < n {
		b.docs, b.scores = make([]uint32, 0, n), make([]float64, 0, n)
	}
	a.bufs = append(a.bufs, b)
	return b
}

// Eval is Index.Eval with the intermediate matches taken from the arena.
func (a *Arena) Eval(ctx context.Context, q query.Query, m mapping.IndexMapping) (Matches, error) {
	return a.ix.eval(ctx, a, q, m)
}

// Filter is Matches.Filter with the result taken from the arena.
func (a *Arena) Filter(m Matches, sets ...Set) Matches {
	return m.filter(a, sets)
}
