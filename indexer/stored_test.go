package indexer

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStoredForms checks that a practice stored by this version
// (compressed) and one stored by earlier versions (plain JSON) both read
// back through Get and a search hit, after the index is reopened.
func TestStoredForms(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := samplePractices()[:2]
	want := make([]Practice, len(ps))
	for i, p := range ps {
		if want[i], err = Normalize(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Upsert(ctx, ps[:1]); err != nil {
		t.Fatal(err)
	}
	// The second practice as an index written before compression holds it.
	old, _, err := document(want[1])
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(want[1])
	if err != nil {
		t.Fatal(err)
	}
	old[FieldDoc] = string(raw)
	if err := ix.write(ctx, []pendingDoc{{id: want[1].ID, fields: old}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, w := range want {
		got, err := ix.Get(ctx, w.ID)
		if err != nil {
			t.Fatalf("Get(%s): %v", w.ID, err)
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("Get(%s) (-want +got):\n%s", w.ID, diff)
		}
	}
}

func TestDecodeStored(t *testing.T) {
	p := Practice{ID: "p1", URL: "https://x.example/1", Title: "Wohnen für alle", Body: strings.Repeat("Nachbarschaft ", 200), Lang: "de"}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	packed := encodeStored(raw)
	if len(packed) >= len(raw)/2 {
		t.Errorf("stored form is %d bytes for %d bytes of JSON; want it compressed", len(packed), len(raw))
	}
	for _, test := range []struct {
		name    string
		fields  map[string]interface{}
		wantErr string
	}{
		{"compressed", map[string]interface{}{FieldDoc: packed}, ""},
		{"plain JSON", map[string]interface{}{FieldDoc: string(raw)}, ""},
		{"truncated", map[string]interface{}{FieldDoc: packed[:len(packed)/2]}, "decode stored practice"},
		{"missing", map[string]interface{}{}, "no \"doc\" field"},
		{"not a string", map[string]interface{}{FieldDoc: 3.0}, "not a string"},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := DecodeStored(test.fields)
			if test.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), test.wantErr) {
					t.Fatalf("DecodeStored: %v; want an error containing %q", err, test.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
