package indexer

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"sync"
)

// The stored document (FieldDoc) is the practice's JSON in one of three
// forms, told apart by the first byte. All three are read forever: an index
// keeps what it was written with.
//
//   - storedZstd (0x02), written now: a Zstandard frame (RFC 8878) of the
//     JSON, compressed with the raw-content dictionary storedDictV1
//     (data/stored-dict-v1.bin, dictionary id storedDictV1ID = 0xCB01,
//     version 1), no checksum. The frame names its dictionary, so a later
//     dictionary gets a new id and is registered beside this one; this file
//     and id never change (TestStoredDictionaryFrozen).
//   - storedDeflate (0x01), written by the versions before this one: the JSON
//     as raw DEFLATE (RFC 1951).
//   - plain JSON, written before DEFLATE: it starts with "{".
//
// Bleve compresses stored fields itself with snappy, which leaves a
// practice's JSON at about four fifths of its size. The dictionary holds
// what every practice repeats (JSON keys, theme ids, city and country
// names, the words of the demo pages in en, fr and de), so even a short
// practice finds matches from its first byte. Measured with
// BenchmarkStoredCorpus: on demo practices of a site the dictionary was
// built without, 1,105 bytes a practice where DEFLATE stored 1,337 (-17%);
// on generated practices 1,319 where it stored 1,803 (-27%, flattered: they
// reuse the demo words). Decoding takes 17-22 µs a practice against 25-33
// µs for DEFLATE. Without a dictionary zstd decodes in 10 µs but stores
// more than DEFLATE (1,976 bytes).
const (
	storedDeflate = 0x01
	storedZstd    = 0x02
)

// encodeStored returns the stored form of a practice's JSON.
func encodeStored(raw []byte) string {
	c := storedCodec()
	dst := make([]byte, 1, len(raw)/2+32)
	dst[0] = storedZstd
	// EncodeAll into memory does not fail.
	return string(c.enc.EncodeAll(raw, dst))
}

// decodeStored returns the JSON of a stored document, in any of its forms.
func decodeStored(s string) ([]byte, error) {
	return decodeStoredInto(s, nil)
}

// decodeStoredInto is decodeStored writing the zstd form into dst's memory
// when it has room (dst's contents are overwritten). Given bytes, the plain
// form is returned as is, not copied.
func decodeStoredInto[T ~string | ~[]byte](s T, dst []byte) ([]byte, error) {
	if len(s) == 0 {
		return []byte{}, nil
	}
	switch s[0] {
	case storedZstd:
		out, err := storedCodec().dec.DecodeAll([]byte(s[1:]), dst[:0])
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return out, nil
	case storedDeflate:
		return inflateStored(string(s[1:]))
	default:
		return []byte(s), nil
	}
}

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// inflateStored reads the DEFLATE form (without its leading byte).
func inflateStored(s string) ([]byte, error) {
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(strings.NewReader(s), nil); err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	out := bytes.NewBuffer(make([]byte, 0, 3*len(s)))
	if _, err := out.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	return out.Bytes(), nil
}
