package search

import (
	"context"
	"log/slog"
	"sync"
	"time"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// InlineBuildLimit: an index of at most this many practices gets its
// in-memory copy built within the search that finds it stale (a few
// milliseconds); a larger one is copied in the background while searches
// go to Bleve.
const InlineBuildLimit = 5000

// rebuildPause separates two background builds, so that an index written
// to continuously (a crawl) is copied at most this often.
const rebuildPause = 2 * time.Second

// memFields is what the in-memory copy holds.
var memFields = func() memindex.Fields {
	f := memindex.Fields{
		Keywords: []string{fieldCity, fieldCountry, fieldTheme, fieldLang, fieldNetwork},
		Year:     fieldYear,
		Date:     fieldDate,
		Group:    fieldGroup,
		// Indexes written since session 11 keep positions in a stored
		// field, not in term vectors.
		Positions: indexer.VisitPositions,
	}
	for _, lang := range textLangs {
		for _, kind := range indexer.TextKinds {
			f.Text = append(f.Text, indexer.TextField(kind, lang))
		}
	}
	return f
}()

// accel is the engine's in-memory copy of the index and its upkeep.
type accel struct {
	build    sync.Mutex // one build at a time
	mu       sync.Mutex // guards the fields below
	cur      *memindex.Index
	building bool
	disabled bool
	log      *slog.Logger
}

func (a *accel) load() *memindex.Index {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur
}

// DisableResultCache makes every search compute its answer (benchmarks
// of the cold path, comparisons).
func (e *Engine) DisableResultCache() { e.noCache = true }

// DisableMemIndex makes every search go to Bleve (for comparisons).
func (e *Engine) DisableMemIndex() {
	e.acc.mu.Lock()
	e.acc.disabled = true
	e.acc.cur = nil
	e.acc.mu.Unlock()
}

// memIndex returns the in-memory copy of the index when it shows the
// served generation. When it does not, a small index is copied now; a large
// one is copied in the background and nil is returned (search Bleve).
func (e *Engine) memIndex(ctx context.Context) *memindex.Index {
	gen := e.ix.Generation()
	a := &e.acc
	a.mu.Lock()
	if a.disabled {
		a.mu.Unlock()
		return nil
	}
	if a.cur != nil && a.cur.Generation() == gen {
		m := a.cur
		a.mu.Unlock()
		return m
	}
	building := a.building
	a.mu.Unlock()
	if building {
		return nil
	}
	n, err := e.ix.Count(ctx)
	if err != nil {
		return nil
	}
	if n <= InlineBuildLimit {
		m, err := e.buildMem(ctx)
		if err != nil {
			return nil
		}
		return m
	}
	e.startBuild()
	return nil
}

// Warm copies the index into memory now (serve calls it at start-up so
// that the first searches are fast).
func (e *Engine) Warm(ctx context.Context) error {
	_, err := e.buildMem(ctx)
	return err
}

func (e *Engine) buildMem(ctx context.Context) (*memindex.Index, error) {
	e.acc.build.Lock()
	defer e.acc.build.Unlock()
	var built *memindex.Index
	fresh := false
	err := e.ix.Read(ctx, func(r index.IndexReader, gen uint64) error {
		if m := e.acc.load(); m != nil && m.Generation() == gen {
			built = m
			return nil
		}
		m, err := memindex.Build(ctx, r, gen, memFields)
		if err != nil {
			return err
		}
		built, fresh = m, true
		return nil
	})
	if err != nil {
		return nil, err
	}
	if fresh {
		st := built.Stats()
		e.logger().Info("in-memory index: copied", "practices", st.Documents, "terms", st.Terms,
			"postings", st.Postings, "positions", st.Positions, "postings_mb", st.Bytes>>20)
		// The copy read every page of the index files; searches now read
		// them only to load the documents of a page of hits.
		if n, err := releaseMapped(e.ix.Dir()); err != nil {
			e.logger().Debug("in-memory index: could not release mapped pages", "err", err)
		} else {
			e.logger().Debug("in-memory index: released mapped pages", "bytes", n)
		}
	}
	e.acc.mu.Lock()
	if e.acc.cur == nil || e.acc.cur.Generation() < built.Generation() {
		e.acc.cur = built
	}
	e.acc.mu.Unlock()
	return built, nil
}

// startBuild copies the index in the background until the copy catches up
// with the served generation.
func (e *Engine) startBuild() {
	a := &e.acc
	a.mu.Lock()
	if a.building {
		a.mu.Unlock()
		return
	}
	a.building = true
	a.mu.Unlock()
	go func() {
		defer func() {
			a.mu.Lock()
			a.building = false
			a.mu.Unlock()
		}()
		for {
			gen := e.ix.Generation()
			start := time.Now()
			m, err := e.buildMem(context.Background())
			if err != nil {
				e.logger().Warn("in-memory index: build failed; searches use Bleve", "err", err)
				return
			}
			e.logger().Info("in-memory index built", "practices", m.Len(), "generation", m.Generation(), "took", time.Since(start).Round(time.Millisecond))
			if e.ix.Generation() == gen {
				return
			}
			time.Sleep(rebuildPause)
		}
	}()
}

func (e *Engine) logger() *slog.Logger {
	if e.acc.log != nil {
		return e.acc.log
	}
	return slog.Default()
}

// SetLogger sets where the engine logs its background work.
func (e *Engine) SetLogger(l *slog.Logger) { e.acc.log = l }
