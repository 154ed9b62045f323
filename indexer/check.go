package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/blevesearch/bleve/v2"
)

// maxListed bounds the ids a report lists one by one.
const maxListed = 20

// CheckReport is what Check found. The index is healthy when Problems is
// empty; Notes are facts that need no action.
type CheckReport struct {
	Dir      string
	Docs     uint64   // documents Bleve counts
	Read     int      // stored documents read and verified
	Bad      int      // stored documents that fail to decode or verify
	BadIDs   []string // the first maxListed of them, "id: reason"
	Problems []string // one line each, naming what is wrong
	Notes    []string
	Missing  bool // there is no index at Dir at all
}

// OK reports whether the check found nothing wrong.
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 }

func (r *CheckReport) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

func (r *CheckReport) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// Check verifies the index in dir without changing it: its files are in
// place, Bleve opens it (read-only), every term dictionary can be walked,
// every stored practice decodes and matches its id and content hash, and
// the number of practices read equals Bleve's document count. It holds
// the directory's lock while it runs, so it fails with an error wrapping
// ErrLocked while a server or crawl has the index open. Damage is
// reported in the CheckReport, not as an error.
func Check(ctx context.Context, dir string) (*CheckReport, error) {
	h, err := acquire(dir)
	if err != nil {
		return nil, err
	}
	defer h.release()
	r := &CheckReport{Dir: dir}
	if !checkFiles(r, h.key) {
		return r, nil
	}
	ix, err := openReadOnly(dir)
	if err != nil {
		if errors.Is(err, ErrLocked) {
			return nil, err
		}
		r.problem("Bleve cannot open the index: %v", err)
		return r, nil
	}
	defer func() { _ = ix.Close() }()
	if err := checkContent(ctx, r, ix); err != nil {
		return nil, err
	}
	return r, nil
}

// checkFiles checks the files of the index at path and reports whether
// there is an index to open.
func checkFiles(r *CheckReport, path string) bool {
	for _, s := range []string{nextSuffix, oldSuffix} {
		if exists(path + s) {
			r.note("%s%s was left by an interrupted rebuild; the next open tidies it up", r.Dir, s)
		}
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && exists(filepath.Join(path+oldSuffix, metaFile)):
		r.problem("%s is missing: an interrupted rebuild left the index in %s%s; the next open (or index rebuild) moves it back", r.Dir, r.Dir, oldSuffix)
		return false
	case errors.Is(err, os.ErrNotExist):
		r.Missing = true
		r.problem("no index at %s", r.Dir)
		return false
	case err != nil:
		r.problem("%v", err)
		return false
	case !fi.IsDir():
		r.problem("%s is not a directory", r.Dir)
		return false
	}
	raw, err := os.ReadFile(filepath.Join(path, metaFile))
	if err != nil {
		r.problem("%s: %v", metaFile, err)
		return false
	}
	var meta struct {
		Storage string `json:"storage"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		r.problem("%s is not valid JSON: %v", metaFile, err)
		return false
	}
	root := filepath.Join(path, storeDir, rootBolt)
	if fi, err := os.Stat(root); err != nil || fi.Size() == 0 {
		r.problem("%s/%s is missing or empty", storeDir, rootBolt)
		return false
	}
	return true
}

// checkContent reads everything the opened index holds. It returns an
// error only when ctx ends.
func checkContent(ctx context.Context, r *CheckReport, ix bleve.Index) error {
	n, err := ix.DocCount()
	if err != nil {
		r.problem("document count: %v", err)
		return nil
	}
	r.Docs = n
	if m, err := NewMapping(); err == nil && !sameMapping(ix, m) {
		r.note("the index mapping differs from this version's; index rebuild re-indexes with the current one")
	}
	if err := walkDictionaries(ctx, ix); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.problem("term dictionaries: %v", err)
	}
	err = scanStored(ctx, ix, func(d storedDoc) error {
		r.Read++
		if _, err := verifyStored(d); err != nil {
			r.Bad++
			if len(r.BadIDs) < maxListed {
				r.BadIDs = append(r.BadIDs, d.id+": "+err.Error())
			}
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.problem("%v", err)
		return nil
	}
	if r.Bad > 0 {
		r.problem("%d of %d stored practices cannot be read", r.Bad, r.Read)
	}
	if uint64(r.Read) != r.Docs {
		r.problem("Bleve counts %d documents but %d could be listed", r.Docs, r.Read)
	}
	return nil
}

// walkDictionaries reads every term of every field, which touches every
// segment's dictionaries.
func walkDictionaries(ctx context.Context, ix bleve.Index) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	fields, err := ix.Fields()
	if err != nil {
		return err
	}
	slices.Sort(fields)
	for _, f := range fields {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := ix.FieldDict(f)
		if err != nil {
			return fmt.Errorf("field %s: %w", f, err)
		}
		for {
			e, err := d.Next()
			if err != nil {
				_ = d.Close()
				return fmt.Errorf("field %s: %w", f, err)
			}
			if e == nil {
				break
			}
		}
		if err := d.Close(); err != nil {
			return fmt.Errorf("field %s: %w", f, err)
		}
	}
	return nil
}

// sameMapping reports whether ix was built with mapping m.
func sameMapping(ix bleve.Index, m any) bool {
	a, err1 := json.Marshal(ix.Mapping())
	b, err2 := json.Marshal(m)
	if err1 != nil || err2 != nil {
		return false
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
