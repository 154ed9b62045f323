package recrawl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/indexer"
)

// ErrNotSwapped is wrapped by RunRebuild's error when the rebuilt index
// was not swapped in because some practices could not be fetched: the
// served index is unchanged.
var ErrNotSwapped = errors.New("rebuild not swapped in; the served index is unchanged")

// RunRebuild is a full crawl of every source into a fresh index built
// beside ix (indexer.Index.Rebuild), swapped in only when every source was
// crawled completely and no page failed except as gone (404, 410): a
// practice whose page answered 5xx would otherwise vanish with the swap.
// Otherwise, and when ctx ends, ix stays exactly as it was and the error
// says why. sources must be every configured source: a source left out
// would lose its practices. Searches keep using ix throughout.
//
// The summary's added, updated, unchanged and removed compare the rebuilt
// index with the one it replaces; fetched, failed and skipped are the
// crawl's.
func RunRebuild(ctx context.Context, c *crawler.Crawler, ix *indexer.Index, sources []crawler.Source, opts Options) (Summary, error) {
	opts.Full = true
	var mu sync.Mutex
	transient := map[string]int{}
	opts.keptFailed = func(source, _ string) {
		mu.Lock()
		transient[source]++
		mu.Unlock()
	}
	before := map[string]map[string]string{}
	for _, src := range sources {
		h, err := hashes(ctx, ix, src.Name)
		if err != nil {
			return Summary{}, fmt.Errorf("rebuild: %w", err)
		}
		before[src.Name] = h
	}

	var sum Summary
	var runErr error
	err := ix.Rebuild(ctx, func(ctx context.Context, next *indexer.Index) error {
		sum, runErr = Run(ctx, c, next, sources, opts)
		if runErr != nil {
			return fmt.Errorf("%w: %w", ErrNotSwapped, runErr)
		}
		var why []string
		for _, r := range sum.Sources {
			switch {
			case r.Incomplete:
				why = append(why, fmt.Sprintf("%s incomplete (%s)", r.Source, r.Error))
			case transient[r.Source] > 0:
				why = append(why, fmt.Sprintf("%s: %d pages failed", r.Source, transient[r.Source]))
			}
		}
		if len(why) > 0 {
			return fmt.Errorf("%w: %s", ErrNotSwapped, strings.Join(why, "; "))
		}
		// Compare with the served index while the new one is still open.
		for i := range sum.Sources {
			r := &sum.Sources[i]
			after, err := hashes(ctx, next, r.Source)
			if err != nil {
				return err
			}
			r.Added, r.Updated, r.Unchanged, r.Removed = diff(before[r.Source], after)
		}
		sum.Total = Counts{}
		for _, r := range sum.Sources {
			sum.Total.add(r.Counts)
		}
		return nil
	})
	if err != nil {
		sum.OK = false
		if errors.Is(err, ErrNotSwapped) && runErr == nil {
			for i := range sum.Sources {
				if transient[sum.Sources[i].Source] > 0 || sum.Sources[i].Incomplete {
					sum.Sources[i].OK = false
				}
			}
		}
		return sum, err
	}
	return sum, nil
}

// diff counts how the practices (id → content hash) of a source changed.
func diff(before, after map[string]string) (added, updated, unchanged, removed int) {
	for id, h := range after {
		old, ok := before[id]
		switch {
		case !ok:
			added++
		case old != h:
			updated++
		default:
			unchanged++
		}
	}
	for id := range before {
		if _, ok := after[id]; !ok {
			removed++
		}
	}
	return added, updated, unchanged, removed
}

// hashes returns the id and content hash of every practice of source.
func hashes(ctx context.Context, ix *indexer.Index, source string) (map[string]string, error) {
	q := bleve.NewTermQuery(source)
	q.SetField(indexer.FieldSource)
	out := map[string]string{}
	var after []string
	const page = 1000
	for {
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.Fields = []string{indexer.FieldHash}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := ix.Bleve().SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list practices of %s: %w", source, err)
		}
		for _, h := range res.Hits {
			s, _ := h.Fields[indexer.FieldHash].(string)
			out[h.ID] = s
		}
		if len(res.Hits) < page {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
