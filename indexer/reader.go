package indexer

import (
	"context"
	"fmt"

	index "github.com/blevesearch/bleve_index_api"
)

// Generation identifies the content of the served index: it grows after
// every batch written (by Upsert, Delete, Session or an import) and every
// rebuild swap, and never otherwise (background merges do not count). A
// cache of anything read from the index stays valid while Generation is
// unchanged.
func (ix *Index) Generation() uint64 { return ix.gen.Load() }

// Read calls fn with a reader over one consistent snapshot of the served
// index and the generation that snapshot shows at least (a batch landing
// while Read starts may already be in it; the generation is read first so
// that a cache built from the snapshot is never newer than its label).
// A rebuild swap waits until fn returns; writes do not.
func (ix *Index) Read(ctx context.Context, fn func(r index.IndexReader, gen uint64) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	gen := ix.gen.Load()
	adv, err := ix.live.Advanced()
	if err != nil {
		return fmt.Errorf("read %s: %w", ix.dir, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("read %s: open reader: %w", ix.dir, err)
	}
	defer r.Close()
	return fn(r, gen)
}
