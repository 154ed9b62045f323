package indexer

import (
	"context"
	"fmt"

	index "github.com/blevesearch/bleve_index_api"
)

// GetMany returns the stored practices with the given ids that the index
// holds, read from one snapshot; ids it does not hold are left out. It
// reads each document's stored fields directly, without a search.
func (ix *Index) GetMany(ctx context.Context, ids []string) (map[string]Practice, error) {
	out := make(map[string]Practice, len(ids))
	err := ix.Read(ctx, func(r index.IndexReader, _ uint64) error {
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			doc, err := r.Document(id)
			if err != nil {
				return fmt.Errorf("load %s: %w", id, err)
			}
			if doc == nil {
				continue // removed meanwhile
			}
			var stored []byte
			doc.VisitFields(func(f index.Field) {
				if f.Name() == FieldDoc {
					stored = f.Value()
				}
			})
			if stored == nil {
				return fmt.Errorf("load %s: no stored %q field", id, FieldDoc)
			}
			p, err := DecodeStored(map[string]any{FieldDoc: string(stored)})
			if err != nil {
				return fmt.Errorf("load %s: %w", id, err)
			}
			out[id] = p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
