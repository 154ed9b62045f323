package memindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// A union of children, dense or sparse, with kept (float32) or plain
// scores, keeps the documents at least min children match, scored as
// Bleve's disjunction: the sum of their scores times matched/total.
func TestUnionEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const n = 5000
	ix := &Index{n: n}
	for round := 0; round < 200; round++ {
		kids := make([]Matches, 1+rng.IntN(4))
		for k := range kids {
			density := []float64{0.001, 0.05, 0.6, 0.95}[rng.IntN(4)]
			lo, hi := rng.IntN(n), rng.IntN(n)
			if lo > hi {
				lo, hi = hi, lo
			}
			kids[k] = randomMatches(rng, lo, hi, density, rng.IntN(2) == 0)
		}
		min := 1 + rng.IntN(len(kids))

		type acc struct {
			sum float64
			cnt int
		}
		want := map[uint32]*acc{}
		for _, c := range kids {
			for i, d := range c.docs {
				if want[d] == nil {
					want[d] = &acc{}
				}
				want[d].sum += c.Score(i)
				want[d].cnt++
			}
		}
		nonEmpty := 0
		for _, c := range kids {
			if c.Len() > 0 {
				nonEmpty++
			}
		}

		for _, arena := range []*Arena{nil, ix.NewArena()} {
			e := &evaluator{ix: ix, arena: arena}
			got := e.union(kids, min)
			matched := 0
			for d := uint32(0); d < n; d++ {
				if a := want[d]; a != nil && a.cnt >= min && nonEmpty >= min {
					matched++
				}
			}
			if got.Len() != matched {
				t.Fatalf("round %d (min %d of %d children): %d matches, want %d", round, min, len(kids), got.Len(), matched)
			}
			for i := 0; i < got.Len(); i++ {
				d := got.Doc(i)
				a := want[d]
				if a == nil || a.cnt < min {
					t.Fatalf("round %d: document %d matched by %v children, min %d", round, d, a, min)
				}
				if i > 0 && got.Doc(i-1) >= d {
					t.Fatalf("round %d: documents out of order at %d", round, i)
				}
				coord := float64(a.cnt) / float64(len(kids))
				if w := a.sum * coord; got.Score(i) != w && nonEmpty > 1 {
					t.Fatalf("round %d: document %d scores %v, want %v", round, d, got.Score(i), w)
				}
			}
			arena.Release()
		}
	}
}

// An intersection keeps the documents every child matches, scored as the
// sum of the children's scores, whether its buffers come from an arena
// (and its children's go back to it) or not.
func TestIntersectEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const n = 3000
	ix := &Index{n: n}
	for round := 0; round < 200; round++ {
		kids := make([]Matches, 2+rng.IntN(3))
		for k := range kids {
			kids[k] = randomMatches(rng, 0, n-1, []float64{0.02, 0.5, 0.9}[rng.IntN(3)], false)
		}
		want := map[uint32]float64{}
		hits := map[uint32]int{}
		for _, c := range kids {
			for i, d := range c.docs {
				want[d] += c.Score(i)
				hits[d]++
			}
		}
		for _, arena := range []*Arena{nil, ix.NewArena()} {
			e := &evaluator{ix: ix, arena: arena}
			got := e.intersect(kids)
			count := 0
			for _, h := range hits {
				if h == len(kids) {
					count++
				}
			}
			if got.Len() != count {
				t.Fatalf("round %d: %d matches, want %d", round, got.Len(), count)
			}
			for i := 0; i < got.Len(); i++ {
				d := got.Doc(i)
				if hits[d] != len(kids) {
					t.Fatalf("round %d: document %d is in %d of %d children", round, d, hits[d], len(kids))
				}
				if diff := got.Score(i) - want[d]; diff > 1e-9 || diff < -1e-9 {
					t.Fatalf("round %d: document %d scores %v, want %v", round, d, got.Score(i), want[d])
				}
			}
			arena.Release()
		}
	}
}

// Adding optional matches keeps m's documents and adds the score of each
// one opt also matches, whether opt is sparse (looked up), dense (spread)
// or of one score (a bit set), and whether m's buffers are its own (updated in place) or shared.
func TestAddOptionalEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	const n = 4000
	ix := &Index{n: n}
	for round := 0; round < 200; round++ {
		gen := func(density float64, kept bool) Matches { return randomMatches(rng, 0, n-1, density, kept) }
		m := gen([]float64{0.1, 0.7}[rng.IntN(2)], rng.IntN(2) == 0)
		m.own = m.scores != nil && rng.IntN(2) == 0
		opt := gen([]float64{0.005, 0.3, 0.9}[rng.IntN(3)], rng.IntN(2) == 0)
		if rng.IntN(3) == 0 {
			// One score for every document, kept as a part is (the
			// interface language): added through its bit set.
			for i := range opt.s32 {
				opt.s32[i] = opt.s32[0]
			}
			for i := range opt.scores {
				opt.scores[i] = opt.scores[0]
			}
			opt = opt.compact(n)
			if (opt.uniform != nil) != (opt.Len() > n/64) {
				t.Fatalf("round %d: %d matches of one score kept with a bit set: %t", round, opt.Len(), opt.uniform != nil)
			}
		}
		want := make([]float64, m.Len())
		optScore := map[uint32]float64{}
		for j, d := range opt.docs {
			optScore[d] = opt.Score(j)
		}
		for i, d := range m.docs {
			want[i] = m.Score(i) + optScore[d]
		}
		wantDocs := append([]uint32(nil), m.docs...)
		for _, arena := range []*Arena{nil, ix.NewArena()} {
			mm := m
			if m.own { // the first pass updated m's scores in place
				mm.scores = append([]float64(nil), m.scores...)
			}
			e := &evaluator{ix: ix, arena: arena}
			sameMatches(t, fmt.Sprintf("round %d", round), e.addOptional(mm, opt), wantDocs, want)
			arena.Release()
		}
	}
}

