package indexer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
)

// preflight looks at the files of the index in dir before Bleve opens it.
// bbolt and zap panic on some damaged files (a truncated root.bolt, a
// garbled segment) while they hold root.bolt's lock and mapping, which
// no recover can release, so that this process could not open the
// directory again: preflight finds such damage first, with its own
// reads, and returns an error saying what is wrong.
func preflight(dir string) error {
	root := filepath.Join(dir, storeDir, rootBolt)
	if err := checkBoltFile(root); err != nil {
		return fmt.Errorf("%s/%s: %w", storeDir, rootBolt, err)
	}
	live, err := liveSegments(root)
	if err != nil {
		return fmt.Errorf("%s/%s: %w", storeDir, rootBolt, err)
	}
	for f := range live {
		if err := checkSegment(filepath.Join(dir, storeDir, f)); err != nil {
			return fmt.Errorf("segment %s/%s: %w", storeDir, f, err)
		}
	}
	return nil
}

// bbolt's file layout (go.etcd.io/bbolt, internal/common): two meta pages
// at the start, each a 16-byte page header and then the meta fields.
const (
	boltMagic      = 0xED0CDAED
	boltPageHeader = 16
	boltMetaSize   = 64 // up to and with the checksum
)

// checkBoltFile checks that root.bolt has a valid meta page and is as long
// as that page says. bbolt itself panics on a truncated file.
func checkBoltFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	head = head[:n]
	var best *boltMeta
	for _, off := range metaOffsets(head) {
		m, ok := readBoltMeta(head, off)
		if ok && (best == nil || m.txid > best.txid) {
			best = &m
		}
	}
	if best == nil {
		return errors.New("no valid meta page (not a bbolt file, or garbled)")
	}
	if need := int64(best.highWater) * int64(best.pageSize); fi.Size() < need {
		return fmt.Errorf("truncated: %d bytes, its meta page needs %d", fi.Size(), need)
	}
	return nil
}

type boltMeta struct {
	pageSize  uint32
	highWater uint64
	txid      uint64
}

// metaOffsets returns where the two meta pages may start: at 0 and at
// one page size, as the first meta page states it (or the usual sizes if
// it is garbled).
func metaOffsets(b []byte) []int {
	offs := []int{0}
	if len(b) >= boltPageHeader+12 {
		if ps := int(binary.LittleEndian.Uint32(b[boltPageHeader+8:])); ps >= 512 && ps <= 64<<10 {
			offs = append(offs, ps)
		}
	}
	return append(offs, 4096, 16384, 65536)
}

func readBoltMeta(b []byte, off int) (boltMeta, bool) {
	start := off + boltPageHeader
	if start+boltMetaSize > len(b) {
		return boltMeta{}, false
	}
	m := b[start : start+boltMetaSize]
	if binary.LittleEndian.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:56])
	if h.Sum64() != binary.LittleEndian.Uint64(m[56:]) {
		return boltMeta{}, false
	}
	return boltMeta{
		pageSize:  binary.LittleEndian.Uint32(m[8:]),
		highWater: binary.LittleEndian.Uint64(m[40:]),
		txid:      binary.LittleEndian.Uint64(m[48:]),
	}, true
}

// checkSegment opens a segment file and reads its first and last stored
// documents, which is where a truncated or garbled zap file fails.
func checkSegment(path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable: %v", r)
		}
	}()
	var firstErr error
	for _, p := range zapPlugins {
		seg, err := openSegment(p, path)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		defer seg.Close()
		if n := seg.Count(); n > 0 {
			for _, num := range []uint64{0, n - 1} {
				if _, err := readStored(seg, num); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return firstErr
}
