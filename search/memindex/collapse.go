package memindex

import (
	"cmp"
	"container/heap"
	"math/bits"
)

// Order is the sort of a result.
type Order int

const (
	ByScore  Order = iota // score, then newest, then group, language, id
	ByNewest              // newest, then score, ...
	ByOldest              // oldest, then score, ...
)

// Member is a document chosen to represent its translation group.
type Member struct {
	ID    string
	Doc   uint32 // its number in the in-memory copy
	Lang  string
	Score float64
}

// Collapse folds the matches into translation groups ranked by their best
// document in order, and returns the groups of page [from, to) — each as
// the member in language ui when one matches, else its best document —
// and the number of groups (documents without a group count alone).
//
// The groups are counted with a bit per group. The ranked groups are those
// of the best documents: the best k documents are kept in a bounded heap
// and read in rank order, each group at its first (so best) document, and
// k doubles until the page's groups are found. Translations of a practice
// are a handful of documents, so one or two passes suffice.
func (ix *Index) Collapse(m *Matches, order Order, from, to int, ui string) (page []Member, groups int) {
	if m.Len() == 0 {
		return nil, 0
	}
	gs := ix.groupScratch()
	defer ix.groupPool.Put(gs)
	singles := 0
	seen := gs.seen
	for _, d := range m.docs {
		g := ix.group[d]
		if g == noValue {
			singles++
			continue
		}
		seen[g>>6] |= 1 << (g & 63)
	}
	for i, w := range seen {
		groups += bits.OnesCount64(w)
		seen[i] = 0
	}
	groups += singles
	if from >= groups || to <= from {
		return nil, groups
	}
	to = min(to, groups)
	var ranked []int // positions in m of the best document of each of the first `to` groups
	for k := 2 * to; ; k *= 2 {
		top := ix.topDocs(m, order, k, gs.top[:0])
		gs.top = top[:0]
		ranked = ranked[:0]
		for _, i := range top {
			g := ix.group[m.docs[i]]
			if g != noValue {
				if seen[g>>6]&(1<<(g&63)) != 0 {
					continue
				}
				seen[g>>6] |= 1 << (g & 63)
			}
			ranked = append(ranked, i)
			if len(ranked) == to {
				break
			}
		}
		for _, i := range top {
			if g := ix.group[m.docs[i]]; g != noValue {
				seen[g>>6] &^= 1 << (g & 63)
			}
		}
		if len(ranked) == to || len(top) == m.Len() {
			break
		}
	}
	if from >= len(ranked) {
		return nil, groups
	}
	langs := ix.keywords["lang"]
	uiNum, uiOK := uint32(0), false
	if langs != nil {
		uiNum, uiOK = langs.number[ui]
	}
	for _, i := range ranked[from:] {
		d := m.docs[i]
		pick := i
		if g := ix.group[d]; g != noValue && uiOK && !ix.hasLang(langs, d, uiNum) {
			// The member in the interface language, when it matches too.
			for _, other := range ix.members[g] {
				if other == d || !ix.hasLang(langs, other, uiNum) {
					continue
				}
				if j, ok := m.find(other); ok && (pick == i || ix.less(m, order, j, pick)) {
					pick = j
				}
			}
		}
		pd := m.docs[pick]
		lang := ""
		if langs != nil {
			if vs := langs.valuesOf(pd); len(vs) > 0 {
				lang = langs.values[vs[0]]
			}
		}
		page = append(page, Member{ID: ix.ids[pd], Doc: pd, Lang: lang, Score: m.Score(pick)})
	}
	return page, groups
}

// topDocs appends to out the positions in m of its best k documents in
// order, best first.
func (ix *Index) topDocs(m *Matches, order Order, k int, out []int) []int {
	h := &rankHeap{ix: ix, m: m, order: order, idx: out}
	// By score, a match scoring below the worst kept is dropped with one
	// comparison (of the compact scores of a kept part when m is one: a
	// positive factor keeps their order).
	f64, f32 := m.scores, m.s32
	if order != ByScore || (f64 == nil && m.factor <= 0) {
		f64, f32 = nil, nil
	}
	n := len(m.docs)
	first := min(k, n)
	for i := range first {
		heap.Push(h, i)
	}
	// The worst kept score, as the compact scores hold it when those are
	// compared.
	var worst64 float64
	var worst32 float32
	bound := func() {
		if f64 != nil {
			worst64 = f64[h.idx[0]]
		} else if f32 != nil {
			worst32 = f32[h.idx[0]]
		}
	}
	if first > 0 {
		bound()
	}
	for i := first; i < n; i++ {
		if f64 != nil && f64[i] < worst64 || f64 == nil && f32 != nil && f32[i] < worst32 {
			continue // ranks after the worst kept
		}
		if ix.less(m, order, i, h.idx[0]) {
			h.idx[0] = i
			heap.Fix(h, 0)
			bound()
		}
	}
	// Pop the worst first, filling from the back.
	kept := h.Len()
	res := h.idx[:kept]
	sorted := make([]int, kept)
	for j := kept - 1; j >= 0; j-- {
		sorted[j] = heap.Pop(h).(int)
	}
	copy(res, sorted)
	return res
}

func (ix *Index) hasLang(langs *keyword, d, num uint32) bool {
	vs := langs.valuesOf(d)
	return len(vs) > 0 && vs[0] == num
}

// find returns the position of document d in m.
func (m *Matches) find(d uint32) (int, bool) {
	i := gallop(m.docs, 0, d)
	return i, i < len(m.docs) && m.docs[i] == d
}

// less reports whether match i ranks before match j.
func (ix *Index) less(m *Matches, order Order, i, j int) bool {
	a, b := m.docs[i], m.docs[j]
	sa, sb := m.Score(i), m.Score(j)
	var c int
	switch order {
	case ByNewest:
		c = cmp.Or(cmp.Compare(ix.date[b], ix.date[a]), cmp.Compare(sb, sa))
	case ByOldest:
		c = cmp.Or(cmp.Compare(ix.date[a], ix.date[b]), cmp.Compare(sb, sa))
	default:
		c = cmp.Or(cmp.Compare(sb, sa), cmp.Compare(ix.date[b], ix.date[a]))
	}
	if c != 0 {
		return c < 0
	}
	if c = cmp.Compare(ix.group[a], ix.group[b]); c != 0 {
		return c < 0
	}
	return ix.idRank[a] < ix.idRank[b]
}

// rankHeap is a max-heap on rank (its root is the worst kept match).
type rankHeap struct {
	ix    *Index
	m     *Matches
	order Order
	idx   []int
}

func (h *rankHeap) Len() int           { return len(h.idx) }
func (h *rankHeap) Less(a, b int) bool { return h.ix.less(h.m, h.order, h.idx[b], h.idx[a]) }
func (h *rankHeap) Swap(a, b int)      { h.idx[a], h.idx[b] = h.idx[b], h.idx[a] }
func (h *rankHeap) Push(x any)         { h.idx = append(h.idx, x.(int)) }
func (h *rankHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// groupScratch is the working memory of one Collapse, reused.
type groupScratch struct {
	seen []uint64 // a bit per group; zeroed after use
	top  []int
}

func (ix *Index) groupScratch() *groupScratch {
	if v := ix.groupPool.Get(); v != nil {
		return v.(*groupScratch)
	}
	return &groupScratch{seen: make([]uint64, (len(ix.groupKey)+63)/64)}
}
