package indexer

import (
	"errors"
	"reflect"
	"testing"
)

// GetMany returns what Get returns for every id the index holds, leaves
// out ids it does not hold, and fails on a closed index.
func TestGetMany(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	if err := ix.Upsert(ctx, samplePractices()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	ids := []string{
		IDForURL("https://icc.example/en/good-practice/lisbon-one-stop"),
		IDForURL("https://duesseldorf.example/wohnen/mueller"),
		"no-such-practice",
	}
	got, err := ix.GetMany(ctx, ids)
	if err != nil {
		t.Fatalf("GetMany: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("GetMany returned %d practices, want 2 (the unknown id left out)", len(got))
	}
	for _, id := range ids[:2] {
		want, err := ix.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		if p := got[id]; !reflect.DeepEqual(p, want) {
			t.Errorf("GetMany[%s] = %+v\nwant (Get) %+v", id, p, want)
		}
	}
	ix.Close()
	if _, err := ix.GetMany(ctx, ids); !errors.Is(err, ErrClosed) {
		t.Errorf("GetMany on a closed index: %v, want ErrClosed", err)
	}
}
