package memindex

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

type fuzzyKey struct {
	field, term    string
	fuzziness, pre int
}

type candidate struct {
	term string
	dist int
}

// fuzzy matches the terms of field within the edit distance of term that
// share its first prefix runes, as Bleve's fuzzy searcher does: a
// disjunction of the candidate terms, each boosted by 1/(distance+1).
func (e *evaluator) fuzzy(field, term string, fuzziness, prefix int, boost float64) (Matches, error) {
	cands, err := e.ix.fuzzyCandidates(field, term, fuzziness, prefix)
	if err != nil {
		return Matches{}, err
	}
	if len(cands) == 0 {
		return Matches{}, nil
	}
	children := make([]Matches, len(cands))
	for i, c := range cands {
		children[i] = e.term(field, c.term, boost/float64(c.dist+1))
	}
	return e.union(children, 1), nil
}

func (ix *Index) fuzzyCandidates(field, term string, fuzziness, prefix int) ([]candidate, error) {
	key := fuzzyKey{field, term, fuzziness, prefix}
	if v, ok := ix.fuzzy.get(key); ok {
		return v, nil
	}
	f := ix.text[field]
	if f == nil {
		return nil, nil
	}
	pre := term
	if prefix > 0 {
		n, i := 0, 0
		for i < len(term) && n < prefix {
			_, size := utf8.DecodeRuneInString(term[i:])
			i += size
			n++
		}
		pre = term[:i]
	} else {
		pre = ""
	}
	want := []rune(term)
	var out []candidate
	var rows [3][]int
	for _, t := range f.prefixRange(pre) {
		rs := []rune(t)
		if abs(len(rs)-len(want)) > fuzziness {
			continue
		}
		d := boundedDistance(want, rs, fuzziness, &rows)
		if d <= fuzziness {
			out = append(out, candidate{t, d})
			if len(out) > MaxClauses {
				return nil, fmt.Errorf("TooManyClauses over field: `%s` [%d > maxClauseCount, which is set to %d]", field, len(out), MaxClauses)
			}
		}
	}
	ix.fuzzy.put(key, out)
	return out, nil
}

// maxFuzzyKeys bounds the fuzzy expansions one index copy remembers:
// visitors can type any number of different misspellings.
const maxFuzzyKeys = 50_000

// fuzzyCache remembers the candidate terms of fuzzy words, up to
// maxFuzzyKeys, and starts afresh when full.
type fuzzyCache struct {
	mu sync.RWMutex
	m  map[fuzzyKey][]candidate
}

func (c *fuzzyCache) get(k fuzzyKey) ([]candidate, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *fuzzyCache) put(k fuzzyKey, v []candidate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxFuzzyKeys {
		c.m = map[fuzzyKey][]candidate{}
	}
	c.m[k] = v
}

func (c *fuzzyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// boundedDistance is the edit distance of a and b counting a swap of two
// adjacent letters as one edit (as Bleve's Levenshtein automaton does), or
// a value above k as soon as it must exceed k.
func boundedDistance(a, b []rune, k int, rows *[3][]int) int {
	if cap(rows[0]) < len(b)+1 {
		for i := range rows {
			rows[i] = make([]int, len(b)+1)
		}
	}
	pp, prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > k {
			return k + 1
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}

// WithinDistance reports whether a and b are at most k edits apart, a swap
// of two adjacent letters counting as one edit — the distance fuzzy
// matching uses, so that highlighting and the lexicon agree with it.
func WithinDistance(a, b string, k int) bool {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > k {
		return false
	}
	var rows [3][]int
	return boundedDistance(ra, rb, k, &rows) <= k
}
