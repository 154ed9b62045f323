package memindex

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// Count is a facet value and the number of documents having it.
type Count struct {
	Value string
	Count int
}

// KeywordSet returns the documents having any of values in a keyword field;
// nil when values is empty.
func (ix *Index) KeywordSet(field string, values []string) Set {
	if len(values) == 0 {
		return nil
	}
	s := newSet(ix.n)
	k := ix.keywords[field]
	if k == nil {
		return s
	}
	for _, v := range values {
		if num, ok := k.number[v]; ok {
			s.addAll(k.docs[num])
		}
	}
	return s
}

// YearSet returns the documents whose year lies in [from, to] (0 = open);
// nil when both are 0.
func (ix *Index) YearSet(from, to int) Set {
	if from == 0 && to == 0 {
		return nil
	}
	s := newSet(ix.n)
	for d, y := range ix.year {
		if (from == 0 || int(y) >= from) && (to == 0 || int(y) <= to) {
			s.add(uint32(d))
		}
	}
	return s
}

// Counts counts the values of a keyword field over the matches and returns
// the size most frequent, by count and then value (as Bleve's term facets).
func (ix *Index) Counts(field string, m *Matches, size int) []Count {
	k := ix.keywords[field]
	if k == nil || m.Len() == 0 {
		return nil
	}
	counts := make([]int, len(k.values)+1) // the last slot counts noValue
	if k.single != nil {
		last := uint32(len(k.values))
		for _, d := range m.docs {
			counts[min(k.single[d], last)]++
		}
	} else {
		for _, d := range m.docs {
			for _, v := range k.valuesOf(d) {
				counts[v]++
			}
		}
	}
	counts = counts[:len(k.values)]
	out := make([]Count, 0, 16)
	for v, c := range counts {
		if c > 0 {
			out = append(out, Count{Value: k.values[v], Count: c})
		}
	}
	return top(out, size)
}

// YearCounts counts the years (above 0) of the matches.
func (ix *Index) YearCounts(m *Matches, size int) []Count {
	if m.Len() == 0 {
		return nil
	}
	// Years are counted in an array over the index's span of years.
	lo, hi := ix.yearSpan()
	if hi < lo {
		return nil
	}
	if hi-lo > 4096 {
		return ix.yearCountsSparse(m, size)
	}
	counts := make([]int, hi-lo+1)
	for _, d := range m.docs {
		if y := ix.year[d]; y > 0 {
			counts[y-lo]++
		}
	}
	out := make([]Count, 0, 32)
	for i, c := range counts {
		if c > 0 {
			out = append(out, Count{Value: strconv.Itoa(int(lo) + i), Count: c})
		}
	}
	return top(out, size)
}

func top(out []Count, size int) []Count {
	slices.SortFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if size > 0 && len(out) > size {
		out = out[:size]
	}
	return out
}

// yearSpan is the least and greatest year above 0 (hi < lo when none).
func (ix *Index) yearSpan() (lo, hi int32) {
	ix.spanOnce.Do(func() {
		ix.yearLo, ix.yearHi = math.MaxInt32, 0
		for _, y := range ix.year {
			if y > 0 {
				ix.yearLo, ix.yearHi = min(ix.yearLo, y), max(ix.yearHi, y)
			}
		}
	})
	return ix.yearLo, ix.yearHi
}

// yearCountsSparse counts years in a map, for an index whose years span
// too many to count in an array.
func (ix *Index) yearCountsSparse(m *Matches, size int) []Count {
	counts := map[int32]int{}
	for _, d := range m.docs {
		if y := ix.year[d]; y > 0 {
			counts[y]++
		}
	}
	out := make([]Count, 0, len(counts))
	for y, c := range counts {
		out = append(out, Count{Value: strconv.Itoa(int(y)), Count: c})
	}
	return top(out, size)
}
