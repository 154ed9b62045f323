package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// GetMany returns the stored practices with the given ids that the index
// holds, read from one snapshot; ids it does not hold are left out. It
// reads each document's stored fields directly, without a search.
func (ix *Index) GetMany(ctx context.Context, ids []string) (map[string]Practice, error) {
	out := make(map[string]Practice, len(ids))
	err := ix.Read(ctx, func(r index.IndexReader, _ uint64) error {
		if s, ok := r.(*scorch.IndexSnapshot); ok {
			return getFromSegments(ctx, s, ids, out)
		}
		return getByDocument(ctx, r, ids, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getFromSegments looks all the ids up in each segment at once and visits
// only the stored fields it needs: Bleve's Document looks each id up in
// every segment's id dictionary afresh and copies every stored field.
func getFromSegments(ctx context.Context, s *scorch.IndexSnapshot, ids []string, out map[string]Practice) error {
	for _, seg := range s.Segments() {
		if err := ctx.Err(); err != nil {
			return err
		}
		nums, err := seg.DocNumbers(ids) // live documents only
		if err != nil {
			return fmt.Errorf("load %d practices: look ids up: %w", len(ids), err)
		}
		for it := nums.Iterator(); it.HasNext(); {
			var id string
			var p Practice
			var decodeErr error
			found := false
			// value is only valid during the call: the practice is
			// decoded there, straight from the segment's bytes.
			err := seg.VisitDocument(uint64(it.Next()), func(field string, _ byte, value []byte, _ []uint64) bool {
				switch field {
				case "_id":
					id = string(value)
				case FieldDoc:
					p, decodeErr = decodePractice(value)
					found = true
				}
				return id == "" || !found
			})
			if err != nil {
				return fmt.Errorf("load %s: %w", id, err)
			}
			if err := addStored(out, id, p, decodeErr, found); err != nil {
				return err
			}
		}
	}
	return nil
}

// getByDocument is the general path, for a reader that is not scorch's.
func getByDocument(ctx context.Context, r index.IndexReader, ids []string, out map[string]Practice) error {
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
		var p Practice
		var decodeErr error
		found := false
		doc.VisitFields(func(f index.Field) {
			if f.Name() == FieldDoc {
				p, decodeErr = decodePractice(f.Value())
				found = true
			}
		})
		if err := addStored(out, id, p, decodeErr, found); err != nil {
			return err
		}
	}
	return nil
}

// addStored adds the practice decoded for id to out.
func addStored(out map[string]Practice, id string, p Practice, decodeErr error, found bool) error {
	if !found {
		return fmt.Errorf("load %s: no stored %q field", id, FieldDoc)
	}
	if decodeErr != nil {
		return fmt.Errorf("load %s: %w", id, decodeErr)
	}
	out[id] = p
	return nil
}
