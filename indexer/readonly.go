package indexer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// ErrReadOnly is returned by every write to an Index opened with
// OpenReadOnly.
var ErrReadOnly = errors.New("indexer: index opened read-only")

// OpenReadOnly opens the index in dir for searching only: it takes neither
// the lock file <dir>.lock nor bbolt's exclusive lock, writes nothing into
// dir and repairs nothing, so that several processes (replicas) may share
// one index directory, also on a read-only mount. It is meant for a
// snapshot written by Snapshot, which no process writes to: a directory
// another process holds open for writing makes it fail with ErrLocked
// after about two seconds.
//
// A symlink dir is resolved once: Dir returns the directory it pointed to.
// Upsert, Delete and sessions on the returned Index fail with an error
// wrapping ErrReadOnly (Rebuild on it returns ErrReadOnly). A missing or damaged index is an error
// wrapping ErrCorrupt; nothing is created.
func OpenReadOnly(dir string) (*Index, error) {
	if dir == "" {
		return nil, errors.New("open index: empty directory name")
	}
	// Pin the snapshot a symlink ("current") points to now: switching the
	// link later does not change what this Index serves, and Dir says which.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if _, err := os.Stat(filepath.Join(dir, metaFile)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s: no index here (%s missing)", ErrCorrupt, dir, metaFile)
		}
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	live, err := openReadOnly(dir)
	if err != nil {
		return nil, err
	}
	ro := readOnlyIndex{live}
	// lockKey stays "": Close unregisters nothing this Open registered.
	return &Index{dir: dir, live: ro, alias: bleve.NewIndexAlias(ro)}, nil
}

// readOnlyIndex refuses writes before they reach Bleve: a read-only scorch
// index has no persister, and a batch would wait for it forever.
type readOnlyIndex struct{ bleveIndex }

// bleveIndex names bleve.Index so that readOnlyIndex can embed it and still
// define an Index method.
type bleveIndex = bleve.Index

func (r readOnlyIndex) err(op string) error {
	return fmt.Errorf("%s %s: %w", op, r.Name(), ErrReadOnly)
}

func (r readOnlyIndex) Index(string, interface{}) error { return r.err("index") }
func (r readOnlyIndex) Delete(string) error             { return r.err("delete") }
func (r readOnlyIndex) Batch(*bleve.Batch) error        { return r.err("batch") }
func (r readOnlyIndex) SetInternal([]byte, []byte) error {
	return r.err("set internal")
}
func (r readOnlyIndex) DeleteInternal([]byte) error { return r.err("delete internal") }

// ReadOnly reports whether the index was opened with OpenReadOnly.
func (ix *Index) ReadOnly() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.live.(readOnlyIndex)
	return ok
}
