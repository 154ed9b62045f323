package memindex

import "slices"

// Matches are the documents a query matches, ascending, with their scores.
type Matches struct {
	docs   []uint32
	scores []float64 // nil: the score of docs[i] is s32[i] × factor, or post.weight(i, norm) × factor
	s32    []float32 // the compact scores of a kept part (see Keyed)
	post   *posting
	norm   []float32
	factor float64
	own    bool // docs and scores belong to these matches alone: scores may be updated in place
	// every document scores the same and these are its documents as a bit
	// set (a kept part only: a keyword such as the interface language)
	uniform Set
	buf     *matchBuf // the arena buffer holding docs and scores, when lent
}

// Len is the number of matching documents.
func (m *Matches) Len() int { return len(m.docs) }

// Doc returns the i-th matching document.
func (m *Matches) Doc(i int) uint32 { return m.docs[i] }

// Score returns the score of the i-th matching document.
func (m *Matches) Score(i int) float64 {
	if m.scores != nil {
		return m.scores[i]
	}
	if m.s32 != nil {
		return float64(m.s32[i]) * m.factor
	}
	return float64(m.post.weight(i, m.norm)) * m.factor
}

// appendScores appends the scores of m to dst, with one loop for each
// form the scores take.
func (m *Matches) appendScores(dst []float64) []float64 {
	switch {
	case m.scores != nil:
		return append(dst, m.scores...)
	case m.s32 != nil:
		f := m.factor
		for _, s := range m.s32 {
			dst = append(dst, float64(s)*f)
		}
	default:
		for i := range m.docs {
			dst = append(dst, float64(m.post.weight(i, m.norm))*m.factor)
		}
	}
	return dst
}

// materialise gives m its own score slice.
func (m *Matches) materialise() {
	if m.scores != nil {
		return
	}
	s := m.appendScores(make([]float64, 0, len(m.docs)))
	m.scores, m.s32, m.post, m.norm = s, nil, nil, nil
}

// compact returns m with its scores rounded to float32, the form the part
// cache keeps (8 bytes a match instead of 12). When every document of many
// (over one in 64 of the index's n) scores the same, they are kept as a
// bit set too, for adding that score without a per-document look-up.
func (m Matches) compact(n int) Matches {
	m.materialise()
	s := make([]float32, len(m.scores))
	for i, v := range m.scores {
		s[i] = float32(v)
	}
	docs := m.docs
	if cap(docs) > len(docs)+len(docs)/8 {
		// A union's buffer has room for every child's matches; the part
		// cache counts, and should hold, only the matches.
		docs = slices.Clone(docs)
	}
	out := Matches{docs: docs, s32: s, factor: 1}
	if len(docs) > 0 && len(docs) > n/64 && int(docs[len(docs)-1]) < n {
		same := true
		for _, v := range s[1:] {
			if v != s[0] {
				same = false
				break
			}
		}
		if same {
			out.uniform = newSet(n)
			out.uniform.addAll(docs)
		}
	}
	return out
}

// scaled returns m with every score multiplied by f.
func (m Matches) scaled(f float64) Matches {
	if f == 1 {
		return m
	}
	if m.scores == nil {
		m.factor *= f
		return m
	}
	if m.own {
		for i := range m.scores {
			m.scores[i] *= f
		}
		return m
	}
	s := make([]float64, len(m.scores))
	for i, v := range m.scores {
		s[i] = v * f
	}
	m.scores = s
	return m
}

// Set is a set of documents as a bit set.
type Set []uint64

func newSet(n int) Set { return make(Set, (n+63)/64) }

func (s Set) add(d uint32)      { s[d>>6] |= 1 << (d & 63) }
func (s Set) Has(d uint32) bool { return s[d>>6]&(1<<(d&63)) != 0 }

