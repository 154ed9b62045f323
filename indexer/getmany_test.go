package indexer

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
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

// Across several segments, GetMany reads the live version of a practice
// written again in a later batch, and leaves out one deleted since.
func TestGetManyAcrossSegments(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	ps := samplePractices()
	for _, p := range ps { // one batch, so one segment, each
		if err := ix.Upsert(ctx, []Practice{p}); err != nil {
			t.Fatalf("Upsert: %v", err)
		}
	}
	changed := ps[0]
	changed.Title = "One-stop shop for newcomers, extended"
	if err := ix.Upsert(ctx, []Practice{changed}); err != nil {
		t.Fatalf("Upsert again: %v", err)
	}
	gone := IDForURL(ps[1].URL)
	if err := ix.Delete(ctx, []string{gone}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, IDForURL(p.URL))
	}
	got, err := ix.GetMany(ctx, ids)
	if err != nil {
		t.Fatalf("GetMany: %v", err)
	}
	if len(got) != len(ps)-1 {
		t.Errorf("GetMany returned %d practices, want %d (the deleted one left out)", len(got), len(ps)-1)
	}
	if _, ok := got[gone]; ok {
		t.Errorf("GetMany returned the deleted practice %s", gone)
	}
	if title := got[IDForURL(changed.URL)].Title; title != changed.Title {
		t.Errorf("GetMany title = %q; want the later version %q", title, changed.Title)
	}
	for _, id := range ids {
		if id == gone {
			continue
		}
		want, err := ix.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		if !reflect.DeepEqual(got[id], want) {
			t.Errorf("GetMany[%s] differs from Get:\n got %+v\nwant %+v", id, got[id], want)
		}
	}
}

// Stored practices are decompressed into pooled buffers: a decoded
// practice must not change when the next one is decoded into the same
// buffer.
func TestDecodePracticeOwnsItsStrings(t *testing.T) {
	ps := samplePractices()
	var stored []string
	for _, p := range ps {
		raw, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, encodeStored(raw))
	}
	first, err := decodePractice(stored[0])
	if err != nil {
		t.Fatal(err)
	}
	want := first.Title + "|" + first.Body + "|" + strings.Join(first.Cities, ",")
	for i := 0; i < 50; i++ {
		if _, err := decodePractice(stored[1+i%(len(stored)-1)]); err != nil {
			t.Fatal(err)
		}
	}
	if got := first.Title + "|" + first.Body + "|" + strings.Join(first.Cities, ","); got != want {
		t.Errorf("a decoded practice changed when others were decoded after it:\n got %q\nwant %q", got, want)
	}
	if first.Title != ps[0].Title {
		t.Errorf("title %q, want %q", first.Title, ps[0].Title)
	}
}
