package indexer

// Hooks for the benchmarks of package indexer_test (stored_corpus_bench_test.go).

// EncodeStoredForTest is encodeStored.
var EncodeStoredForTest = encodeStored

// DecodeStoredForTest is decodeStored.
var DecodeStoredForTest = decodeStored

// NewZstdStoredForTest returns the EncodeAll and DecodeAll of a codec built
// like the one of stored form 0x02, with dictionary dict (nil: none).
func NewZstdStoredForTest(dict []byte) (enc func(src, dst []byte) []byte, dec func(src, dst []byte) ([]byte, error), err error) {
	c, err := newZstdCodec(storedDictV1ID, dict)
	if err != nil {
		return nil, nil, err
	}
	return c.enc.EncodeAll, c.dec.DecodeAll, nil
}