// addAll adds docs, which must be ascending (as every list of documents
// here is): the bits of one word are gathered in a register while the
// documents stay in it (twice as fast as setting them one by one).
func (s Set) addAll(docs []uint32) {
	for i := 0; i < len(docs); {
		word := docs[i] >> 6
		next := (word + 1) << 6
		var w uint64
		for ; i < len(docs) && docs[i] < next; i++ {
			w |= 1 << (docs[i] & 63)
		}
		s[word] |= w
	}
}

// filter keeps the matches in every set (nil sets are ignored), in a
// buffer lent by a (allocated when a is nil).
func (m Matches) filter(a *Arena, sets []Set) Matches {
	var active []Set
	for _, s := range sets {
		if s != nil {
			active = append(active, s)
		}
	}
	if len(active) == 0 {
		return m
	}
	docs, scores := a.get(len(m.docs))
	out := Matches{docs: docs, scores: scores, own: true}
	if len(active) == 1 && m.scores != nil {
		// The usual case (one filter on a merged result): no calls, and
		// no branch the processor cannot predict — every match is written
		// at the next free slot, which advances only past a kept one.
		set, ms := active[0], m.scores
		docs, scores := out.docs[:len(m.docs)], out.scores[:len(m.docs)]
		ms = ms[:len(m.docs)]
		j := 0
		for i, d := range m.docs {
			docs[j], scores[j] = d, ms[i]
			j += int(set[d>>6] >> (d & 63) & 1)
		}
		out.docs, out.scores = docs[:j], scores[:j]
		return out
	}
	for i, d := range m.docs {
		ok := true
		for _, s := range active {
			if !s.Has(d) {
				ok = false
				break
			}
		}
		if ok {
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, m.Score(i))
		}
	}
	return out
}

// union merges children the way Bleve's disjunction searcher does: a
// document matching at least min of them (and at least one) scores the sum
// of its scores times the share of children it matches.
func (e *evaluator) union(children []Matches, min int) Matches {
	total := len(children)
	min = max(min, 1)
	nonEmpty, big, size := nonEmptyKids(children)
	switch {
	case len(nonEmpty) < min:
		return Matches{}
	case len(nonEmpty) == 1:
		return nonEmpty[0].scaled(1 / float64(total))
	case min == 1 && skewed(nonEmpty, big, size):
		return e.unionSkewed(nonEmpty, big, total)
	}
	n := e.ix.n
	lo, hi := uint32(n), uint32(0)
	for _, c := range nonEmpty {
		lo, hi = min2(lo, c.docs[0]), max(hi, c.docs[len(c.docs)-1])
	}
	sc := e.scratch()
	defer e.release(sc)
	// Dense: the matches cover much of their range; the range is scanned
	// instead of remembering which documents were touched (a branch per
	// posting the processor cannot predict).
	dense := size > int(hi-lo)/8
	cnt, acc := sc.cnt, sc.acc
	for k, c := range nonEmpty {
		switch {
		case dense && k == 0 && c.s32 != nil:
			// The arrays are zero: the first child's scores are written,
			// not added (0 + x is x exactly).
			f := c.factor
			for i, d := range c.docs {
				cnt[d] = 1
				acc[d] = float64(c.s32[i]) * f
			}
		case dense && c.scores != nil:
			for i, d := range c.docs {
				cnt[d]++
				acc[d] += c.scores[i]
			}
		case dense && c.s32 != nil:
			f := c.factor
			for i, d := range c.docs {
				cnt[d]++
				acc[d] += float64(c.s32[i]) * f
			}
		case dense:
			for i, d := range c.docs {
				sc.cnt[d]++
				sc.acc[d] += c.Score(i)
			}
		default:
			for i, d := range c.docs {
				if sc.cnt[d] == 0 {
					sc.touched = append(sc.touched, d)
				}
				sc.cnt[d]++
				sc.acc[d] += c.Score(i)
			}
		}
	}
	room := size
	if r := int(hi-lo) + 1; r < room {
		room = r
	}
	out := e.ownMatches(room)
	// Bleve scales a disjunction's sum by coord = matched/total, computed
	// as a quotient first: one multiplication per match, by a table.
	var coordBuf [64]float64
	coord := coordBuf[:0]
	if total >= len(coordBuf) {
		coord = make([]float64, 0, total+1)
	}
	for c := 0; c <= total; c++ {
		coord = append(coord, float64(c)/float64(total))
	}
	emit := func(d uint32) {
		if c := int(sc.cnt[d]); c >= min {
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, sc.acc[d]*coord[c])
		}
		sc.cnt[d], sc.acc[d] = 0, 0
	}
	if dense {
		cnt, acc := sc.cnt[lo:hi+1], sc.acc[lo:hi+1]
		// Without a branch the processor cannot predict: every document
		// of the range is written at the next free slot, which advances
		// only past a match (min is at least 1, so c = 0 never counts).
		// The arrays are zeroed for the next union as they are read (a
		// second pass would read them again from beyond the core's cache).
		docs, scores := out.docs[:cap(out.docs)], out.scores[:cap(out.scores)]
		m := uint16(min)
		j, k := 0, 0
		acc = acc[:len(cnt)]
		for ; k < len(cnt); k++ {
			if j >= len(docs) {
				break // no room left: every remaining document is a non-match
			}
			c := cnt[k]
			docs[j] = lo + uint32(k)
			scores[j] = acc[k] * coord[c]
			cnt[k], acc[k] = 0, 0
			inc := 0
			if c >= m {
				inc = 1
			}
			j += inc
		}
		out.docs, out.scores = docs[:j], scores[:j]
		// Only when every posting has its own document does the room run
		// out before the range: the rest is zero then, cleared to be sure.
		clear(cnt[k:])
		clear(acc[k:])
	} else {
		slices.Sort(sc.touched)
		for _, d := range sc.touched {
			emit(d)
		}
	}
	// The children are summed into out: their arena buffers can serve the
	// rest of the search.
	for _, c := range nonEmpty {
		e.arena.recycle(c)
	}
	return out
}

