package search

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// DefaultTimeout bounds one search (all its Bleve requests together).
const DefaultTimeout = 5 * time.Second

// MaxClauses caps the terms a fuzzy or prefix clause may expand to. Bleve
// leaves it unbounded by default; an expansion beyond it fails the Bleve
// request, and Search then answers again without fuzzy clauses.
const MaxClauses = 1024

func init() {
	if searcher.DisjunctionMaxClauseCount == 0 {
		searcher.DisjunctionMaxClauseCount = MaxClauses
	}
}

// Engine searches one index. It is safe for concurrent use.
type Engine struct {
	ix      *indexer.Index
	Timeout time.Duration // 0 = DefaultTimeout

	lexOnce sync.Once
	lex     *lexIndex // built at first use with the index's analyzers
	words   suggestWords
	acc     accel // the in-memory copy of the index (accel.go)
	results resultCache
	docs    docCache
	noCache bool
	pages   pageRelease // the index files' pages read to load practices
}

// New returns an Engine over ix.
func New(ix *indexer.Index) *Engine {
	return &Engine{ix: ix}
}

// Index returns the index the engine searches.
func (e *Engine) Index() *indexer.Index { return e.ix }

func (e *Engine) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	t := e.Timeout
	if t <= 0 {
		t = DefaultTimeout
	}
	return context.WithTimeout(ctx, t)
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$`)

// ValidID reports whether id can name a practice: 1–128 characters of
// letters, digits and . _ ~ -, not starting with punctuation.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// Practice returns the practice id. The error wraps indexer.ErrNotFound when
// there is none (or id cannot be a practice id).
func (e *Engine) Practice(ctx context.Context, id string) (indexer.Practice, error) {
	if !ValidID(id) {
		return indexer.Practice{}, fmt.Errorf("practice %q: %w", id, indexer.ErrNotFound)
	}
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()
	p, err := e.ix.Get(ctx, id)
	if err != nil {
		return indexer.Practice{}, fmt.Errorf("practice %q: %w", id, err)
	}
	return p, nil
}

// Facets counts every facet over the whole index, labelled in ui.
func (e *Engine) Facets(ctx context.Context, ui string) (map[string][]FacetValue, error) {
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	for _, f := range Facets {
		req.AddFacet(f, facetRequest(f))
	}
	res, err := e.ix.Bleve().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	out := map[string][]FacetValue{}
	r := Request{UI: ui}
	for _, f := range Facets {
		out[f] = facetValues(f, bleveCounts(f, res.Facets[f]), r)
	}
	return out, nil
}

// Ready runs a real zero-size search: nil when the index answers.
func (e *Engine) Ready(ctx context.Context) (uint64, error) {
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	res, err := e.ix.Bleve().SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("ready: %w", err)
	}
	return res.Total, nil
}

// Search answers r.
func (e *Engine) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if r.Page < 1 {
		r.Page = 1
	}
	if r.Size < 1 || r.Size > MaxSize {
		r.Size = DefaultSize
	}
	if r.UI == "" {
		r.UI = UILanguages[0]
	}
	gen, key := e.ix.Generation(), cacheKey(r)
	if res, ok := e.results.get(gen, key); ok {
		res.TookMS = float64(time.Since(start).Microseconds()) / 1000
		return res, nil
	}
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()

	m := e.memIndex(ctx)
	p := e.newPlan(ParseQuery(r.Query), r, m)
	res, err := e.search(ctx, m, p, r, true)
	if err != nil && isTooManyClauses(err) {
		res, err = e.search(ctx, m, p, r, false)
	}
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	res.Query = r.Query
	res.Page, res.Size = r.Page, r.Size
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	if !e.noCache {
		e.results.put(gen, key, res)
	}
	return res, nil
}

func isTooManyClauses(err error) bool {
	return err != nil && strings.Contains(err.Error(), "TooManyClauses")
}

// search answers from the in-memory copy m of the index when there is one
// (it is current), else from Bleve.
func (e *Engine) search(ctx context.Context, m *memindex.Index, p *plan, r Request, fuzzy bool) (*Result, error) {
	if m != nil {
		res, err := e.searchMem(ctx, m, p, r, fuzzy)
		if !errors.Is(err, memindex.ErrUnsupported) {
			return res, err
		}
	}
	return e.searchBleve(ctx, p, r, fuzzy)
}

// searchBleve runs the main query, the facet queries and the document fetch.
func (e *Engine) searchBleve(ctx context.Context, p *plan, r Request, fuzzy bool) (*Result, error) {
	idx := e.ix.Bleve()
	pq := p.pq
	main := e.bleveQuery(buildQuery(p, r, "", fuzzy))
	sortKeys := sortOrder(r.Sort, pq.Empty())

	facetsDone := make(chan facetAnswer, 1)
	go func() { facetsDone <- e.ownFilterFacets(ctx, p, r, fuzzy) }()

	col, err := e.collapse(ctx, idx, main, sortKeys, r)
	own := <-facetsDone
	if err != nil {
		return nil, err
	}
	if own.err != nil {
		return nil, own.err
	}
	hits, err := e.hits(ctx, idx, nil, pq, col, r)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: col.total, Hits: hits, Facets: map[string][]FacetValue{}}
	for _, f := range Facets {
		if !r.Counted(f) {
			continue
		}
		fr, ok := own.facets[f]
		if !ok {
			fr = col.facets[f]
		}
		out.Facets[f] = facetValues(f, bleveCounts(f, fr), r)
	}
	return out, nil
}

// bleveQuery adapts q for Bleve alone: on an index without term vectors it
// cannot match phrases (withoutPositions).
func (e *Engine) bleveQuery(q query.Query) query.Query {
	if e.ix.TermVectors() {
		return q
	}
	return withoutPositions(q)
}

// sortOrder is the Bleve sort for a request. The last two keys, group and
// lang, are read back from every hit by collapse.
func sortOrder(sort string, empty bool) []string {
	var primary []string
	switch {
	case sort == SortOldest:
		primary = []string{fieldDate, "-_score"}
	case sort == SortNewest || empty:
		primary = []string{"-" + fieldDate, "-_score"}
	default:
		primary = []string{"-_score", "-" + fieldDate}
	}
	return append(primary, fieldGroup, fieldLang, "_id")
}
