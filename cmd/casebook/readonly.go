package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
)

// openServeIndex opens the index serve answers from: normally for writing
// (the crawl jobs and schedules need it), with --read-only without any
// lock, so that several replicas can share one snapshot directory, also
// on a read-only mount.
func openServeIndex(dir string, readOnly bool) (*indexer.Index, error) {
	if !readOnly {
		return openIndex(dir, "serve")
	}
	ix, err := indexer.OpenReadOnly(dir)
	switch {
	case errors.Is(err, indexer.ErrLocked):
		return nil, fmt.Errorf("index %s is open for writing in another process; "+
			"serve --read-only is for a snapshot: casebook index snapshot --index %s DEST", dir, dir)
	case errors.Is(err, indexer.ErrCorrupt):
		return nil, fmt.Errorf("%w; a replica serves a snapshot written by `casebook index snapshot`", err)
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return ix, nil
}

// serveJobs starts the crawl jobs and schedules of a writable index. A
// read-only index gets none: no runner, no schedules, no admin token, so
// the admin API answers 403 read_only.
func serveJobs(ctx context.Context, cfg *fileConfig, ix *indexer.Index, log *slog.Logger) (*recrawl.Runner, string, error) {
	if ix.ReadOnly() {
		log.Info("read-only: serving a snapshot; no crawl jobs, no schedules, admin API disabled", "index", ix.Dir())
		return nil, "", nil
	}
	return newJobRunner(ctx, cfg, ix, log)
}

func closeJobs(jobs *recrawl.Runner) {
	if jobs != nil {
		jobs.Close()
	}
}

func readOnlyNote(ix *indexer.Index) string {
	if ix.ReadOnly() {
		return " (read-only)"
	}
	return ""
}
