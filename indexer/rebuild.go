package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// Suffixes of the directories a Rebuild works in, beside the index.
const (
	nextSuffix = ".next" // the index being rebuilt
	oldSuffix  = ".old"  // the replaced index, between the two renames of a swap
)

// ErrRebuildRunning is returned by Rebuild while another Rebuild of the
// same Index runs.
var ErrRebuildRunning = errors.New("indexer: a rebuild is already running")

// Rebuild replaces the whole index with one built from nothing. It creates
// an empty index in the sibling directory <dir>.next and calls fill with
// it; searches and writes keep using the live index meanwhile. When fill
// returns nil the new index is flushed, fsynced and swapped in:
//
//  1. close the live index (searches wait a moment on the Index's lock);
//  2. rename <dir> to <dir>.old and fsync the parent directory;
//  3. rename <dir>.next to <dir> and fsync the parent directory;
//  4. open <dir> and point the IndexAlias at it;
//  5. remove <dir>.old.
//
// When fill fails, or ctx ends, <dir>.next is removed and the live index
// is left exactly as it was. A process killed at any point leaves either
// the old index at <dir> (with a <dir>.next to drop), the old index at
// <dir>.old with no <dir> (put back), or the new index at <dir> with a
// <dir>.old to drop; Open repairs each case before opening. Practices
// written to the live index during fill are not in the rebuilt one.
//
// On an Index opened with OpenReadOnly, Rebuild returns an error wrapping
// ErrReadOnly, calls nothing and writes nothing.
func (ix *Index) Rebuild(ctx context.Context, fill func(ctx context.Context, next *Index) error) error {
	if ix.ReadOnly() {
		// A read-only Index has no lockKey: "<dir>.next" would land in the
		// working directory, and the snapshot must not change anyway.
		return fmt.Errorf("rebuild %s: %w", ix.dir, ErrReadOnly)
	}
	if !ix.rebuild.TryLock() {
		return ErrRebuildRunning
	}
	defer ix.rebuild.Unlock()
	ix.mu.RLock()
	closed := ix.closed
	ix.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	nextDir := ix.lockKey + nextSuffix
	if err := os.RemoveAll(nextDir); err != nil {
		return fmt.Errorf("rebuild %s: remove leftover %s: %w", ix.dir, nextDir, err)
	}
	live, err := openOrCreate(nextDir)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", ix.dir, err)
	}
	next := &Index{dir: nextDir, live: live, alias: bleve.NewIndexAlias(live)}
	discard := func() { _ = next.Close(); _ = os.RemoveAll(nextDir) }

	if err := fill(ctx, next); err != nil {
		discard()
		return fmt.Errorf("rebuild %s: %w (the served index is unchanged)", ix.dir, err)
	}
	if err := ctx.Err(); err != nil {
		discard()
		return fmt.Errorf("rebuild %s: %w (the served index is unchanged)", ix.dir, err)
	}
	if err := next.Close(); err != nil {
		_ = os.RemoveAll(nextDir)
		return fmt.Errorf("rebuild %s: %w", ix.dir, err)
	}
	if err := syncTree(nextDir); err != nil {
		_ = os.RemoveAll(nextDir)
		return fmt.Errorf("rebuild %s: fsync %s: %w", ix.dir, nextDir, err)
	}
	return ix.swapIn(nextDir)
}

// swapIn moves the complete index in nextDir to the index's place (steps
// 1–5 of Rebuild), putting the old index back if the new one fails to open.
func (ix *Index) swapIn(nextDir string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		_ = os.RemoveAll(nextDir)
		return ErrClosed
	}
	path, oldDir, parent := ix.lockKey, ix.lockKey+oldSuffix, filepath.Dir(ix.lockKey)
	fail := func(step string, err error) error {
		return fmt.Errorf("rebuild %s: swap: %s: %w", ix.dir, step, err)
	}
	// reopen points the alias at the index now at path after a failed step.
	reopen := func(cause error) error {
		l, err := openOrCreate(path)
		if err != nil {
			return errors.Join(cause, fmt.Errorf("reopen %s: %w", path, err))
		}
		ix.alias.Swap([]bleve.Index{l}, []bleve.Index{ix.live})
		ix.live = l
		ix.gen.Add(1)
		return cause
	}
	if err := os.RemoveAll(oldDir); err != nil {
		_ = os.RemoveAll(nextDir)
		return fail("remove leftover "+oldDir, err)
	}
	if err := ix.live.Close(); err != nil {
		_ = os.RemoveAll(nextDir)
		return reopen(fail("close live index", err))
	}
	if err := os.Rename(path, oldDir); err != nil {
		_ = os.RemoveAll(nextDir)
		return reopen(fail("move live index aside", err))
	}
	if err := syncDir(parent); err != nil {
		return reopen(undo(path, oldDir, nextDir, fail("fsync", err)))
	}
	if err := os.Rename(nextDir, path); err != nil {
		return reopen(undo(path, oldDir, nextDir, fail("move rebuilt index in", err)))
	}
	if err := syncDir(parent); err != nil {
		slog.Warn("rebuild: fsync after swap", "dir", parent, "err", err)
	}
	l, err := openOrCreate(path)
	if err != nil {
		// The rebuilt index does not open: give the old one its place back.
		if rerr := os.Rename(path, nextDir); rerr != nil {
			return errors.Join(fail("open rebuilt index", err), rerr)
		}
		return reopen(undo(path, oldDir, nextDir, fail("open rebuilt index", err)))
	}
	ix.alias.Swap([]bleve.Index{l}, []bleve.Index{ix.live})
	ix.live = l
	ix.gen.Add(1)
	if err := os.RemoveAll(oldDir); err != nil {
		slog.Warn("rebuild: remove replaced index (Open removes it later)", "dir", oldDir, "err", err)
	}
	_ = syncDir(parent)
	return nil
}

// undo moves the old index from oldDir back to path and drops nextDir.
func undo(path, oldDir, nextDir string, cause error) error {
	_ = os.RemoveAll(nextDir)
	if err := os.Rename(oldDir, path); err != nil {
		return errors.Join(cause, fmt.Errorf("move %s back: %w", oldDir, err))
	}
	_ = syncDir(filepath.Dir(path))
	return cause
}

// recoverRebuild repairs what an interrupted Rebuild of the index at path
// left behind. The caller holds the index's lock file.
func recoverRebuild(path string) error {
	nextDir, oldDir := path+nextSuffix, path+oldSuffix
	changed := false
	if !exists(path) && exists(filepath.Join(oldDir, metaFile)) {
		// Killed between the two renames: the old index goes back.
		if err := os.Rename(oldDir, path); err != nil {
			return fmt.Errorf("restore %s: %w", oldDir, err)
		}
		slog.Warn("index: restored the index an interrupted rebuild had moved aside", "dir", path)
		changed = true
	}
	for _, d := range []string{nextDir, oldDir} {
		if !exists(d) {
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("remove leftover %s: %w", d, err)
		}
		slog.Info("index: removed the leftover of an interrupted rebuild", "dir", d)
		changed = true
	}
	if changed {
		return syncDir(filepath.Dir(path))
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// syncTree fsyncs every file and directory under root.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		return syncPath(p)
	})
}

func syncDir(dir string) error { return syncPath(dir) }

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
