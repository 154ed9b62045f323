package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// RecoverReport is what Recover did.
type RecoverReport struct {
	Dir string
	// Method is how the practices were read: "bleve" when the index
	// opened, "segments" when they were read segment by segment because
	// it did not.
	Method    string
	Found     int      // stored documents found
	Recovered int      // practices in the rebuilt index
	Lost      int      // documents found that could not be read back
	LostIDs   []string // the first maxListed, "id: reason"
	Kept      string   // where the replaced, damaged index was kept; "" when removed
	Notes     []string
}

// recoverStep is called at each step of Recover's swap; tests kill the
// process there.
var recoverStep = func(step string) {}

// Recover rebuilds the index in dir from the practices stored in it, for
// an index that is damaged or was written by another version. It reads
// every stored practice it can: through Bleve when the index opens, else
// segment by segment (skipping a segment that does not read, and without
// root.bolt every segment file). It writes them into a fresh index in
// <dir>.next and swaps that in as Rebuild does, so a process killed at any
// point leaves the old index or the new one, never neither. When anything
// was lost, or Bleve could not open the old index, the old one is kept
// beside as <dir>.damaged-<time> (named in the report); otherwise it is
// removed.
//
// Recover fails with an error wrapping ErrLocked while the index is open
// elsewhere, and with one wrapping ErrCorrupt, changing nothing, when
// Bleve cannot open the index and no practice can be read from its
// segments: then only a new crawl or import can fill it again.
func Recover(ctx context.Context, dir string) (*RecoverReport, error) {
	h, err := acquire(dir)
	if err != nil {
		return nil, err
	}
	defer h.release()
	if err := recoverRebuild(h.key); err != nil {
		return nil, fmt.Errorf("recover %s: %w", dir, err)
	}
	if !exists(h.key) {
		return nil, fmt.Errorf("recover %s: no index there", dir)
	}
	r := &RecoverReport{Dir: dir}
	docs, err := readAll(ctx, r, h.key)
	if err != nil {
		return nil, err
	}
	nextDir := h.key + nextSuffix
	if err := os.RemoveAll(nextDir); err != nil {
		return nil, fmt.Errorf("recover %s: remove leftover %s: %w", dir, nextDir, err)
	}
	if err := fillNext(ctx, r, nextDir, docs); err != nil {
		_ = os.RemoveAll(nextDir)
		return nil, fmt.Errorf("recover %s: %w (the index is unchanged)", dir, err)
	}
	recoverStep("filled")
	keep := ""
	if r.Lost > 0 || r.Method != "bleve" {
		keep = h.key + keepSuffix(time.Now())
	}
	if err := swapDirs(h.key, nextDir, keep); err != nil {
		return nil, fmt.Errorf("recover %s: %w", dir, err)
	}
	if keep != "" {
		r.Kept = filepath.Join(filepath.Dir(dir), filepath.Base(keep))
	}
	return r, nil
}

// readAll reads every stored document of the index at path, through Bleve
// if it opens, else segment by segment.
func readAll(ctx context.Context, r *RecoverReport, path string) (map[string]storedDoc, error) {
	docs := map[string]storedDoc{}
	ix, err := openReadOnly(path)
	if err == nil {
		err = scanStored(ctx, ix, func(d storedDoc) error {
			docs[d.id] = d
			return nil
		})
		_ = ix.Close()
		if err == nil {
			r.Method = "bleve"
			r.Found = len(docs)
			return docs, nil
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if errors.Is(err, ErrLocked) {
		return nil, err
	}
	r.Notes = append(r.Notes, fmt.Sprintf("Bleve cannot read the index: %v", err))
	s := salvageSegments(path)
	r.Method = "segments"
	r.Notes = append(r.Notes, s.notes...)
	r.Found = len(s.docs)
	if len(s.docs) == 0 {
		return nil, fmt.Errorf("%w: %s: Bleve cannot open it (%v) and no practice could be read from its segments", ErrCorrupt, r.Dir, err)
	}
	return s.docs, nil
}

// fillNext writes the readable documents into a new index at nextDir and
// makes it durable.
func fillNext(ctx context.Context, r *RecoverReport, nextDir string, docs map[string]storedDoc) error {
	live, err := openOrCreate(nextDir)
	if err != nil {
		return err
	}
	next := &Index{dir: nextDir, live: live}
	pending := make([]pendingDoc, 0, batchSize)
	flush := func() error {
		err := next.write(ctx, pending, nil)
		pending = pending[:0]
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(docs)) {
		d := docs[id]
		fields, err := rebuildFields(d)
		if err != nil {
			r.Lost++
			if len(r.LostIDs) < maxListed {
				r.LostIDs = append(r.LostIDs, id+": "+err.Error())
			}
			continue
		}
		pending = append(pending, pendingDoc{id: id, fields: fields})
		r.Recovered++
		if len(pending) == batchSize {
			if err := flush(); err != nil {
				_ = next.live.Close()
				return err
			}
		}
	}
	if err := flush(); err != nil {
		_ = next.live.Close()
		return err
	}
	if err := next.live.Close(); err != nil {
		return fmt.Errorf("close %s: %w", nextDir, err)
	}
	if err := syncTree(nextDir); err != nil {
		return fmt.Errorf("fsync %s: %w", nextDir, err)
	}
	return nil
}

// rebuildFields turns a stored document back into the fields to index,
// normalising the practice again with this version's vocabulary.
func rebuildFields(d storedDoc) (map[string]interface{}, error) {
	p, err := verifyStored(d)
	if err != nil {
		return nil, err
	}
	n, err := Normalize(p)
	if err != nil {
		return nil, err
	}
	if n.ID != d.id {
		return nil, fmt.Errorf("normalised practice has id %q", n.ID)
	}
	fields, _, err := document(n)
	if err != nil {
		return nil, err
	}
	if d.fetch != "" {
		fields[FieldFetch] = d.fetch
	}
	return fields, nil
}

// swapDirs puts the complete index in nextDir at path with Rebuild's two
// renames through <path>.old (so Open repairs a kill at any point), then
// moves the old index to keep, or removes it when keep is "".
func swapDirs(path, nextDir, keep string) error {
	oldDir, parent := path+oldSuffix, filepath.Dir(path)
	if err := os.RemoveAll(oldDir); err != nil {
		_ = os.RemoveAll(nextDir)
		return fmt.Errorf("swap: remove leftover %s: %w", oldDir, err)
	}
	if err := os.Rename(path, oldDir); err != nil {
		_ = os.RemoveAll(nextDir)
		return fmt.Errorf("swap: move the index aside: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return undo(path, oldDir, nextDir, fmt.Errorf("swap: fsync: %w", err))
	}
	recoverStep("moved-aside")
	if err := os.Rename(nextDir, path); err != nil {
		return undo(path, oldDir, nextDir, fmt.Errorf("swap: move the rebuilt index in: %w", err))
	}
	if err := syncDir(parent); err != nil {
		slog.Warn("recover: fsync after swap", "dir", parent, "err", err)
	}
	recoverStep("swapped")
	if keep != "" {
		if err := os.Rename(oldDir, keep); err != nil {
			slog.Warn("recover: keep the damaged index (Open removes it later)", "dir", oldDir, "err", err)
		}
	} else if err := os.RemoveAll(oldDir); err != nil {
		slog.Warn("recover: remove the replaced index (Open removes it later)", "dir", oldDir, "err", err)
	}
	_ = syncDir(parent)
	return nil
}
