package memindex

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
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

// Facet names a facet to count: a keyword field, or the year (Year true).
type Facet struct {
	Field string
	Year  bool
	Size  int // values returned at most; 0: all
}

// FacetCounts counts every facet of fs over the matches, in order: the size
// most frequent values of each, by count and then value (as Bleve's term
// facets).
//
// A broad query matches most of the index: then the documents it leaves
// out are listed once and taken from each facet's totals over the whole
// index, so the work is that of the smaller side.
func (ix *Index) FacetCounts(m *Matches, fs []Facet) [][]Count {
	out := make([][]Count, len(fs))
	if m.Len() == 0 {
		return out
	}
	docs, complement := m.docs, false
	if 2*m.Len() > ix.n {
		buf := ix.complementPool.Get()
		var rest []uint32
		if buf != nil {
			rest = (*buf.(*[]uint32))[:0]
		} else {
			rest = make([]uint32, 0, ix.n/2+1)
		}
		eachGap(m.docs, ix.n, func(lo, hi uint32) {
			for d := lo; d < hi; d++ {
				rest = append(rest, d)
			}
		})
		defer ix.complementPool.Put(&rest)
		docs, complement = rest, true
	}
	var in Set // docs as a bit set, made when a facet is counted through its values
	for i, f := range fs {
		var vb *valueBits
		if f.Year {
			vb = ix.yearBits()
		} else if k := ix.keywords[f.Field]; k != nil {
			vb = k.bits(ix.n)
		}
		if vb != nil && vb.cost < vb.perDoc*len(docs) {
			if in == nil {
				in = ix.setPool.Get(ix.n)
				defer ix.setPool.Put(in)
				in.addAll(docs)
			}
			out[i] = vb.counts(in, complement, f.Size)
			continue
		}
		if f.Year {
			out[i] = ix.yearCounts(docs, complement, f.Size)
		} else {
			out[i] = ix.keywordCounts(f.Field, docs, complement, f.Size)
		}
	}
	return out
}

// keywordCounts counts the values of field over docs, or over every
// document but docs when complement is set.
func (ix *Index) keywordCounts(field string, docs []uint32, complement bool, size int) []Count {
	k := ix.keywords[field]
	if k == nil {
		return nil
	}
	counts := make([]int, len(k.values)+1) // the last slot counts noValue
	last := uint32(len(k.values))
	step := 1
	if complement {
		for v, docs := range k.docs { // the value's total over the index
			counts[v] = len(docs)
		}
		step = -1
	}
	if k.single != nil {
		for _, d := range docs {
			counts[min(k.single[d], last)] += step
		}
	} else {
		for _, d := range docs {
			for _, v := range k.valuesOf(d) {
				counts[v] += step
			}
		}
	}
	counts = counts[:len(k.values)]
	n := 0
	for _, c := range counts {
		if c > 0 {
			n++
		}
	}
	out := make([]Count, 0, n)
	for v, c := range counts {
		if c > 0 {
			out = append(out, Count{Value: k.values[v], Count: c})
		}
	}
	return top(out, size)
}

// eachGap calls visit with every range [lo, hi) of documents below n that
// docs (ascending) does not hold.
func eachGap(docs []uint32, n int, visit func(lo, hi uint32)) {
	next := uint32(0)
	for _, d := range docs {
		if d > next {
			visit(next, d)
		}
		next = d + 1
	}
	if int(next) < n {
		visit(next, uint32(n))
	}
}