// nonEmptyKids returns the children with matches, the position among them
// of the one with the most (big) and their number of matches together.
func nonEmptyKids(kids []Matches) (nonEmpty []Matches, big, size int) {
	for _, c := range kids {
		if c.Len() == 0 {
			continue
		}
		if len(nonEmpty) > 0 && c.Len() > nonEmpty[big].Len() {
			big = len(nonEmpty)
		}
		nonEmpty = append(nonEmpty, c)
		size += c.Len()
	}
	return nonEmpty, big, size
}

// skewed reports whether child big holds at least 16 matches for each of
// the others': unionSkewed then reads less than a pass over the range.
func skewed(nonEmpty []Matches, big, size int) bool {
	b := nonEmpty[big].Len()
	return 16*(size-b) <= b
}

// unionSkewed is union (min 1) when one child, big, holds most of the
// matches — the interface language beside a few side-by-side matches: its
// runs between the others' documents are copied, and each document of the
// others is summed over the children in their order (the sum of a dense
// union, to the bit), instead of a pass over the whole range.
func (e *evaluator) unionSkewed(kids []Matches, big, total int) Matches {
	b := kids[big]
	few := fewDocs(kids, big)
	coord := func(c int) float64 { return float64(c) / float64(total) }
	alone := coord(1)
	out := e.ownMatches(len(b.docs) + len(few))
	at := make([]int, len(kids)) // each child's position at or after the current document
	copyRun := func(from, to int) {
		out.docs = append(out.docs, b.docs[from:to]...)
		switch {
		case b.scores != nil:
			for _, s := range b.scores[from:to] {
				out.scores = append(out.scores, s*alone)
			}
		case b.s32 != nil:
			f := b.factor
			for _, s := range b.s32[from:to] {
				out.scores = append(out.scores, float64(s)*f*alone)
			}
		default:
			for i := from; i < to; i++ {
				out.scores = append(out.scores, b.Score(i)*alone)
			}
		}
	}
	for _, d := range few {
		j := gallop(b.docs, at[big], d)
		copyRun(at[big], j)
		at[big] = j
		sum, cnt := sumAt(kids, at, d)
		out.docs = append(out.docs, d)
		out.scores = append(out.scores, sum*coord(cnt))
	}
	copyRun(at[big], len(b.docs))
	for _, c := range kids {
		e.arena.recycle(c)
	}
	return out
}

