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

const snapshotUsage = "index snapshot (--config FILE | --index DIR) DEST\n" +
	"  casebook index snapshot --server URL --token-env VAR NAME"

// runSnapshot is `casebook index snapshot`: a consistent copy of the index
// in DEST, for read-only replicas (serve --read-only) and backups. With
// --server, the running server holding the index writes the copy into its
// server.snapshot_dir under NAME (remote.go).
func runSnapshot(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("index snapshot")
	var config, index, serverURL, tokenEnv string
	addTargetFlags(fs, &config, &index)
	fs.StringVar(&serverURL, "server", "", "ask this running casebook serve (its base URL) to write the snapshot, through the admin API")
	fs.StringVar(&tokenEnv, "token-env", "", "with --server: environment variable holding the admin token")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	what := "the destination directory DEST"
	if serverURL != "" {
		what = "the snapshot's NAME (a directory name inside the server's server.snapshot_dir)"
	}
	switch {
	case len(pos) == 0:
		return usagef("give %s", what)
	case len(pos) > 1:
		return usagef("unexpected argument %q", pos[1])
	}
	if serverURL != "" {
		if config != "" || index != "" {
			return usagef("--server takes the snapshot on the server: give no --config or --index")
		}
		return runRemoteSnapshot(ctx, serverURL, tokenEnv, pos[0], stdout)
	}
	if tokenEnv != "" {
		return usagef("--token-env goes with --server")
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
			"if `casebook serve` holds it, let the server write the snapshot: "+
			"casebook index snapshot --server URL --token-env VAR NAME (with server.snapshot_dir set); "+
			"otherwise snapshot it when the crawl is done (docs/scaling.md)", dir)
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
	printSnapshot(w, "snapshot of "+dir, info.Dir, info.Docs, info.Bytes)
	return nil
}

func printSnapshot(w io.Writer, what, dir string, docs uint64, bytes int64) {
	fmt.Fprintf(w, "%s written to %s\n  practices: %d\n  size:      %.1f MB\n", what, dir, docs, float64(bytes)/1e6)
	fmt.Fprintf(w, "serve it with: CASEBOOK_INDEX=%s casebook serve --read-only --config FILE\n", dir)
}
