package indexer

import (
	"context"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// ErrNoPositions is returned by VisitPositions for a reader it cannot walk
// segment by segment.
var ErrNoPositions = errors.New("positions: reader is not a scorch snapshot")

// VisitPositions calls fn with the FieldPositions blob of every live
// document of r that has one, with the document's Bleve internal number
// (as index.IndexInternalID holds it, big-endian) and its external id.
// blob and id are valid only during the call. It checks ctx every few
// thousand documents.
func VisitPositions(ctx context.Context, r index.IndexReader, fn func(internal uint64, id string, blob []byte) error) error {
	s, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return ErrNoPositions
	}
	var base uint64
	for _, seg := range s.Segments() {
		deleted := seg.Deleted()
		n := uint64(seg.FullSize())
		for num := uint64(0); num < n; num++ {
			if num%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if deleted != nil && deleted.Contains(uint32(num)) {
				continue
			}
			var id []byte
			var cbErr error
			err := seg.VisitDocument(num, func(field string, _ byte, value []byte, _ []uint64) bool {
				switch field {
				case "_id":
					id = value
				case FieldPositions:
					cbErr = fn(base+num, string(id), value)
					return false
				}
				return true
			})
			if err != nil {
				return fmt.Errorf("positions of document %d: %w", base+num, err)
			}
			if cbErr != nil {
				return cbErr
			}
		}
		base += n
	}
	return nil
}
