package memindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// collapseIndex is an index of n documents in groups of one to five
// translations (some documents in none), with few distinct scores and
// dates so that ties are common.
func collapseIndex(rng *rand.Rand, n int) *Index {
	ix := &Index{n: n, ids: make([]string, n), idRank: make([]uint32, n), date: make([]int32, n), group: make([]uint32, n)}
	langs := make([][]string, n)
	g := uint32(0)
	for d := 0; d < n; {
		size := 1 + rng.IntN(5)
		single := rng.IntN(6) == 0
		for k := 0; k < size && d < n; k++ {
			ix.ids[d] = fmt.Sprintf("p%05d", rng.IntN(1_000_000)*n+d)
			ix.date[d] = int32(rng.IntN(5))
			langs[d] = []string{[]string{"en", "fr", "de"}[k%3]}
			if single {
				ix.group[d] = noValue
			} else {
				ix.group[d] = g
				ix.members = append(ix.members, nil)
				ix.members[g] = append(ix.members[g], uint32(d))
			}
			d++
		}
		if !single {
			ix.groupKey = append(ix.groupKey, fmt.Sprintf("g%d", g))
			g++
		}
	}
	ix.members = ix.members[:g]
	byID := make([]uint32, n)
	for i := range byID {
		byID[i] = uint32(i)
	}
	slices.SortFunc(byID, func(a, b uint32) int { return cmpString(ix.ids[a], ix.ids[b]) })
	for r, d := range byID {
		ix.idRank[d] = uint32(r)
	}
	ix.keywords = map[string]*keyword{"lang": newKeyword(langs)}
	return ix
}

// referenceCollapse ranks every match, then keeps each group's first.
func referenceCollapse(ix *Index, m *Matches, order Order, from, to int) ([]string, int) {
	pos := make([]int, m.Len())
	for i := range pos {
		pos[i] = i
	}
	slices.SortFunc(pos, func(a, b int) int {
		if ix.less(m, order, a, b) {
			return -1
		}
		return 1
	})
	seen := map[uint32]bool{}
	var ranked []string
	for _, i := range pos {
		g := ix.group[m.docs[i]]
		if g != noValue {
			if seen[g] {
				continue
			}
			seen[g] = true
		}
		ranked = append(ranked, ix.ids[m.docs[i]])
	}
	if from >= len(ranked) {
		return nil, len(ranked)
	}
	return ranked[from:min(to, len(ranked))], len(ranked)
}

// Collapse must equal ranking every match and keeping each translation
// group's best, for every order, page and share of the index matched.
func TestCollapseEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ix := collapseIndex(rng, 2000)
	for _, share := range []float64{0.01, 0.3, 1} {
		m := Matches{}
		for d := range ix.n {
			if rng.Float64() < share {
				m.docs = append(m.docs, uint32(d))
				m.scores = append(m.scores, float64(rng.IntN(4)))
			}
		}
		for _, order := range []Order{ByScore, ByNewest, ByOldest} {
			for _, pg := range [][2]int{{0, 10}, {10, 20}, {0, 1}, {990, 1000}, {5000, 5010}} {
				want, wantGroups := referenceCollapse(ix, &m, order, pg[0], pg[1])
				page, groups := ix.Collapse(&m, order, pg[0], pg[1], "")
				var got []string
				for _, p := range page {
					got = append(got, p.ID)
				}
				if groups != wantGroups || !slices.Equal(got, want) {
					t.Errorf("share %.2f order %d page %v: %d groups %v\nwant %d groups %v", share, order, pg, groups, got, wantGroups, want)
				}
			}
		}
	}
}

// A group found through a member in another language is shown in the
// interface language when that member matches too.
func TestCollapsePrefersInterfaceLanguage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ix := collapseIndex(rng, 300)
	var g uint32
	for g = range uint32(len(ix.members)) {
		if len(ix.members[g]) >= 3 {
			break
		}
	}
	mem := ix.members[g]
	m := Matches{docs: []uint32{mem[0], mem[1]}, scores: []float64{5, 1}} // en best, fr matches too
	page, groups := ix.Collapse(&m, ByScore, 0, 10, "fr")
	if groups != 1 || len(page) != 1 || page[0].Lang != "fr" || page[0].ID != ix.ids[mem[1]] {
		t.Fatalf("Collapse(ui=fr) = %+v (%d groups), want the French member %s", page, groups, ix.ids[mem[1]])
	}
}
