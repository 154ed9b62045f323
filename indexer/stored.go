package indexer

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"sync"
)

// The stored document (FieldDoc) is the practice's JSON, compressed:
// storedDeflate followed by the JSON as raw DEFLATE (RFC 1951). Bleve
// compresses stored fields itself with snappy, which leaves a practice's
// JSON at about four fifths of its size; DEFLATE takes it to a little over
// half (measured on generated practices), and the stored documents are
// the largest part of the index. Indexes written before hold the JSON as is; it starts with "{",
// so DecodeStored tells the two apart by the first byte.
const storedDeflate = 0x01

// storedLevel is the DEFLATE level: BestSpeed compresses within 5% of the
// default on practices at two thirds of its cost; HuffmanOnly costs half
// as much again but leaves 13% more.
const storedLevel = flate.BestSpeed

var flateWriters = sync.Pool{New: func() any {
	w, err := flate.NewWriter(nil, storedLevel)
	if err != nil { // only for a bad level
		panic(fmt.Sprintf("indexer: flate writer: %v", err))
	}
	return w
}}

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// encodeStored returns the stored form of a practice's JSON.
func encodeStored(raw []byte) string {
	var buf bytes.Buffer
	buf.Grow(len(raw)/2 + 16)
	buf.WriteByte(storedDeflate)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&buf)
	// Writes to a bytes.Buffer do not fail.
	_, _ = w.Write(raw)
	_ = w.Close()
	flateWriters.Put(w)
	return buf.String()
}

// decodeStored returns the JSON of a stored document, in either form.
func decodeStored(s string) ([]byte, error) {
	if s == "" || s[0] != storedDeflate {
		return []byte(s), nil
	}
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(strings.NewReader(s[1:]), nil); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, 3*len(s)))
	if _, err := out.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	return out.Bytes(), nil
}