// yearCounts counts the years (above 0) of docs, or of every document but
// docs when complement is set.
func (ix *Index) yearCounts(docs []uint32, complement bool, size int) []Count {
	// Years are counted in an array over the index's span of years.
	lo, hi := ix.yearSpan()
	if hi < lo {
		return nil
	}
	if hi-lo > 4096 {
		return ix.yearCountsSparse(docs, complement, size)
	}
	counts := make([]int, hi-lo+1)
	step := 1
	if complement {
		copy(counts, ix.yearTotals())
		step = -1
	}
	for _, d := range docs {
		if y := ix.year[d]; y > 0 {
			counts[y-lo] += step
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

// yearTotals counts the years of the whole index in an array over its span,
// once (callers check that the span is small).
func (ix *Index) yearTotals() []int {
	ix.yearTotalOnce.Do(func() {
		lo, hi := ix.yearSpan()
		ix.yearTotal = make([]int, hi-lo+1)
		for _, y := range ix.year {
			if y > 0 {
				ix.yearTotal[y-lo]++
			}
		}
	})
	return ix.yearTotal
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
func (ix *Index) yearCountsSparse(docs []uint32, complement bool, size int) []Count {
	counts := map[int32]int{}
	if complement {
		in := newSet(ix.n)
		in.addAll(docs)
		for d, y := range ix.year {
			if y > 0 && !in.Has(uint32(d)) {
				counts[y]++
			}
		}
	} else {
		for _, d := range docs {
			if y := ix.year[d]; y > 0 {
				counts[y]++
			}
		}
	}
	out := make([]Count, 0, len(counts))
	for y, c := range counts {
		out = append(out, Count{Value: strconv.Itoa(int(y)), Count: c})
	}
	return top(out, size)
}

// valueBits holds a facet's documents by value for counting a set of
// documents value by value: a value held by many documents as a bit set
// (the count is the population of an AND), a rarer one as its list. It
// beats reading the value of every document when the facet has few values
// (themes, languages, countries, years) and the set is large.
type valueBits struct {
	labels []string
	dense  []Set      // by value; nil when the list is used
	docs   [][]uint32 // by value, ascending
	total  []int      // documents per value in the whole index
	cost   int        // words and list entries read to count one set
	perDoc int        // values per document, rounded up: the cost of the walk per document
}

func newValueBits(n int, labels []string, docs [][]uint32) *valueBits {
	vb := &valueBits{labels: labels, docs: docs, dense: make([]Set, len(docs)), total: make([]int, len(docs))}
	words := (n + 63) / 64
	entries := 0
	for v, ds := range docs {
		vb.total[v] = len(ds)
		entries += len(ds)
		if len(ds) > words {
			vb.dense[v] = newSet(n)
			vb.dense[v].addAll(ds)
			vb.cost += words
		} else {
			vb.cost += len(ds)
		}
	}
	vb.perDoc = 1
	if n > 0 {
		vb.perDoc = max(1, (entries+n-1)/n)
	}
	return vb
}

// counts counts each value over the documents of in, or over the others
// when complement is set, and returns the size most frequent.
func (vb *valueBits) counts(in Set, complement bool, size int) []Count {
	out := make([]Count, 0, 16)
	for v := range vb.docs {
		c := 0
		if d := vb.dense[v]; d != nil {
			for w, x := range d {
				c += bits.OnesCount64(x & in[w])
			}
		} else {
			for _, doc := range vb.docs[v] {
				if in.Has(doc) {
					c++
				}
			}
		}
		if complement {
			c = vb.total[v] - c
		}
		if c > 0 {
			out = append(out, Count{Value: vb.labels[v], Count: c})
		}
	}
	return top(out, size)
}

// bits returns the field's valueBits, made once.
func (k *keyword) bits(n int) *valueBits {
	k.bitsOnce.Do(func() { k.vbits = newValueBits(n, k.values, k.docs) })
	return k.vbits
}

// yearBits returns the years' valueBits, made once.
func (ix *Index) yearBits() *valueBits {
	ix.yearBitsOnce.Do(func() {
		byYear := map[int32][]uint32{}
		for d, y := range ix.year {
			if y > 0 {
				byYear[y] = append(byYear[y], uint32(d))
			}
		}
		years := make([]int32, 0, len(byYear))
		for y := range byYear {
			years = append(years, y)
		}
		slices.Sort(years)
		labels := make([]string, len(years))
		docs := make([][]uint32, len(years))
		for i, y := range years {
			labels[i], docs[i] = strconv.Itoa(int(y)), byYear[y]
		}
		ix.yearVBits = newValueBits(ix.n, labels, docs)
	})
	return ix.yearVBits
}

// setPool lends zeroed bit sets of one index size.
type setPool struct{ p sync.Pool }

func (sp *setPool) Get(n int) Set {
	if v := sp.p.Get(); v != nil {
		return *v.(*Set)
	}
	return newSet(n)
}

func (sp *setPool) Put(s Set) {
	clear(s)
	sp.p.Put(&s)
}
