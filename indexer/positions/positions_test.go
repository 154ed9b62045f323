package positions

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func toks(pairs ...any) []Token {
	var out []Token
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Token{Term: []byte(pairs[i].(string)), Position: pairs[i+1].(int)})
	}
	return out
}

type termPositions struct {
	field string
	pos   [][]uint32 // per term, in ascending term order
}

func decodeAll(t *testing.T, blob []byte) []termPositions {
	t.Helper()
	var out []termPositions
	err := Sections(blob, func(field string, body []byte) error {
		tp := termPositions{field: field}
		for len(body) > 0 {
			var ps []uint32
			var err error
			ps, body, err = Next(body, nil)
			if err != nil {
				return err
			}
			tp.pos = append(tp.pos, ps)
		}
		out = append(out, tp)
		return nil
	})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

// TestRoundTrip: terms come back in ascending byte order, each with its
// positions ascending; several terms may share a position (German
// compounds and their parts).
func TestRoundTrip(t *testing.T) {
	var e Encoder
	e.AddField("body_de", toks("stadtteilmutt", 2, "stadt", 2, "mutt", 2, "famili", 4, "stadtteilmutt", 5, "stadt", 5, "mutt", 5, "zz", 300, "zz", 70000))
	e.AddField("title_de", nil) // no tokens: no section
	e.AddField("title_en", toks("é", 1, "e", 1, "b", 3))
	got := decodeAll(t, e.Bytes())
	want := []termPositions{
		{"body_de", [][]uint32{{4}, {2, 5}, {2, 5}, {2, 5}, {300, 70000}}}, // famili mutt stadt stadtteilmutt zz
		{"title_en", [][]uint32{{3}, {1}, {1}}},                            // b e é (bytes: 0x62 0x65 0xc3)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d sections, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].field != want[i].field || !slices.EqualFunc(got[i].pos, want[i].pos, slices.Equal) {
			t.Errorf("section %d: got %v, want %v", i, got[i], want[i])
		}
	}
	e.Reset()
	if e.Bytes() != nil {
		t.Errorf("Bytes after Reset = %v, want nil", e.Bytes())
	}
}

// TestFixedBlob: a blob written by this version must read the same
// forever (indexes on disk hold them).
func TestFixedBlob(t *testing.T) {
	var e Encoder
	e.AddField("title_fr", toks("integr", 1, "accueil", 3, "integr", 7))
	want := []byte{0x01, 8, 't', 'i', 't', 'l', 'e', '_', 'f', 'r', 4, 6, 3, 0, 6}
	if got := e.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("blob = % x, want % x", got, want)
	}
	got := decodeAll(t, want)
	if len(got) != 1 || got[0].field != "title_fr" || !slices.EqualFunc(got[0].pos, [][]uint32{{3}, {1, 7}}, slices.Equal) {
		t.Errorf("decoded %v", got)
	}
}

func TestCorrupt(t *testing.T) {
	for _, tc := range []struct {
		name string
		blob []byte
	}{
		{"version", []byte{0x02, 1, 'a', 2, 1, 1}},
		{"name past end", []byte{0x01, 9, 'a'}},
		{"body past end", []byte{0x01, 1, 'a', 9, 1}},
		{"bad varint", []byte{0x01, 0x80}},
		{"frequency missing", []byte{0x01, 1, 'a', 1, 3}},
		{"frequency past end", []byte{0x01, 1, 'a', 3, 3, 5, 1}},
		{"position missing", []byte{0x01, 1, 'a', 4, 3, 0, 0x80, 0x80}},
		{"frequency wraps around", []byte{0x01, 1, 'a', 11, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"position too large", []byte{0x01, 1, 'a', 6, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Sections(tc.blob, func(_ string, body []byte) error {
				for len(body) > 0 {
					var err error
					if _, body, err = Next(body, nil); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v, want ErrCorrupt", err)
			}
		})
	}
}

// FuzzDecode: any bytes decode to positions or to ErrCorrupt, never panic
// or run away.
func FuzzDecode(f *testing.F) {
	var e Encoder
	e.AddField("body_en", toks("a", 1, "b", 2, "a", 9))
	f.Add(slices.Clone(e.Bytes()))
	f.Add([]byte{0x01, 8, 't', 'i', 't', 'l', 'e', '_', 'f', 'r', 4, 6, 3, 0, 6})
	f.Add([]byte{0x01, 1, 'a', 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, blob []byte) {
		_ = Sections(blob, func(_ string, body []byte) error {
			for len(body) > 0 {
				ps, rest, err := Next(body, nil)
				if err != nil {
					if !errors.Is(err, ErrCorrupt) {
						t.Fatalf("error %v does not wrap ErrCorrupt", err)
					}
					return err
				}
				if len(rest) >= len(body) || !slices.IsSorted(ps) {
					t.Fatalf("Next read %v and did not advance or positions not ascending", ps)
				}
				body = rest
			}
			return nil
		})
	})
}

// FuzzRoundTrip: what the encoder writes decodes to the same positions.
func FuzzRoundTrip(f *testing.F) {
	f.Add("integration accueil integration", uint8(3))
	f.Fuzz(func(t *testing.T, text string, gap uint8) {
		var ts []Token
		pos := 0
		for _, w := range bytes.Fields([]byte(text)) {
			pos += int(gap%4) + 1
			ts = append(ts, Token{Term: w, Position: pos})
		}
		var e Encoder
		e.AddField("f", ts)
		want := map[string][]uint32{}
		for _, tk := range ts {
			want[string(tk.Term)] = append(want[string(tk.Term)], uint32(tk.Position))
		}
		terms := slices.Sorted(func(yield func(string) bool) {
			for k := range want {
				if !yield(k) {
					return
				}
			}
		})
		if len(ts) == 0 {
			if e.Bytes() != nil {
				t.Fatalf("no tokens but a blob")
			}
			return
		}
		got := decodeAll(t, e.Bytes())
		if len(got) != 1 || len(got[0].pos) != len(terms) {
			t.Fatalf("decoded %v, want %d terms", got, len(terms))
		}
		for i, term := range terms {
			if !slices.Equal(got[0].pos[i], want[term]) {
				t.Fatalf("%s: got %v, want %v", term, got[0].pos[i], want[term])
			}
		}
	})
}
