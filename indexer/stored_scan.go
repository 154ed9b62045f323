package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	jsonv2 "github.com/go-json-experiment/json"
)

// storedDoc is one document as the index stores it.
type storedDoc struct {
	id    string
	doc   string // FieldDoc: the practice, read with DecodeStored
	hash  string // FieldHash
	fetch string // FieldFetch, "" for imported practices
}

// scanPageSize is how many documents one search of scanStored reads.
const scanPageSize = 500

// openReadOnly opens the Bleve index in dir without starting its
// persister or merger and without taking bbolt's write lock. The caller
// holds the directory (acquire). Errors wrap ErrCorrupt as openBleve's do.
func openReadOnly(dir string) (bleve.Index, error) {
	return openBleve(dir, map[string]interface{}{"read_only": true, "bolt_timeout": lockTimeout})
}

// scanStored calls fn with every document of ix in id order. A panic in
// Bleve while reading (a garbled segment) becomes an error wrapping
// ErrCorrupt.
func scanStored(ctx context.Context, ix bleve.Index, fn func(storedDoc) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: reading stored documents failed: %v", ErrCorrupt, r)
		}
	}()
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), scanPageSize, 0, false)
		req.Fields = []string{FieldDoc, FieldHash, FieldFetch}
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		res, err := ix.SearchInContext(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: reading stored documents: %v", ErrCorrupt, err)
		}
		for _, h := range res.Hits {
			d := storedDoc{id: h.ID, doc: stringField(h, FieldDoc), hash: stringField(h, FieldHash), fetch: stringField(h, FieldFetch)}
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(res.Hits) < scanPageSize {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// verifyStored decodes a stored document and checks it against its id and
// content hash. It returns the practice, or an error saying what is wrong.
func verifyStored(d storedDoc) (Practice, error) {
	if d.doc == "" {
		return Practice{}, fmt.Errorf("no stored practice")
	}
	raw, err := decodeStored(d.doc)
	if err != nil {
		return Practice{}, fmt.Errorf("stored practice does not decompress: %v", err)
	}
	var p Practice
	if err := jsonv2.Unmarshal(raw, &p); err != nil {
		return Practice{}, fmt.Errorf("decode stored practice: %w", err)
	}
	if p.ID != d.id {
		return Practice{}, fmt.Errorf("stored practice has id %q", p.ID)
	}
	if d.hash != "" && hashJSON(raw) != d.hash {
		return Practice{}, fmt.Errorf("stored practice does not match its content hash")
	}
	return p, nil
}