// fewDocs returns the documents of every child but skip, ascending, once
// each.
func fewDocs(kids []Matches, skip int) []uint32 {
	var few []uint32
	for k, c := range kids {
		if k != skip {
			few = append(few, c.docs...)
		}
	}
	slices.Sort(few)
	return slices.Compact(few)
}

// sumAt sums the scores of document d over the children that match it, in
// their order, and counts them. at holds each child's position at or
// after d, advanced past it (documents are asked in ascending order).
func sumAt(kids []Matches, at []int, d uint32) (sum float64, cnt int) {
	for k, c := range kids {
		i := gallop(c.docs, at[k], d)
		at[k] = i
		if i < len(c.docs) && c.docs[i] == d {
			sum += c.Score(i)
			cnt++
			at[k] = i + 1
		}
	}
	return sum, cnt
}

func min2(a, b uint32) uint32 {
	if a < b {
		return a
	}
	return b
}

// intersect keeps the documents every child matches, scoring the sum.
func (e *evaluator) intersect(children []Matches) Matches {
	if len(children) == 0 {
		return Matches{}
	}
	if len(children) == 1 {
		return children[0]
	}
	order := make([]int, len(children))
	for i := range order {
		order[i] = i
		if children[i].Len() == 0 {
			return Matches{}
		}
	}
	slices.SortFunc(order, func(a, b int) int { return children[a].Len() - children[b].Len() })
	first := children[order[0]]
	cur := make([]int, len(children))
	out := e.ownMatches(first.Len())
outer:
	for i, d := range first.docs {
		s := first.Score(i)
		for _, k := range order[1:] {
			c := &children[k]
			j := gallop(c.docs, cur[k], d)
			cur[k] = j
			if j == len(c.docs) {
				break outer
			}
			if c.docs[j] != d {
				continue outer
			}
			s += c.Score(j)
		}
		out.docs = append(out.docs, d)
		out.scores = append(out.scores, s)
	}
	// The children are summed into out: their arena buffers can serve the
	// rest of the search.
	for _, c := range children {
		e.arena.recycle(c)
	}
	return out
}

// gallop returns the first index at or after from whose doc is >= d.
func gallop(docs []uint32, from int, d uint32) int {
	if from >= len(docs) || docs[from] >= d {
		return from
	}
	step := 1
	lo, hi := from, from+1
	for hi < len(docs) && docs[hi] < d {
		lo = hi
		step *= 2
		hi = lo + step
	}
	hi = min(hi, len(docs))
	i, _ := slices.BinarySearch(docs[lo:hi], d)
	return lo + i
}

// subtract removes the documents of ex from m.
func subtract(m Matches, ex Matches) Matches {
	if ex.Len() == 0 || m.Len() == 0 {
		return m
	}
	out := Matches{}
	j := 0
	for i, d := range m.docs {
		j = gallop(ex.docs, j, d)
		if j < len(ex.docs) && ex.docs[j] == d {
			continue
		}
		out.docs = append(out.docs, d)
		out.scores = append(out.scores, m.Score(i))
	}
	return out
}

// scratch is the dense working memory of one union.
type scratch struct {
	acc     []float64
	cnt     []uint16
	touched []uint32
}

func (e *evaluator) scratch() *scratch {
	if v := e.ix.pool.Get(); v != nil {
		sc := v.(*scratch)
		sc.touched = sc.touched[:0]
		return sc
	}
	return &scratch{acc: make([]float64, e.ix.n), cnt: make([]uint16, e.ix.n)}
}

func (e *evaluator) release(sc *scratch) { e.ix.pool.Put(sc) }
