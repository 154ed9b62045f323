package memindex

import (
	"slices"
)

// phrase matches the slots in consecutive positions of one field (an empty
// slot stands for any word, several terms in a slot for alternatives) and
// scores like Bleve's phrase searcher: the sum of the slots' scores, a slot
// of several terms scoring as a disjunction of them.
func (e *evaluator) phrase(field string, slots [][]string, boost float64) Matches {
	f := e.ix.text[field]
	if f == nil {
		return Matches{}
	}
	type slot struct {
		offset   int
		postings []*posting
		cursor   []int
	}
	var ss []slot
	var parts []Matches
	for i, terms := range slots {
		var live []string
		for _, t := range terms {
			if t != "" {
				live = append(live, t)
			}
		}
		if len(live) == 0 {
			continue // a removed word: any position
		}
		s := slot{offset: i}
		var alts []Matches
		for _, t := range live {
			alts = append(alts, e.term(field, t, boost))
			if p := f.terms[t]; p != nil {
				s.postings = append(s.postings, p)
			}
		}
		if len(s.postings) == 0 {
			return Matches{}
		}
		s.cursor = make([]int, len(s.postings))
		ss = append(ss, s)
		if len(alts) == 1 {
			parts = append(parts, alts[0])
		} else {
			parts = append(parts, e.union(alts, 1))
		}
	}
	if len(ss) == 0 {
		return Matches{}
	}
	cand := e.intersect(parts)
	if len(ss) == 1 {
		return cand
	}
	out := Matches{}
	var buf [][]uint16
	for i, d := range cand.docs {
		buf = buf[:0]
		for k := range ss {
			s := &ss[k]
			var ps []uint16
			for j, p := range s.postings {
				c := gallop(p.docs, s.cursor[j], d)
				s.cursor[j] = c
				if c < len(p.docs) && p.docs[c] == d {
					if ps == nil {
						ps = p.positions(c)
					} else {
						ps = slices.Concat(ps, p.positions(c))
						slices.Sort(ps)
					}
				}
			}
			buf = append(buf, ps)
		}
		if inSequence(buf, ss[0].offset, func(k int) int { return ss[k].offset }) {
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, cand.Score(i))
		}
	}
	return out
}

// inSequence reports whether some position p of the first slot has, for
// every other slot k, the position p + offset(k) - first.
func inSequence(pos [][]uint16, first int, offset func(int) int) bool {
	for _, p := range pos[0] {
		ok := true
		for k := 1; k < len(pos); k++ {
			want := int(p) + offset(k) - first
			if _, found := slices.BinarySearch(pos[k], uint16(min(want, 65535))); !found || want > 65535 {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
