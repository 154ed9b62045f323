package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
)

// snapshotTmpSuffix names the directory a snapshot is written to before it
// is renamed into place.
const snapshotTmpSuffix = ".tmp"

// ErrSnapshotDest is wrapped by Snapshot when the destination is not a
// missing or empty directory, or lies inside the index.
var ErrSnapshotDest = errors.New("snapshot destination not usable")

// SnapshotInfo describes a snapshot Snapshot wrote.
type SnapshotInfo struct {
	Dir   string // the destination, as given
	Docs  uint64 // practices in the snapshot, counted by opening it
	Bytes int64  // size of its files
}

// Snapshot writes a consistent point-in-time copy of the index to dest,
// while searches and writes go on: Bleve's copy reader pins the segments
// of the current scorch snapshot (writes made after it started are not in
// the copy) and persists those still in memory into the copy.
//
// dest must not exist or be an empty directory. The copy is written to
// dest.tmp (a leftover dest.tmp is removed first), fsynced, opened
// read-only to count its practices, then renamed to dest, so dest never
// holds half a snapshot. The result opens with Open and OpenReadOnly.
// Files are made world-readable so that replicas running as another user
// can share it.
func (ix *Index) Snapshot(ctx context.Context, dest string) (SnapshotInfo, error) {
	if err := ix.checkSnapshotDest(dest); err != nil {
		return SnapshotInfo{}, err
	}
	tmp := filepath.Clean(dest) + snapshotTmpSuffix
	if err := os.RemoveAll(tmp); err != nil {
		return SnapshotInfo{}, fmt.Errorf("snapshot %s: remove leftover %s: %w", ix.dir, tmp, err)
	}
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		return SnapshotInfo{}, fmt.Errorf("snapshot %s: %w", ix.dir, err)
	}
	if err := ix.copyTo(ctx, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return SnapshotInfo{}, err
	}
	info, err := finishSnapshot(ctx, tmp)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return SnapshotInfo{}, fmt.Errorf("snapshot %s: %w", ix.dir, err)
	}
	// os.Rename does not replace a directory, not even an empty one.
	if err := os.Remove(dest); err != nil && !errors.Is(err, fs.ErrNotExist) {
		_ = os.RemoveAll(tmp)
		return SnapshotInfo{}, fmt.Errorf("snapshot %s: %w: %w", ix.dir, ErrSnapshotDest, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.RemoveAll(tmp)
		return SnapshotInfo{}, fmt.Errorf("snapshot %s: move %s into place: %w", ix.dir, tmp, err)
	}
	if err := syncDir(filepath.Dir(filepath.Clean(dest))); err != nil {
		return SnapshotInfo{}, fmt.Errorf("snapshot %s: fsync parent of %s: %w", ix.dir, dest, err)
	}
	info.Dir = dest
	return info, nil
}

// checkSnapshotDest refuses a dest that exists and is not an empty
// directory, and one inside the index (or the index itself).
func (ix *Index) checkSnapshotDest(dest string) error {
	if dest == "" {
		return fmt.Errorf("%w: empty name", ErrSnapshotDest)
	}
	src, err := lockKey(ix.dir)
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", ix.dir, err)
	}
	dst, err := lockKey(dest)
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", ix.dir, err)
	}
	if dst == src || strings.HasPrefix(dst, src+string(filepath.Separator)) {
		return fmt.Errorf("%w: %s is inside the index %s", ErrSnapshotDest, dest, ix.dir)
	}
	entries, err := os.ReadDir(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) && !isDir(dest) {
			return fmt.Errorf("%w: %s exists and is not a directory", ErrSnapshotDest, dest)
		}
		return fmt.Errorf("snapshot %s: %w", ix.dir, err)
	case len(entries) > 0:
		return fmt.Errorf("%w: %s is not empty", ErrSnapshotDest, dest)
	}
	return nil
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// copyTo runs Bleve's online copy of the live index into dir.
func (ix *Index) copyTo(ctx context.Context, dir string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// Shared: writes go on; a rebuild's swap and Close wait for the copy.
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	live := ix.live
	if ro, ok := live.(readOnlyIndex); ok {
		live = ro.bleveIndex
	}
	c, ok := live.(bleve.IndexCopyable)
	if !ok {
		return fmt.Errorf("snapshot %s: index type %T cannot be copied online", ix.dir, live)
	}
	if err := c.CopyTo(bleve.FileSystemDirectory(dir)); err != nil {
		return fmt.Errorf("snapshot %s: %w", ix.dir, err)
	}
	return ctx.Err()
}

// finishSnapshot makes the copy in dir readable to all, fsyncs it, and
// opens it read-only to count its practices.
func finishSnapshot(ctx context.Context, dir string) (SnapshotInfo, error) {
	var info SnapshotInfo
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		} else if fi, err := d.Info(); err == nil {
			info.Bytes += fi.Size()
		}
		return os.Chmod(p, mode)
	})
	if err != nil {
		return info, err
	}
	if err := syncTree(dir); err != nil {
		return info, fmt.Errorf("fsync: %w", err)
	}
	ro, err := OpenReadOnly(dir)
	if err != nil {
		return info, fmt.Errorf("the copy does not open: %w", err)
	}
	defer ro.Close()
	n, err := ro.Count(ctx)
	if err != nil {
		return info, fmt.Errorf("the copy does not count: %w", err)
	}
	info.Docs = n
	return info, nil
}
