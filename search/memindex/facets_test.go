package memindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// Facet counts of a match set larger than half the index are computed from
// the documents it leaves out; they must equal a direct count, for single-
// and multi-valued fields, years, documents without a value, and sets that
// start, end or lie entirely inside the index.
func TestCountsByComplementEqualDirect(t *testing.T) {
	const n = 1000
	rng := rand.New(rand.NewPCG(7, 9))
	single := make([][]string, n)
	multi := make([][]string, n)
	years := make([]int32, n)
	for d := range n {
		if rng.IntN(10) > 0 {
			single[d] = []string{fmt.Sprintf("c%02d", rng.IntN(30))}
		}
		for range rng.IntN(4) {
			v := fmt.Sprintf("t%d", rng.IntN(12))
			if !slices.Contains(multi[d], v) {
				multi[d] = append(multi[d], v)
			}
		}
		if rng.IntN(8) > 0 {
			years[d] = 2005 + int32(rng.IntN(21))
		}
	}
	ix := &Index{n: n, year: years, keywords: map[string]*keyword{
		"city": newKeyword(single), "theme": newKeyword(multi),
	}}
	if ix.keywords["city"].single == nil || ix.keywords["theme"].single != nil {
		t.Fatal("test fields are not one single- and one multi-valued field")
	}
	for _, share := range []float64{0.05, 0.49, 0.51, 0.8, 0.97, 1} {
		m := Matches{}
		for d := range n {
			if rng.Float64() < share {
				m.docs = append(m.docs, uint32(d))
				m.scores = append(m.scores, 1)
			}
		}
		in := newSet(n)
		in.addAll(m.docs)
		out := newSet(n)
		var rest []uint32
		eachGap(m.docs, n, func(lo, hi uint32) {
			for d := lo; d < hi; d++ {
				rest = append(rest, d)
				out.add(d)
			}
		})
		for _, field := range []string{"city", "theme"} {
			want := fmt.Sprint(directCounts(ix.keywords[field], m.docs))
			// Whichever way FacetCounts picks, and each way forced.
			vb := ix.keywords[field].bits(n)
			for way, got := range map[string][]Count{
				"chosen":              ix.FacetCounts(&m, []Facet{{Field: field}})[0],
				"walk":                ix.keywordCounts(field, m.docs, false, 0),
				"walk the complement": ix.keywordCounts(field, rest, true, 0),
				"bits":                vb.counts(in, false, 0),
				"bits the complement": vb.counts(out, true, 0),
			} {
				if fmt.Sprint(got) != want {
					t.Errorf("share %.2f, %s, %s: counts = %v\nwant %v", share, field, way, got, want)
				}
			}
		}
		got := fmt.Sprint(ix.FacetCounts(&m, []Facet{{Year: true}})[0])
		yc := map[int32]int{}
		for _, d := range m.docs {
			if years[d] > 0 {
				yc[years[d]]++
			}
		}
		var want []Count
		for y, c := range yc {
			want = append(want, Count{Value: fmt.Sprint(y), Count: c})
		}
		if w := fmt.Sprint(top(want, 0)); got != w {
			t.Errorf("share %.2f: YearCounts = %s\nwant %s", share, got, w)
		}
	}
}

func directCounts(k *keyword, docs []uint32) []Count {
	c := map[string]int{}
	for _, d := range docs {
		for _, v := range k.valuesOf(d) {
			c[k.values[v]]++
		}
	}
	var out []Count
	for v, n := range c {
		out = append(out, Count{Value: v, Count: n})
	}
	return top(out, 0)
}

func TestEachGap(t *testing.T) {
	for _, tc := range []struct {
		docs []uint32
		n    int
		want string
	}{
		{nil, 3, "[[0 3]]"},
		{[]uint32{0, 1, 2}, 3, "[]"},
		{[]uint32{1}, 3, "[[0 1] [2 3]]"},
		{[]uint32{0, 4, 5}, 8, "[[1 4] [6 8]]"},
	} {
		got := [][2]uint32{}
		eachGap(tc.docs, tc.n, func(lo, hi uint32) { got = append(got, [2]uint32{lo, hi}) })
		if fmt.Sprint(got) != tc.want {
			t.Errorf("eachGap(%v, %d) = %v, want %s", tc.docs, tc.n, got, tc.want)
		}
	}
}
