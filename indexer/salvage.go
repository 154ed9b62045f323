package indexer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	bleveutil "github.com/blevesearch/bleve/v2/util"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv15 "github.com/blevesearch/zapx/v15"
	zapv16 "github.com/blevesearch/zapx/v16"
	zapv17 "github.com/blevesearch/zapx/v17"
	bolt "go.etcd.io/bbolt"
)

// salvage is what salvageSegments read from an index Bleve cannot open.
type salvage struct {
	docs  map[string]storedDoc
	notes []string
	// fromRoot: the live segments and their deletions came from root.bolt;
	// otherwise every segment file was read and a deleted practice may
	// have come back.
	fromRoot bool
}

// salvageSegments reads the stored documents of the index in dir segment
// by segment, below Bleve: the segments root.bolt lists, without the
// documents it marks deleted, or, when root.bolt is unreadable, every
// segment file, the newest copy of a document winning. A segment that does
// not open or read is skipped and named in the notes.
func salvageSegments(dir string) salvage {
	store := filepath.Join(dir, storeDir)
	s := salvage{docs: map[string]storedDoc{}}
	live, err := liveSegments(filepath.Join(store, rootBolt))
	var files []string
	if err == nil {
		s.fromRoot = true
		for f := range live {
			files = append(files, f)
		}
	} else {
		s.notes = append(s.notes, fmt.Sprintf("%s unreadable (%v): read every segment file; practices deleted earlier may come back", rootBolt, err))
		files, _ = filepath.Glob(filepath.Join(store, "*.zap"))
		for i, f := range files {
			files[i] = filepath.Base(f)
		}
	}
	// Oldest first, so that a newer copy of a document replaces an older one.
	slices.SortFunc(files, func(a, b string) int { return segmentNumber(a) - segmentNumber(b) })
	for _, f := range files {
		n, err := readSegment(filepath.Join(store, f), live[f], s.docs)
		if err != nil {
			s.notes = append(s.notes, fmt.Sprintf("segment %s: %v (%d documents read from it)", f, err, n))
		}
	}
	return s
}

// segmentNumber is the number in a segment file's name (hex), or -1.
func segmentNumber(name string) int {
	n, err := strconv.ParseUint(strings.TrimSuffix(name, ".zap"), 16, 48)
	if err != nil {
		return -1
	}
	return int(n)
}

// liveSegments reads the newest snapshot of root.bolt: the segment files
// it uses and the documents deleted in each.
func liveSegments(path string) (live map[string]*roaring.Bitmap, err error) {
	defer func() {
		if r := recover(); r != nil {
			live, err = nil, fmt.Errorf("%v", r)
		}
	}()
	if err := checkBoltFile(path); err != nil {
		return nil, err
	}
	db, err := bleveutil.OpenBolt(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	live = map[string]*roaring.Bitmap{}
	err = db.View(func(tx *bleveutil.BoltTxImpl) error {
		snapshots := tx.Bucket(bleveutil.BoltSnapshotsBucket)
		if snapshots == nil {
			return errors.New("no snapshots")
		}
		k, _ := snapshots.Cursor().Last()
		if k == nil {
			return errors.New("no snapshots")
		}
		snap := snapshots.GetBucket(k)
		if snap == nil {
			return errors.New("newest snapshot missing")
		}
		reader, err := snapshotReader(snap, path)
		if err != nil {
			return err
		}
		c := snap.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if k[0] == bleveutil.BoltInternalKey[0] || k[0] == bleveutil.BoltMetaDataKey[0] {
				continue
			}
			seg := snap.GetBucket(k)
			if seg == nil {
				continue
			}
			p, err := seg.Get(bleveutil.BoltPathKey, nil)
			if err != nil || p == nil {
				return fmt.Errorf("segment %x: no path", k)
			}
			var deleted *roaring.Bitmap
			if raw, err := seg.Get(bleveutil.BoltDeletedKey, reader); err == nil && raw != nil {
				deleted = roaring.New()
				if _, err := deleted.ReadFrom(bytes.NewReader(raw)); err != nil {
					return fmt.Errorf("segment %s: deleted documents: %w", p, err)
				}
			}
			live[string(p)] = deleted
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return live, nil
}

// snapshotReader is the reader scorch decodes a snapshot's values with.
func snapshotReader(snap *bleveutil.BoltBucketImpl, path string) (bleveutil.FileReader, error) {
	meta := snap.GetBucket(bleveutil.BoltMetaDataKey)
	if meta == nil {
		return nil, errors.New("snapshot metadata missing")
	}
	id, err := meta.Get(bleveutil.BoltMetaDataFileWriterIDKey, nil)
	if err != nil {
		return nil, err
	}
	return bleveutil.NewFileReader(string(id), []byte(path))
}

// zapPlugins open segment files, newest format first.
var zapPlugins = []interface {
	Open(path string) (segment.Segment, error)
}{&zapv17.ZapPlugin{}, &zapv16.ZapPlugin{}, &zapv15.ZapPlugin{}}

// readSegment adds the stored documents of one segment file to docs,
// skipping those in deleted, and returns how many it read.
func readSegment(path string, deleted *roaring.Bitmap, docs map[string]storedDoc) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable: %v", r)
		}
	}()
	var seg segment.Segment
	for _, p := range zapPlugins {
		if seg, err = openSegment(p, path); err == nil {
			break
		}
	}
	if seg == nil {
		return 0, err
	}
	defer seg.Close()
	// A garbled footer can claim any count: a document takes more than a
	// byte, and a run of unreadable documents ends the segment.
	if fi, err := os.Stat(path); err != nil || seg.Count() > uint64(fi.Size()) {
		return 0, fmt.Errorf("implausible document count %d", seg.Count())
	}
	var lastErr error
	failedRun := 0
	for num := uint64(0); num < seg.Count(); num++ {
		if deleted != nil && deleted.Contains(uint32(num)) {
			continue
		}
		d, err := readStored(seg, num)
		if err != nil || d.id == "" {
			lastErr = fmt.Errorf("document %d: %v", num, err)
			if failedRun++; failedRun == maxFailedRun {
				return n, fmt.Errorf("%d unreadable documents in a row, the last: %w", maxFailedRun, lastErr)
			}
			continue
		}
		failedRun = 0
		docs[d.id] = d
		n++
	}
	return n, lastErr
}

// maxFailedRun is how many unreadable documents in a row end the reading
// of a segment.
const maxFailedRun = 100

func openSegment(p interface {
	Open(string) (segment.Segment, error)
}, path string) (seg segment.Segment, err error) {
	defer func() {
		if r := recover(); r != nil {
			seg, err = nil, fmt.Errorf("unreadable: %v", r)
		}
	}()
	return p.Open(path)
}

func readStored(seg segment.Segment, num uint64) (d storedDoc, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable: %v", r)
		}
	}()
	err = seg.VisitStoredFields(num, func(field string, _ byte, value []byte, _ []uint64) bool {
		switch field {
		case "_id":
			d.id = string(value)
		case FieldDoc:
			d.doc = string(value)
		case FieldHash:
			d.hash = string(value)
		case FieldFetch:
			d.fetch = string(value)
		}
		return true
	})
	return d, err
}

// keepSuffix names where Recover keeps a damaged index it replaced.
func keepSuffix(now time.Time) string {
	return ".damaged-" + now.UTC().Format("20060102T150405")
}
