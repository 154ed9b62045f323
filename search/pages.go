package search

import (
	"sync/atomic"
)

// releaseEvery is how many practices are loaded from the index files
// between two releases of their mapped pages. A read maps far more than the
// practice: the kernel maps whole page-cache folios around a fault (about
// 150 KB a read measured on this machine's kernel, 6.18). At 512 the mapped
// pages reached ~100 MB between releases at 100,000 practices; at 32 the
// median resident memory while serving is ~45 MB lower, and a release (a
// madvise per segment file, in the background) costs well under a
// millisecond.
const releaseEvery = 32

// pageRelease hands the pages of the index files back to the kernel now
// and then. Loading a practice reads pages of a segment file that Bleve
// maps; they stay counted in the process's resident memory until released,
// and a server showing many different practices would hold most of the
// files (a few hundred MB at 100,000 practices). They stay in the page
// cache: the next read of the same practice faults them back in cheaply.
type pageRelease struct {
	since   atomic.Int64
	running atomic.Bool
}

// loaded records n practices loaded and, every releaseEvery, releases the
// mapped pages in the background (one release at a time).
func (r *pageRelease) loaded(e *Engine, n int) {
	if r.since.Add(int64(n)) < releaseEvery {
		return
	}
	if !r.running.CompareAndSwap(false, true) {
		return
	}
	r.since.Store(0)
	go func() {
		defer r.running.Store(false)
		if b, err := releasePages(e.ix.Dir()); err != nil {
			e.logger().Debug("could not release mapped pages", "err", err)
		} else {
			e.logger().Debug("released mapped pages", "bytes", b)
		}
	}()
}

// releasePages is releaseMapped; tests replace it.
var releasePages = releaseMapped
