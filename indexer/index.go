package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"
)

// lockTimeout bounds how long Open waits for another holder of the index
// to let go before it reports ErrLocked.
const lockTimeout = "2s"

// lockWait is lockTimeout for the lock file taken before the index.
const lockWait = 2 * time.Second

// batchSize is how many documents go into one Bleve batch.
const batchSize = 200

// metaFile marks a directory as a Bleve index.
const metaFile = "index_meta.json"

// storeDir and rootBolt are where scorch keeps its segments and the list
// of live ones.
const (
	storeDir = "store"
	rootBolt = "root.bolt"
)

// Index is a practice index on disk. Searches go through Bleve(), an
// IndexAlias, so that a rebuilt index can later be swapped in atomically
// while writes keep going to the live index. An Index is safe for
// concurrent use.
type Index struct {
	dir     string
	lockKey string // dir as registered in openDirs: absolute, symlinks resolved
	alias   bleve.IndexAlias
	lock    *dirLock   // <dir>.lock, held until Close; nil for a rebuild's scratch index
	rebuild sync.Mutex // one Rebuild at a time

	mu     sync.RWMutex // guards live and closed; writers hold it shared
	live   bleve.Index
	closed bool

	gen atomic.Uint64 // Generation: bumped after every batch written and every swap
}

// openDirs holds the directories opened by this process: bbolt's file lock
// would make a second Open here wait for the full timeout, this answers at
// once.
var openDirs = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

// Open opens the index in dir, creating it (and dir) when absent. When
// another process holds the index, Open fails within about two seconds with
// an error wrapping ErrLocked ("index in use: <dir>"); so does a second Open
// of the same directory in this process before Close.
//
// Open first takes the lock file <dir>.lock, then repairs what an
// interrupted Rebuild left (see Rebuild): a <dir>.next is removed, and when
// <dir> is missing but <dir>.old holds an index, <dir>.old is moved back.
func Open(dir string) (*Index, error) {
	// The lock file sits next to the index: make the directory holding
	// both, as creating the index would have ("--data /new/dir" works).
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	h, err := acquire(dir)
	if err != nil {
		return nil, err
	}
	if err := recoverRebuild(h.key); err != nil {
		h.release()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	live, err := openOrCreate(dir)
	if err != nil {
		h.release()
		return nil, err
	}
	return &Index{dir: dir, lockKey: h.key, lock: h.lock, live: live, alias: bleve.NewIndexAlias(live)}, nil
}

// held is an index directory this process has claimed: registered in
// openDirs and its lock file taken.
type held struct {
	key  string
	lock *dirLock
}

// acquire claims dir for this process, failing with an error wrapping
// ErrLocked when another Index or process holds it.
func acquire(dir string) (held, error) {
	if dir == "" {
		return held{}, errors.New("open index: empty directory name")
	}
	key, err := lockKey(dir)
	if err != nil {
		return held{}, fmt.Errorf("open index %s: %w", dir, err)
	}
	openDirs.Lock()
	if openDirs.m[key] {
		openDirs.Unlock()
		return held{}, fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	openDirs.m[key] = true
	openDirs.Unlock()
	unregister := func() {
		openDirs.Lock()
		delete(openDirs.m, key)
		openDirs.Unlock()
	}
	lock, err := lockDir(key, lockWait)
	if errors.Is(err, ErrLocked) {
		unregister()
		return held{}, fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	if err != nil {
		unregister()
		return held{}, fmt.Errorf("open index %s: %w", dir, err)
	}
	return held{key: key, lock: lock}, nil
}

// release gives up what acquire claimed.
func (h held) release() {
	_ = h.lock.unlock()
	openDirs.Lock()
	delete(openDirs.m, h.key)
	openDirs.Unlock()
}

// lockKey names dir the same way however it was spelled.
func lockKey(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	// Not created yet: resolve the parent, so the key does not change
	// once the directory exists.
	if parent, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(parent, filepath.Base(abs)), nil
	}
	return abs, nil
}

func openOrCreate(dir string) (bleve.Index, error) {
	cfg := map[string]interface{}{"bolt_timeout": lockTimeout}
	_, err := os.Stat(filepath.Join(dir, metaFile))
	switch {
	case err == nil:
		return openBleve(dir, cfg)
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if exists(filepath.Join(dir, storeDir)) {
		return nil, fmt.Errorf("%w: %s: %s is missing but %s/ holds index data", ErrCorrupt, dir, metaFile, storeDir)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("open index %s: directory is not empty and holds no index (%s missing)", dir, metaFile)
	}
	m, err := NewMapping()
	if err != nil {
		return nil, fmt.Errorf("create index %s: mapping: %w", dir, err)
	}
	ix, err := bleve.NewUsing(dir, m, scorch.Name, bleve.Config.DefaultKVStore, cfg)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return ix, nil
}

// openBleve opens the Bleve index in dir (which has its metaFile). A
// missing root.bolt, an error reading the index or a panic in Bleve (a
// garbled segment can make it index out of range) becomes an error
// wrapping ErrCorrupt; bbolt's lock timeout becomes ErrLocked.
func openBleve(dir string, cfg map[string]interface{}) (ix bleve.Index, err error) {
	root := filepath.Join(dir, storeDir, rootBolt)
	if fi, serr := os.Stat(root); serr != nil || fi.Size() == 0 {
		// Bleve would create an empty root.bolt and serve an empty index,
		// or fail on the missing mapping.
		return nil, fmt.Errorf("%w: %s: %s/%s is missing or empty", ErrCorrupt, dir, storeDir, rootBolt)
	}
	if err := preflight(dir); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, dir, err)
	}
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("%w: %s: reading it failed: %v", ErrCorrupt, dir, r)
		}
	}()
	ix, err = bleve.OpenUsing(dir, cfg)
	if err != nil {
		return nil, openError(dir, err)
	}
	return ix, nil
}

