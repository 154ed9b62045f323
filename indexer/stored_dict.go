package indexer

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// storedDictV1 is the raw-content Zstandard dictionary of stored form
// storedZstd: 64 KiB of the words practices share (see
// stored_dict_build_test.go for how it was made). Stored data depends on
// every byte of it: never edit or regenerate the file; add a new one with a
// new id instead.
//
//go:embed data/stored-dict-v1.bin
var storedDictV1 []byte

// storedDictV1ID is the dictionary id written in each frame: "CB", version 1.
// Ids from 32,768 up are free for private dictionaries and this one takes
// two bytes of the frame header.
const storedDictV1ID = 0xCB01

// storedMaxDecoded bounds what one stored document may decode to, so a
// corrupt or hostile frame cannot claim gigabytes. Practices are a few KB.
const storedMaxDecoded = 64 << 20

// zstdCodec is the shared encoder and decoder of storedZstd. Both are safe
// for concurrent use through EncodeAll and DecodeAll.
type zstdCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

// storedCodec returns the process-wide codec, built on first use.
var storedCodec = sync.OnceValue(func() zstdCodec {
	c, err := newZstdCodec(storedDictV1ID, storedDictV1)
	if err != nil { // only for bad options: a programming error
		panic(fmt.Sprintf("indexer: stored codec: %v", err))
	}
	return c
})

// newZstdCodec builds the codec of storedZstd for a dictionary (nil: none,
// for comparison in benchmarks).
//
// SpeedFastest: with the dictionary it stores 2-4% less than SpeedDefault
// on practices and encodes about twice as fast (measured on generated and
// demo practices). No checksum: DEFLATE had none either, and the index
// verifies each stored practice against its content hash (check.go).
func newZstdCodec(id uint32, dict []byte) (zstdCodec, error) {
	eopts := []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false)}
	dopts := []zstd.DOption{zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(storedMaxDecoded)}
	if dict != nil {
		eopts = append(eopts, zstd.WithEncoderDictRaw(id, dict))
		dopts = append(dopts, zstd.WithDecoderDictRaw(id, dict))
	}
	enc, err := zstd.NewWriter(nil, eopts...)
	if err != nil {
		return zstdCodec{}, fmt.Errorf("zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, dopts...)
	if err != nil {
		return zstdCodec{}, fmt.Errorf("zstd decoder: %w", err)
	}
	return zstdCodec{enc: enc, dec: dec}, nil
}
