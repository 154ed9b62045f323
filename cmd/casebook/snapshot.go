package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/casebook-project/casebook/indexer"
)

const snapshotUsage = "index snapshot (--config FILE | --index DIR) DEST"

// runSnapshot is `casebook index snapshot`: a consistent copy of the index
// in DEST, for read-only replicas (serve --read-only) and backups.
func runSnapshot(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("index snapshot")
	var config, index string
	addTargetFlags(fs, &config, &index)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef("give the destination directory DEST")
	case len(pos) > 1:
		return usagef("unexpected argument %q", pos[1])
	}
	t, err := resolveTarget(config, index, false)
	if err != nil {
		return err
	}
	return indexSnapshot(ctx, t.index, pos[0], stdout)
}

func indexSnapshot(ctx context.Context, dir, dest string, w io.Writer) error {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		return fmt.Errorf("no index at %s", dir)
	}
	ix, err := indexer.Open(dir)
	if errors.Is(err, indexer.ErrLocked) {
		return fmt.Errorf("index %s is in use by another process (casebook serve or crawl); "+
			"snapshot it when the crawl is done, or run `casebook crawl` and `casebook index snapshot` "+
			"one after the other in the writer job (docs/scaling.md)", dir)
	}
	if errors.Is(err, indexer.ErrCorrupt) {
		return fmt.Errorf("%w; %s", err, damagedHint(dir))
	}
	if err != nil {
		return fmt.Errorf("open index %s: %w", dir, err)
	}
	defer ix.Close()
	info, err := ix.Snapshot(ctx, dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "snapshot of %s written to %s\n  practices: %d\n  size:      %.1f MB\n",
		dir, info.Dir, info.Docs, float64(info.Bytes)/1e6)
	fmt.Fprintf(w, "serve it with: CASEBOOK_INDEX=%s casebook serve --read-only --config FILE\n", info.Dir)
	return nil
}