func openError(dir string, err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("%w: %s", ErrLocked, dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("open index %s: %w", dir, err)
	}
	msg, _, _ := strings.Cut(err.Error(), "\n") // Bleve adds the mapping on further lines
	if strings.HasPrefix(msg, "error parsing mapping JSON") {
		// Scorch skips a snapshot it cannot load and then finds no mapping.
		msg = "no snapshot of it loads (a segment file is missing or damaged)"
	}
	return fmt.Errorf("%w: %s: %s", ErrCorrupt, dir, strings.TrimSpace(msg))
}

// Close flushes and closes the index and releases its directory.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	_ = ix.alias.Close() // only marks the alias closed
	err := ix.live.Close()
	if uerr := ix.lock.unlock(); err == nil && uerr != nil {
		err = uerr
	}
	openDirs.Lock()
	delete(openDirs.m, ix.lockKey)
	openDirs.Unlock()
	if err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}

// Bleve returns the index searches run against: an IndexAlias over the live
// index, which a Rebuild repoints at the rebuilt one. Use its
// SearchInContext; writes go through Upsert, Delete and Session.
func (ix *Index) Bleve() bleve.Index { return served{IndexAlias: ix.alias, ix: ix} }

// TermVectors reports whether the index keeps Bleve term vectors for its
// text fields (indexes created before session 11, or with
// KeepTermVectors). Without them Bleve alone cannot match phrases: the
// in-memory copy reads positions from FieldPositions instead.
func (ix *Index) TermVectors() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.live == nil {
		return false
	}
	return termVectors(ix.live.Mapping())
}

func termVectors(m mapping.IndexMapping) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return false
	}
	return im.FieldMappingForPath(TextField(KindBody, "en")).IncludeTermVectors
}

// Dir returns the directory the index lives in, as given to Open.
func (ix *Index) Dir() string { return ix.dir }

// Count returns the number of practices in the index.
func (ix *Index) Count(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return 0, ErrClosed
	}
	n, err := ix.alias.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", ix.dir, err)
	}
	return n, nil
}

// Get returns the practice with the given id, or an error wrapping
// ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (Practice, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = []string{FieldDoc}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Practice{}, ErrClosed
	}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return Practice{}, fmt.Errorf("get %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return Practice{}, fmt.Errorf("get %s: %w", id, ErrNotFound)
	}
	p, err := DecodeStored(res.Hits[0].Fields)
	if err != nil {
		return Practice{}, fmt.Errorf("get %s: %w", id, err)
	}
	return p, nil
}

// Upsert normalises each practice and adds it, replacing any practice with
// the same id. If any practice is invalid nothing is written and the error
// wraps ErrInvalid and names the practice's position.
func (ix *Index) Upsert(ctx context.Context, ps []Practice) error {
	docs := make([]pendingDoc, 0, len(ps))
	for i, p := range ps {
		n, err := Normalize(p)
		if err != nil {
			return fmt.Errorf("upsert: practice %d: %w", i, err)
		}
		d, _, err := document(n)
		if err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		docs = append(docs, pendingDoc{id: n.ID, fields: d})
	}
	if err := ix.write(ctx, docs, nil); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	return nil
}

// Delete removes the practices with the given ids; unknown ids are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if err := ix.write(ctx, nil, ids); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	return nil
}

// applyBatch writes one batch; tests replace it to inject write errors.
var applyBatch = func(live bleve.Index, b *bleve.Batch) error { return live.Batch(b) }

// pendingDoc is one document waiting to be written.
type pendingDoc struct {
	id     string
	fields map[string]interface{}
}

// write indexes docs and deletes ids in batches of batchSize, checking ctx
// between batches. Batches already written stay written when a later one
// fails.
func (ix *Index) write(ctx context.Context, docs []pendingDoc, ids []string) error {
	return ix.writeSized(ctx, docs, ids, batchSize)
}

// writeSized is write with batches of size operations.
func (ix *Index) writeSized(ctx context.Context, docs []pendingDoc, ids []string, size int) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	b := ix.live.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		err := applyBatch(ix.live, b)
		ix.gen.Add(1) // also on error: part of a failed batch may be visible
		if err != nil {
			return fmt.Errorf("write batch to %s: %w", ix.dir, err)
		}
		b.Reset()
		return nil
	}
	m := ix.live.Mapping()
	withPositions := !termVectors(m)
	for len(docs) > 0 {
		chunk := docs[:min(len(docs), size-b.Size())]
		docs = docs[len(chunk):]
		prepared, err := prepareAll(m, withPositions, chunk)
		if err != nil {
			return err
		}
		for _, d := range prepared {
			if err := b.IndexAdvanced(d); err != nil {
				return fmt.Errorf("index %s: %w", d.ID(), err)
			}
		}
		if b.Size() >= size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		b.Delete(id)
		if b.Size() >= size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
