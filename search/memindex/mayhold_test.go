package memindex

import (
	"slices"
	"testing"
)

// MayHold and MayHoldNear rule a document out only when the copy knows the
// field and the document holds neither the term nor a near spelling of it.
func TestMayHold(t *testing.T) {
	tf := &textField{terms: map[string]*posting{}, norm: make([]float32, 4)}
	for term, docs := range map[string][]uint32{
		"housing": {0, 2},
		"hosing":  {1}, // one edit from housing, same first letter
		"rousing": {3}, // one edit, another first letter
	} {
		p := &posting{}
		for _, d := range docs {
			p.add(d, []uint16{1})
		}
		tf.terms[term] = p
		tf.sorted = append(tf.sorted, term)
	}
	slices.Sort(tf.sorted)
	ix := &Index{n: 4, text: map[string]*textField{"body_en": tf}}
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"the term, in a document holding it", ix.MayHold("body_en", "housing", 2), true},
		{"the term, in a document without it", ix.MayHold("body_en", "housing", 1), false},
		{"an unknown term", ix.MayHold("body_en", "shelter", 0), false},
		{"a field the copy does not have", ix.MayHold("body_xx", "housing", 1), true},
		{"a near spelling held", ix.MayHoldNear("body_en", "housing", 1, 1), true},
		{"the term itself counts as near", ix.MayHoldNear("body_en", "housing", 1, 0), true},
		{"another first letter is not near", ix.MayHoldNear("body_en", "housing", 1, 3), false},
		{"distance 0 is the term alone", ix.MayHoldNear("body_en", "housing", 0, 1), false},
		{"near, in a field the copy does not have", ix.MayHoldNear("body_xx", "housing", 1, 3), true},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %t, want %t", tc.name, tc.got, tc.want)
		}
	}
}
