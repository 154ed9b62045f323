package indexer

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
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

// deflateStored is the stored form sessions 7 to 9 wrote (0x01 + raw
// DEFLATE), kept here to test that it still reads.
func deflateStored(t testing.TB, raw []byte) string {
	var buf bytes.Buffer
	buf.WriteByte(storedDeflate)
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestDecodeStored(t *testing.T) {
	p := Practice{ID: "p1", URL: "https://x.example/1", Title: "Wohnen für alle", Body: strings.Repeat("Nachbarschaft ", 200), Lang: "de"}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	packed := encodeStored(raw)
	if packed[0] != storedZstd {
		t.Errorf("encodeStored wrote form %#x; want %#x", packed[0], storedZstd)
	}
	if len(packed) >= len(raw)/2 {
		t.Errorf("stored form is %d bytes for %d bytes of JSON; want it compressed", len(packed), len(raw))
	}
	deflated := deflateStored(t, raw)
	for _, test := range []struct {
		name    string
		fields  map[string]interface{}
		wantErr string
	}{
		{"zstd", map[string]interface{}{FieldDoc: packed}, ""},
		{"deflate", map[string]interface{}{FieldDoc: deflated}, ""},
		{"plain JSON", map[string]interface{}{FieldDoc: string(raw)}, ""},
		{"zstd truncated", map[string]interface{}{FieldDoc: packed[:len(packed)/2]}, "decode stored practice"},
		{"zstd no frame", map[string]interface{}{FieldDoc: string([]byte{storedZstd})}, "decode stored practice"},
		{"zstd garbage", map[string]interface{}{FieldDoc: "\x02not a zstd frame at all"}, "decode stored practice"},
		{"zstd unknown dictionary", map[string]interface{}{FieldDoc: withDictID(t, packed, 0xCB7F)}, "decode stored practice"},
		{"deflate truncated", map[string]interface{}{FieldDoc: deflated[:len(deflated)/2]}, "decode stored practice"},
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

// withDictID returns a storedZstd value with the dictionary id in its
// frame header replaced by id.
func withDictID(t *testing.T, stored string, id uint16) string {
	b := []byte(stored)
	// 0x02, magic (4 bytes), frame header descriptor, window descriptor
	// (present when not single-segment), then the 2-byte dictionary id.
	fhd := b[5]
	if fhd&3 != 2 {
		t.Fatalf("frame header descriptor %#x: want a 2-byte dictionary id", fhd)
	}
	at := 6
	if fhd&0x20 == 0 {
		at++
	}
	if got := binary.LittleEndian.Uint16(b[at:]); got != storedDictV1ID {
		t.Fatalf("frame names dictionary %#x; want %#x", got, storedDictV1ID)
	}
	binary.LittleEndian.PutUint16(b[at:], id)
	return string(b)
}

// TestStoredRoundTrip encodes practices of every shape and checks the
// stored form gives back the same JSON.
func TestStoredRoundTrip(t *testing.T) {
	for _, test := range []struct {
		name string
		raw  string
	}{
		{"empty object", `{}`},
		{"short", `{"id":"a","title":"x"}`},
		{"sample", mustJSON(t, samplePractices()[0])},
		{"long body", mustJSON(t, Practice{ID: "l", Title: "t", Body: strings.Repeat("Une ville accueillante pour tous. ", 3000)})},
		{"not in the dictionary", strings.Repeat("\u00ff\x00\x7f", 100)},
	} {
		t.Run(test.name, func(t *testing.T) {
			stored := encodeStored([]byte(test.raw))
			got, err := decodeStored(stored)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != test.raw {
				t.Errorf("decodeStored(encodeStored(%.40q...)) = %.40q...", test.raw, got)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestStoredVectors decodes stored values written once and kept under
// testdata/stored: if a change of dictionary, options or library version
// stopped them reading, indexes on disk would stop reading too. -update
// writes a vector only when it is missing; never rewrite one.
func TestStoredVectors(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "stored", "practice.json"))
	if err != nil {
		t.Fatal(err)
	}
	want = bytes.TrimSuffix(want, []byte("\n"))
	for _, test := range []struct {
		file   string
		form   byte
		encode func([]byte) string
	}{
		{"zstd-dict-v1.bin", storedZstd, encodeStored},
		{"deflate.bin", storedDeflate, func(raw []byte) string { return deflateStored(t, raw) }},
		{"plain.bin", '{', func(raw []byte) string { return string(raw) }},
	} {
		t.Run(test.file, func(t *testing.T) {
			name := filepath.Join("testdata", "stored", test.file)
			stored, err := os.ReadFile(name)
			if errors.Is(err, fs.ErrNotExist) && *update {
				stored = []byte(test.encode(want))
				err = os.WriteFile(name, stored, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			if stored[0] != test.form {
				t.Fatalf("%s starts with %#x; want %#x", name, stored[0], test.form)
			}
			got, err := decodeStored(string(stored))
			if err != nil {
				t.Fatalf("decodeStored(%s): %v", name, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decodeStored(%s) = %.80q...; want %.80q...", name, got, want)
			}
			// GetMany decodes straight from the segment's bytes, and a
			// buffer it pools must never be the bytes it was given.
			var wantP Practice
			if err := json.Unmarshal(want, &wantP); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				in := bytes.Clone(stored)
				p, err := decodePractice(in)
				if err != nil {
					t.Fatalf("decodePractice(%s bytes): %v", name, err)
				}
				if !reflect.DeepEqual(p, wantP) {
					t.Errorf("decodePractice(%s bytes) = %+v; want %+v", name, p, wantP)
				}
				// A zstd value decoded next reuses a pooled buffer: it must
				// not be the bytes decoded before.
				if _, err := decodePractice([]byte(encodeStored([]byte(`{"id":"x","title":"overwrite"}`)))); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(in, stored) {
					t.Errorf("decodePractice(%s bytes) let a pooled buffer alias its input", name)
				}
			}
		})
	}
}

// storedDictV1SHA256 is the hash of data/stored-dict-v1.bin.
const storedDictV1SHA256 = "1b58519d6e687884e55803855e99c5172407acce268f7d47c12e4fd0f3c6777c"

// TestStoredDictionaryFrozen fails when the version 1 dictionary changes:
// every storedZstd value written with it depends on its bytes.
func TestStoredDictionaryFrozen(t *testing.T) {
	sum := sha256.Sum256(storedDictV1)
	if got := hex.EncodeToString(sum[:]); got != storedDictV1SHA256 {
		t.Errorf("data/stored-dict-v1.bin has sha256 %s; want %s: restore it, and put a new dictionary in a new file with a new id", got, storedDictV1SHA256)
	}
	if got, want := len(storedDictV1), 64<<10; got != want {
		t.Errorf("dictionary is %d bytes; want %d", got, want)
	}
}

// FuzzDecodeStored feeds decodeStored what a damaged index could hold: it
// must return JSON or an error, never panic.
func FuzzDecodeStored(f *testing.F) {
	raw := []byte(mustJSONF(f, samplePractices()[0]))
	f.Add(encodeStored(raw))
	f.Add(deflateStored(f, raw))
	f.Add(string(raw))
	f.Add(string([]byte{storedZstd, 0x28, 0xb5, 0x2f, 0xfd}))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		out, err := decodeStored(s)
		if err == nil && len(out) > storedMaxDecoded+len(s) {
			t.Errorf("decoded %d bytes, over the %d limit", len(out), storedMaxDecoded)
		}
	})
}

func mustJSONF(f *testing.F, v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	return string(raw)
}
