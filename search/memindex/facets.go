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
	// The documents of each year are held by year (yearBits): a year's
	// set is or-ed in, or its list added.
	s := newSet(ix.n)
	vb := ix.yearBits()
	for v, y := range vb.years {
		if from != 0 && y < from || to != 0 && y > to {
			continue
		}
		if d := vb.dense[v]; d != nil {
			for w, x := range d {
				s[w] |= x
			}
		} else {
			s.addAll(vb.docs[v])
		}
	}
	if from <= 0 && to >= 0 {
		// A practice of unknown year is indexed with year 0, which Bleve's
		// range from nothing matches.
		s.addAll(ix.noYear)
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
// A facet with few values (themes, languages, years) is counted value by
// value against the matches as a bit set when that reads less than a walk
// over the matches; others are counted by walking the matches once, in
// document order (a sequential read of each document's value).
func (ix *Index) FacetCounts(m *Matches, fs []Facet) [][]Count {
	out := make([][]Count, len(fs))
	if m.Len() == 0 {
		return out
	}
	docs := m.docs
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
			out[i] = vb.counts(in, f.Size)
			continue
		}
		if f.Year {
			out[i] = ix.yearCounts(docs, f.Size)
		} else {
			out[i] = ix.keywordCounts(f.Field, docs, f.Size)
		}
	}
	return out
}

// keywordCounts counts the values of field over docs.
func (ix *Index) keywordCounts(field string, docs []uint32, size int) []Count {
	k := ix.keywords[field]
	if k == nil {
		return nil
	}
	counts := make([]int, len(k.values)+1) // the last slot counts noValue
	last := uint32(len(k.values))
	if k.single != nil {
		single := k.single
		for _, d := range docs {
			counts[min(single[d], last)]++
		}
	} else {
		for _, d := range docs {
			for _, v := range k.valuesOf(d) {
				counts[v]++
			}
		}
	}
	return topValues(counts[:len(k.values)], k.values, size)
}

// topValues returns the size most frequent values (all when size is 0)
// with a count above 0, by count and then label; labels are sorted, so a
// value's number orders ties. Each value is sorted as one integer — count
// and number — without comparing strings.
func topValues(counts []int, labels []string, size int) []Count {
	var buf [256]uint64
	keys := buf[:0]
	for v, c := range counts {
		if c > 0 {
			keys = append(keys, uint64(math.MaxUint32-uint32(min(c, math.MaxUint32)))<<32|uint64(v))
		}
	}
	slices.Sort(keys)
	if size > 0 && len(keys) > size {
		keys = keys[:size]
	}
	out := make([]Count, len(keys))
	for i, key := range keys {
		v := uint32(key)
		out[i] = Count{Value: labels[v], Count: counts[v]}
	}
	return out
}

// yearCounts counts the years (above 0) of docs.
func (ix *Index) yearCounts(docs []uint32, size int) []Count {
	// Years are counted in an array over the index's span of years.
	lo, hi := ix.yearSpan()
	if hi < lo {
		return nil
	}
	if hi-lo > 4096 {
		return ix.yearCountsSparse(docs, size)
	}
	counts := make([]int, hi-lo+1)
	for _, d := range docs {
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

// top sorts counts by count and then value, and keeps the size first.
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
func (ix *Index) yearCountsSparse(docs []uint32, size int) []Count {
	counts := map[int32]int{}
	for _, d := range docs {
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

// valueBits holds a facet's documents by value, in the order of their
// labels, for counting a set of documents value by value: a value held by many documents as a bit set
// (the count is the population of an AND), a rarer one as its list. It
// beats reading the value of every document when the facet has few values
// (themes, languages, countries, years) and the set is large.
type valueBits struct {
	labels []string
	years  []int      // by value, the years of the labels (years' valueBits only)
	dense  []Set      // by value; nil when the list is used
	docs   [][]uint32 // by value, ascending
	cost   int        // words and list entries read to count one set
	perDoc int        // values per document, rounded up: the cost of the walk per document
}

func newValueBits(n int, labels []string, docs [][]uint32) *valueBits {
	// Values are kept in the order of their labels, so that ties between
	// counts are ordered by number (see topValues).
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(labels[a], labels[b]) })
	vb := &valueBits{labels: make([]string, len(labels)), docs: make([][]uint32, len(docs)), dense: make([]Set, len(docs))}
	for i, o := range order {
		vb.labels[i], vb.docs[i] = labels[o], docs[o]
	}
	words := (n + 63) / 64
	entries := 0
	for v, ds := range vb.docs {
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

// counts counts each value over the documents of in and returns the size
// most frequent.
func (vb *valueBits) counts(in Set, size int) []Count {
	var buf [64]int
	counts := buf[:0]
	if len(vb.docs) > len(buf) {
		counts = make([]int, 0, len(vb.docs))
	}
	for v := range vb.docs {
		c := 0
		if d := vb.dense[v]; d != nil {
			c = andCount(d, in)
		} else {
			for _, doc := range vb.docs[v] {
				if in.Has(doc) {
					c++
				}
			}
		}
		counts = append(counts, c)
	}
	return topValues(counts, vb.labels, size)
}

// andCount is the population of a AND b (b at least as long as a), four
// words at a time in independent sums.
func andCount(a, b Set) int {
	b = b[:len(a)]
	var c0, c1, c2, c3 int
	i := 0
	for ; i+4 <= len(a); i += 4 {
		c0 += bits.OnesCount64(a[i] & b[i])
		c1 += bits.OnesCount64(a[i+1] & b[i+1])
		c2 += bits.OnesCount64(a[i+2] & b[i+2])
		c3 += bits.OnesCount64(a[i+3] & b[i+3])
	}
	for ; i < len(a); i++ {
		c0 += bits.OnesCount64(a[i] & b[i])
	}
	return c0 + c1 + c2 + c3
}

// bits returns the field's valueBits, made once.
func (k *keyword) bits(n int) *valueBits {
	k.bitsOnce.Do(func() { k.vbits = newValueBits(n, k.values, k.docs) })
	return k.vbits
}

// yearBits returns the years' valueBits, made once (with noYear).
func (ix *Index) yearBits() *valueBits {
	ix.yearBitsOnce.Do(func() {
		byYear := map[int32][]uint32{}
		for d, y := range ix.year {
			if y > 0 {
				byYear[y] = append(byYear[y], uint32(d))
			} else if y == 0 {
				ix.noYear = append(ix.noYear, uint32(d))
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
		vb := newValueBits(ix.n, labels, docs)
		vb.years = make([]int, len(vb.labels))
		for v, label := range vb.labels {
			vb.years[v], _ = strconv.Atoi(label) // written by strconv.Itoa above
		}
		ix.yearVBits = vb
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