// Filtering keeps the matches in every set, with their scores, whatever
// form the scores have and however many sets there are.
func TestFilterEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 23))
	const n = 3000
	for round := 0; round < 100; round++ {
		m := randomMatches(rng, 0, n-1, 0.6, rng.IntN(2) == 0)
		sets := make([]Set, 1+rng.IntN(3))
		for k := range sets {
			if k > 0 && rng.IntN(3) == 0 {
				continue // a nil set is ignored
			}
			sets[k] = newSet(n)
			for d := 0; d < n; d++ {
				if rng.Float64() < 0.3 {
					sets[k].add(uint32(d))
				}
			}
		}
		var wantDocs []uint32
		var wantScores []float64
		for i, d := range m.docs {
			in := true
			for _, s := range sets {
				if s != nil && !s.Has(d) {
					in = false
				}
			}
			if in {
				wantDocs = append(wantDocs, d)
				wantScores = append(wantScores, m.Score(i))
			}
		}
		for _, a := range []*Arena{nil, (&Index{n: n}).NewArena()} {
			sameMatches(t, fmt.Sprintf("round %d", round), a.Filter(m, sets...), wantDocs, wantScores)
			a.Release()
		}
	}
}

// randomMatches returns matches of documents lo..hi, each with probability
// density, with positive scores kept as float32 (a cached part's form) or
// as float64 (a merged result's).
func randomMatches(rng *rand.Rand, lo, hi int, density float64, kept bool) Matches {
	m := Matches{factor: 0.5 + rng.Float64()}
	for d := lo; d <= hi; d++ {
		if rng.Float64() < density {
			m.docs = append(m.docs, uint32(d))
			if kept {
				m.s32 = append(m.s32, float32(rng.Float64()+0.01))
			} else {
				m.scores = append(m.scores, rng.Float64()+0.01)
			}
		}
	}
	return m
}

// Adding a disjunction of optional children equals adding their union, to
// the bit: when one child holds most matches with one score (kept with a
// bit set) and the others a few, and in every other shape.
func TestAddDisjunctionEqualsAddingTheUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 31))
	const n = 4000
	ix := &Index{n: n}
	fast := 0
	for round := 0; round < 300; round++ {
		m := randomMatches(rng, 0, n-1, []float64{0.1, 0.7}[rng.IntN(2)], rng.IntN(2) == 0)
		kids := make([]Matches, 1+rng.IntN(3))
		for k := range kids {
			kids[k] = randomMatches(rng, 0, n-1, []float64{0, 0.001, 0.005, 0.3}[rng.IntN(4)], rng.IntN(2) == 0)
		}
		if rng.IntN(4) > 0 {
			// The interface language: a third of the index, one score.
			u := randomMatches(rng, 0, n-1, 0.33, true)
			for i := range u.s32 {
				u.s32[i] = u.s32[0]
			}
			u = u.compact(n)
			kids[rng.IntN(len(kids))] = u
		}
		size, largest, uniform := 0, 0, false
		for _, c := range kids {
			size += c.Len()
			if c.Len() > largest {
				largest, uniform = c.Len(), c.uniform != nil
			}
		}
		if uniform && 16*(size-largest) <= largest && size > largest {
			fast++
		}
		for _, own := range []bool{false, true} {
			mm := m
			if own {
				mm = Matches{docs: m.docs, scores: m.appendScores(nil), own: true}
			}
			mw := Matches{docs: m.docs, scores: m.appendScores(nil), own: true}
			e := &evaluator{ix: ix}
			want := e.addOptional(mw, e.union(kids, 1))
			sameMatches(t, fmt.Sprintf("round %d (own %t)", round, own), e.addDisjunction(mm, kids), want.docs, want.appendScores(nil))
		}
	}
	if fast < 50 {
		t.Fatalf("only %d of 300 rounds took the bit-set way", fast)
	}
}

// addAll sets the bits of ascending documents, sparse or dense, at word
// edges and at the end of the set, and keeps the bits already set.
func TestSetAddAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 41))
	for _, n := range []int{1, 63, 64, 65, 1000} {
		for _, density := range []float64{0, 0.01, 0.5, 1} {
			s, want := newSet(n), newSet(n)
			var docs []uint32
			for d := range n {
				if rng.Float64() < density {
					docs = append(docs, uint32(d))
					want.add(uint32(d))
				} else if rng.IntN(4) == 0 {
					s.add(uint32(d))
					want.add(uint32(d))
				}
			}
			s.addAll(docs)
			if !slices.Equal(s, want) {
				t.Errorf("n %d, density %.2f: addAll(%v) = %x, want %x", n, density, docs, s, want)
			}
		}
	}
}

// sameMatches fails the test unless got holds exactly the documents docs
// with exactly the scores scores, in order.
func sameMatches(t *testing.T, what string, got Matches, docs []uint32, scores []float64) {
	t.Helper()
	if got.Len() != len(docs) {
		t.Fatalf("%s: %d matches, want %d", what, got.Len(), len(docs))
	}
	for i := range docs {
		if got.Doc(i) != docs[i] || got.Score(i) != scores[i] {
			t.Fatalf("%s: match %d is %d scoring %v, want %d scoring %v", what, i, got.Doc(i), got.Score(i), docs[i], scores[i])
		}
	}
}
