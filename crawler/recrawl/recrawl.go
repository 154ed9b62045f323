// Package recrawl brings the index up to date with member sites: it runs the
// crawler over each source and applies what it finds to the index through a
// per-source session, counting what was fetched, added, updated, unchanged,
// removed, failed and skipped.
//
// Removal is conservative: practices of a source are removed only after that
// source was crawled completely. A source that fails as a whole (robots.txt
// unreachable, every start URL down, the run canceled) keeps every practice
// it had; pages that answered 5xx or timed out keep their documents too.
// Only a 404 or 410, or a page no longer linked, removes a practice.
//
// Crawls are incremental: pages the index knows are asked for with their
// validators (ETag, Last-Modified) and a 304, or a sitemap lastmod not
// newer than the last fetch, counts the practice unchanged and keeps it.
// Options.Full refetches everything. A crawl that gave up a failing host
// after other pages succeeded leaves the source OK but Incomplete: nothing
// is removed.
package recrawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/indexer"
)

// Counts are the page tallies of CONTRACT §1 and §5.
type Counts struct {
	Fetched   int `json:"fetched"`
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
}

func (c *Counts) add(o Counts) {
	c.Fetched += o.Fetched
	c.Added += o.Added
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
	c.Removed += o.Removed
	c.Failed += o.Failed
	c.Skipped += o.Skipped
}

// URLError is one page that failed or was skipped, with the reason.
type URLError struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

// SourceReport is the outcome for one source.
type SourceReport struct {
	Source     string     `json:"source"`
	Counts                // flattened into the JSON object
	OK         bool       `json:"ok"`
	Incomplete bool       `json:"incomplete,omitempty"` // OK, but a host was given up: nothing was removed
	Error      string     `json:"error,omitempty"`      // why the source failed as a whole, or why an OK source is incomplete
	Errors     []URLError `json:"errors,omitempty"`
	Started    time.Time  `json:"started_at"`
	Duration   float64    `json:"duration_s"`
}

// Summary is the outcome of a run over several sources.
type Summary struct {
	Sources []SourceReport `json:"sources"`
	Total   Counts         `json:"total"`
	OK      bool           `json:"ok"`
}

// MaxErrors bounds the per-URL reasons kept in a report.
const MaxErrors = 200

// Options tune a run. The zero value works.
type Options struct {
	// Progress, when set, is called after each page event with the report
	// of the source being crawled so far. It must not keep the pointer.
	Progress func(r *SourceReport)
	// Full refetches every page, without conditional requests or the
	// sitemap lastmod shortcut (casebook crawl --full).
	Full   bool
	Logger *slog.Logger // nil = slog.Default()

	// keptFailed, when set, is called for each page that failed without
	// saying it is gone (5xx, timeout): in place its practice is kept; a
	// rebuild would lose it.
	keptFailed func(source, url string)
}

// ErrSourcesFailed is wrapped by Run's error when one or more sources failed
// as a whole; the summary says which.
var ErrSourcesFailed = errors.New("recrawl: sources failed")

// Run crawls sources one after another into ix. The error is non-nil when a
// source failed as a whole or ctx ended; the summary is complete either way
// and the index keeps every practice of the sources that failed.
func Run(ctx context.Context, c *crawler.Crawler, ix *indexer.Index, sources []crawler.Source, opts Options) (Summary, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	sum := Summary{OK: true}
	var failed []string
	for _, src := range sources {
		rep := runSource(ctx, c, ix, src, opts, log)
		sum.Sources = append(sum.Sources, rep)
		sum.Total.add(rep.Counts)
		if !rep.OK {
			sum.OK = false
			failed = append(failed, src.Name)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := ctx.Err(); err != nil {
		sum.OK = false
		return sum, fmt.Errorf("recrawl: %w", err)
	}
	if len(failed) > 0 {
		return sum, fmt.Errorf("%w: %v", ErrSourcesFailed, failed)
	}
	return sum, nil
}

func runSource(ctx context.Context, c *crawler.Crawler, ix *indexer.Index, src crawler.Source, opts Options, log *slog.Logger) SourceReport {
	rep := SourceReport{Source: src.Name, Started: time.Now().UTC()}
	defer func() { rep.Duration = time.Since(rep.Started).Seconds() }()

	sess, err := ix.Begin(ctx, src.Name)
	if err != nil {
		rep.Error = err.Error()
		return rep
	}
	note := func(url string, err error) {
		if len(rep.Errors) < MaxErrors {
			rep.Errors = append(rep.Errors, URLError{URL: url, Error: err.Error()})
		}
	}
	var writeErr error
	crawlErr := c.CrawlWith(ctx, src, crawler.Options{Full: opts.Full, Known: sess.Known}, func(ev crawler.Event) {
		switch ev.Kind {
		case crawler.EventFetched:
			rep.Fetched++
		case crawler.EventUnchanged:
			rep.Unchanged++
			sess.Keep(ev.URL)
		case crawler.EventPractice:
			p := *ev.Practice
			p.Source, p.Network = src.Name, src.Network
			out, err := sess.Put(ctx, p, ev.State)
			switch {
			case errors.Is(err, indexer.ErrInvalid):
				rep.Failed++
				note(ev.URL, err)
			case err != nil:
				// The index itself failed: stop counting this source as complete.
				if writeErr == nil {
					writeErr = err
				}
				rep.Failed++
				note(ev.URL, err)
			case out == indexer.OutcomeAdded:
				rep.Added++
			case out == indexer.OutcomeUpdated:
				rep.Updated++
			default:
				rep.Unchanged++
			}
		case crawler.EventSkipped:
			rep.Skipped++
			note(ev.URL, ev.Err)
		case crawler.EventFailed:
			rep.Failed++
			note(ev.URL, ev.Err)
			if ev.Status != 404 && ev.Status != 410 {
				sess.Keep(ev.URL) // a flaky page keeps its practice
				if opts.keptFailed != nil {
					opts.keptFailed(src.Name, ev.URL)
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(&rep)
		}
	})
	complete := crawlErr == nil && writeErr == nil && ctx.Err() == nil
	removed, finErr := sess.Finish(context.WithoutCancel(ctx), complete)
	rep.Removed = removed
	switch {
	case errors.Is(crawlErr, crawler.ErrIncomplete) && writeErr == nil && finErr == nil && ctx.Err() == nil:
		rep.OK, rep.Incomplete = true, true
		rep.Error = crawlErr.Error()
	case crawlErr != nil:
		rep.Error = crawlErr.Error()
	case writeErr != nil:
		rep.Error = fmt.Sprintf("index write: %v", writeErr)
	case finErr != nil:
		rep.Error = fmt.Sprintf("index write: %v", finErr)
	case ctx.Err() != nil:
		rep.Error = ctx.Err().Error()
	default:
		rep.OK = true
	}
	log.InfoContext(ctx, "source crawled", "source", src.Name, "ok", rep.OK, "fetched", rep.Fetched,
		"added", rep.Added, "updated", rep.Updated, "unchanged", rep.Unchanged, "removed", rep.Removed,
		"failed", rep.Failed, "skipped", rep.Skipped, "incomplete", rep.Incomplete, "error", rep.Error)
	return rep
}
