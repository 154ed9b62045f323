package memindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// Facet counts must equal a direct count, whichever way they are taken
// (a walk over the matches or value bits), for single- and multi-valued
// fields, years (of three and four digits: ties are ordered as strings),
// documents without a value, sets from a few documents to all of them,
// and sizes that cut a run of equal counts.
func TestFacetCountsEqualDirect(t *testing.T) {
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
		switch rng.IntN(8) {
		case 0:
		case 1:
			years[d] = 990 + int32(rng.IntN(15))
		default:
			years[d] = 2005 + int32(rng.IntN(21))
		}
	}
	ix := &Index{n: n, year: years, keywords: map[string]*keyword{
		"city": newKeyword(single), "theme": newKeyword(multi),
	}}
	if ix.keywords["city"].single == nil || ix.keywords["theme"].single != nil {
		t.Fatal("test fields are not one single- and one multi-valued field")
	}
	for _, share := range []float64{0.01, 0.05, 0.49, 0.51, 0.8, 0.97, 1} {
		m := Matches{}
		for d := range n {
			if rng.Float64() < share {
				m.docs = append(m.docs, uint32(d))
				m.scores = append(m.scores, 1)
			}
		}
		in := newSet(n)
		in.addAll(m.docs)
		for _, size := range []int{0, 3, 7} {
			for _, field := range []string{"city", "theme"} {
				want := fmt.Sprint(cut(directCounts(ix.keywords[field], m.docs), size))
				// Whichever way FacetCounts picks, and each way forced.
				vb := ix.keywords[field].bits(n)
				for way, got := range map[string][]Count{
					"chosen": ix.FacetCounts(&m, []Facet{{Field: field, Size: size}})[0],
					"walk":   ix.keywordCounts(field, m.docs, size),
					"bits":   vb.counts(in, size),
				} {
					if fmt.Sprint(got) != want {
						t.Errorf("share %.2f, size %d, %s, %s: counts = %v\nwant %v", share, size, field, way, got, want)
					}
				}
			}
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
			w := fmt.Sprint(top(want, size))
			for way, got := range map[string][]Count{
				"chosen": ix.FacetCounts(&m, []Facet{{Year: true, Size: size}})[0],
				"walk":   ix.yearCounts(m.docs, size),
				"sparse": ix.yearCountsSparse(m.docs, size),
				"bits":   ix.yearBits().counts(in, size),
			} {
				if fmt.Sprint(got) != w {
					t.Errorf("share %.2f, size %d, years, %s: counts = %v\nwant %s", share, size, way, got, w)
				}
			}
		}
	}
}

func cut(c []Count, size int) []Count {
	if size > 0 && len(c) > size {
		return c[:size]
	}
	return c
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

// YearSet holds the documents whose year lies in [from, to], either end
// open (0) — a practice of unknown year (0) too when from is open, as
// Bleve's range over the indexed 0 does — for years held as bit sets and
// as lists.
func TestYearSet(t *testing.T) {
	const n = 5000
	rng := rand.New(rand.NewPCG(43, 47))
	years := make([]int32, n)
	for d := range years {
		switch rng.IntN(10) {
		case 0:
			// unknown
		case 1:
			years[d] = 1990 + int32(rng.IntN(10)) // rare years: lists
		default:
			years[d] = 2005 + int32(rng.IntN(5)) // common: bit sets
		}
	}
	ix := &Index{n: n, year: years}
	for _, r := range [][2]int{{0, 2006}, {2006, 0}, {1995, 2007}, {2007, 2007}, {1980, 1989}, {0, 1989}, {2030, 0}} {
		got := ix.YearSet(r[0], r[1])
		for d, y := range years {
			want := (r[0] == 0 || int(y) >= r[0]) && (r[1] == 0 || int(y) <= r[1])
			if got.Has(uint32(d)) != want {
				t.Fatalf("YearSet(%d, %d): document %d of year %d held %t, want %t", r[0], r[1], d, y, got.Has(uint32(d)), want)
			}
		}
	}
	if ix.YearSet(0, 0) != nil {
		t.Error("YearSet(0, 0) is a set, want nil (no filter)")
	}
}
