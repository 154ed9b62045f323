package memindex

import (
	"cmp"
	"container/heap"
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
	Lang  string
	Score float64
}

// Collapse folds the matches into translation groups ranked by their best
// document in order, and returns the groups of page [from, to) — each as
// the member in language ui when one matches, else its best document —
// and the number of groups (documents without a group count alone).
func (ix *Index) Collapse(m *Matches, order Order, from, to int, ui string) (page []Member, groups int) {
	if m.Len() == 0 {
		return nil, 0
	}
	langs := ix.keywords["lang"]
	uiNum, uiOK := uint32(0), false
	if langs != nil {
		uiNum, uiOK = langs.number[ui]
	}
	// The best matching document of every group (by position in m).
	bestOf := ix.groupScratch()
	defer ix.groupPool.Put(&bestOf)
	var singles []int
	touched := make([]uint32, 0, min(len(m.docs), len(ix.groupKey)))
	for i, d := range m.docs {
		g := ix.group[d]
		if g == noValue {
			singles = append(singles, i)
			continue
		}
		if j := bestOf[g]; j == 0 {
			bestOf[g] = int32(i) + 1
			touched = append(touched, g)
		} else if ix.less(m, order, i, int(j-1)) {
			bestOf[g] = int32(i) + 1
		}
	}
	best := make([]int, len(touched))
	for k, g := range touched {
		best[k] = int(bestOf[g] - 1)
		bestOf[g] = 0
	}
	groups = len(best) + len(singles)
	if from >= groups || to <= from {
		return nil, groups
	}
	// Keep the best `to` representatives in a bounded heap.
	h := &rankHeap{ix: ix, m: m, order: order, idx: make([]int, 0, min(to, groups))}
	push := func(i int) {
		if h.Len() < to {
			heap.Push(h, i)
			return
		}
		if order == ByScore && m.scores != nil && m.scores[i] < m.scores[h.idx[0]] {
			return // ranks after the worst kept
		}
		if ix.less(m, order, i, h.idx[0]) {
			h.idx[0] = i
			heap.Fix(h, 0)
		}
	}
	for _, i := range best {
		push(i)
	}
	for _, i := range singles {
		push(i)
	}
	ranked := make([]int, h.Len())
	for k := len(ranked) - 1; k >= 0; k-- {
		ranked[k] = heap.Pop(h).(int)
	}
	if from >= len(ranked) {
		return nil, groups
	}
	for _, i := range ranked[from:min(to, len(ranked))] {
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
		page = append(page, Member{ID: ix.ids[pd], Lang: lang, Score: m.Score(pick)})
	}
	return page, groups
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

// groupScratch returns a zeroed slice with one slot per group.
func (ix *Index) groupScratch() []int32 {
	if v := ix.groupPool.Get(); v != nil {
		return *v.(*[]int32)
	}
	return make([]int32, len(ix.groupKey))
}
