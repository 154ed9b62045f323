package memindex

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ErrUnsupported is returned for a query this package cannot evaluate the
// way Bleve would; the caller then asks Bleve.
var ErrUnsupported = errors.New("memindex: query not supported")

// MaxClauses bounds the terms one fuzzy or prefix clause expands to, as
// Bleve's DisjunctionMaxClauseCount does; beyond it Eval fails with an
// error whose text contains "TooManyClauses", like Bleve's.
var MaxClauses = 1024

// Eval returns the documents q matches with Bleve's scores (without the
// query norm, a constant factor for one query). Text is analysed with m.
func (ix *Index) Eval(ctx context.Context, q query.Query, m mapping.IndexMapping) (Matches, error) {
	return ix.eval(ctx, nil, q, m)
}

func (ix *Index) eval(ctx context.Context, a *Arena, q query.Query, m mapping.IndexMapping) (Matches, error) {
	e := &evaluator{ix: ix, ctx: ctx, m: m, arena: a}
	out, err := e.eval(q)
	if err != nil {
		return Matches{}, err
	}
	out.materialise()
	return out, nil
}

type evaluator struct {
	ix      *Index
	ctx     context.Context
	m       mapping.IndexMapping
	ops     int
	arena   *Arena // lends result buffers; nil: allocate
	inKeyed int    // depth of Keyed parts being evaluated: their matches are kept, never lent
}

// ownMatches returns empty matches with room for n, owning their buffers.
func (e *evaluator) ownMatches(n int) Matches {
	if b := e.lend(n); b != nil {
		return Matches{docs: b.docs[:0], scores: b.scores[:0], own: true, buf: b}
	}
	return Matches{docs: make([]uint32, 0, n), scores: make([]float64, 0, n), own: true}
}

// lend returns an arena buffer for up to n matches, or nil when the
// matches must be allocated (no arena, or a part the index keeps).
func (e *evaluator) lend(n int) *matchBuf {
	if e.inKeyed > 0 {
		return nil
	}
	return e.arena.lend(n)
}

func (e *evaluator) check() error {
	e.ops++
	if e.ops%16 == 0 {
		return e.ctx.Err()
	}
	return nil
}

func (e *evaluator) eval(q query.Query) (Matches, error) {
	if err := e.check(); err != nil {
		return Matches{}, err
	}
	switch q := q.(type) {
	case Keyed:
		return e.keyed(q)
	case *Keyed:
		return e.keyed(*q)
	case *query.BooleanQuery:
		return e.boolean(q)
	case *query.ConjunctionQuery:
		children, err := e.all(q.Conjuncts)
		if err != nil {
			return Matches{}, err
		}
		return e.intersect(children), nil
	case *query.DisjunctionQuery:
		children, err := e.all(q.Disjuncts)
		if err != nil {
			return Matches{}, err
		}
		return e.union(children, int(q.Min)), nil
	case *query.TermQuery:
		return e.term(q.FieldVal, q.Term, q.BoostVal.Value()), nil
	case *query.MatchQuery:
		return e.match(q)
	case *query.MatchPhraseQuery:
		tokens := e.analyze(q.FieldVal, q.Analyzer, q.MatchPhrase)
		if len(tokens) == 0 {
			return Matches{}, nil
		}
		if q.Fuzziness != 0 {
			return Matches{}, ErrUnsupported
		}
		return e.phrase(q.FieldVal, tokenPhrase(tokens), q.BoostVal.Value()), nil
	case *query.PhraseQuery:
		if q.Fuzziness != 0 {
			return Matches{}, ErrUnsupported
		}
		slots := make([][]string, len(q.Terms))
		for i, t := range q.Terms {
			slots[i] = []string{t}
		}
		return e.phrase(q.FieldVal, slots, q.BoostVal.Value()), nil
	case *query.NumericRangeQuery:
		return e.numericRange(q)
	case *query.MatchAllQuery:
		m := Matches{docs: make([]uint32, e.ix.n), scores: make([]float64, e.ix.n)}
		b := q.BoostVal.Value()
		for i := range m.docs {
			m.docs[i] = uint32(i)
			m.scores[i] = b
		}
		return m, nil
	case *query.MatchNoneQuery:
		return Matches{}, nil
	}
	return Matches{}, fmt.Errorf("%w: %T", ErrUnsupported, q)
}

func (e *evaluator) all(qs []query.Query) ([]Matches, error) {
	out := make([]Matches, len(qs))
	for i, q := range qs {
		m, err := e.eval(q)
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// boolean follows Bleve's boolean searcher: the must clauses are required,
// should clauses add their (coordinated) score and are required only when
// there is no must clause, must-not clauses exclude.
func (e *evaluator) boolean(q *query.BooleanQuery) (Matches, error) {
	var must, should, not *Matches
	var shouldMin int
	if q.Must != nil {
		m, err := e.eval(q.Must)
		if err != nil {
			return Matches{}, err
		}
		must = &m
	}
	if d, ok := q.Should.(*query.DisjunctionQuery); ok && must != nil && int(d.Min) == 0 {
		// Optional words beside required ones (the interface language,
		// words side by side): added without building their union when
		// one holds most of them with one score. (With a minimum, the
		// should clauses are required: intersected below.)
		kids, err := e.all(d.Disjuncts)
		if err != nil {
			return Matches{}, err
		}
		out := e.addDisjunction(*must, kids)
		if q.MustNot != nil {
			not, err := e.eval(q.MustNot)
			if err != nil {
				return Matches{}, err
			}
			out = subtract(out, not)
		}
		return out, nil
	}
	if q.Should != nil {
		m, err := e.eval(q.Should)
		if err != nil {
			return Matches{}, err
		}
		should = &m
		if d, ok := q.Should.(*query.DisjunctionQuery); ok {
			shouldMin = int(d.Min)
		}
	}
	if q.MustNot != nil {
		m, err := e.eval(q.MustNot)
		if err != nil {
			return Matches{}, err
		}
		not = &m
	}
	var out Matches
	switch {
	case must != nil && should != nil:
		if shouldMin > 0 {
			out = e.intersect([]Matches{*must, *should})
		} else {
			out = e.addOptional(*must, *should)
		}
	case must != nil:
		out = *must
	case should != nil:
		out = *should
	default:
		m, _ := e.eval(query.NewMatchAllQuery())
		out = m
	}
	if not != nil {
		out = subtract(out, *not)
	}
	return out, nil
}

// addOptional adds the score of opt to the documents of m that it matches.
// m's own scores are updated in place when nothing else shares them.
func (e *evaluator) addOptional(m, opt Matches) Matches {
	if opt.Len() == 0 {
		return m
	}
	defer e.arena.recycle(opt) // added in: its buffer can serve the rest of the search
	if len(opt.docs) < len(m.docs)/4 {
		// A few optional matches (the words side by side): look each up.
		out := e.owned(m)
		od := out.docs
		i := 0
		for j, d := range opt.docs {
			i = gallop(od, i, d)
			if i == len(od) {
				break
			}
			if od[i] == d {
				out.scores[i] += opt.Score(j)
			}
		}
		return out
	}
	if opt.uniform != nil {
		// One score for all (the interface language, a keyword): added
		// where the document's bit is set, without a branch (adding 0
		// leaves a score as it is), while copying m if it is shared.
		return e.addUniform(m, opt.Score(0), opt.uniform)
	}
	// Many: spread them over a dense array and add without comparing
	// positions, while copying m if it is shared.
	sc := e.scratch()
	defer e.release(sc)
	acc := sc.acc
	switch {
	case opt.s32 != nil: // a kept part, as the interface language is
		f := opt.factor
		for j, d := range opt.docs {
			acc[d] = float64(opt.s32[j]) * f
		}
	case opt.scores != nil:
		for j, d := range opt.docs {
			acc[d] = opt.scores[j]
		}
	default:
		for j, d := range opt.docs {
			acc[d] = opt.Score(j)
		}
	}
	out := m
	if m.own {
		for i, d := range m.docs {
			out.scores[i] += acc[d]
		}
	} else {
		out = e.ownMatches(len(m.docs))
		out.docs = append(out.docs, m.docs...)
		out.scores = m.appendScores(out.scores)
		for i, d := range m.docs {
			out.scores[i] += acc[d]
		}
	}
	for _, d := range opt.docs {
		acc[d] = 0
	}
	return out
}

// addDisjunction adds to m the score of the union of kids (min 1), as
// addOptional(m, union(kids, 1)) does. When one child holds most of the
// matches with one score (the interface language) and the others few (the
// words side by side), that score is added through its bit set and the
// few documents of the others are summed alone.
func (e *evaluator) addDisjunction(m Matches, kids []Matches) Matches {
	total := len(kids)
	nonEmpty, big, size := nonEmptyKids(kids)
	if len(nonEmpty) < 2 || nonEmpty[big].uniform == nil || !skewed(nonEmpty, big, size) || m.Len() == 0 {
		return e.addOptional(m, e.union(kids, 1))
	}
	b := nonEmpty[big]
	coord := func(c int) float64 { return float64(c) / float64(total) }
	// The documents of m the others match: their sums as union sums them.
	type fix struct {
		i int
		v float64
	}
	var fixes []fix
	at := make([]int, len(nonEmpty))
	i := 0
	for _, d := range fewDocs(nonEmpty, big) {
		if i = gallop(m.docs, i, d); i == len(m.docs) {
			break
		}
		if m.docs[i] != d {
			continue
		}
		sum, cnt := sumAt(nonEmpty, at, d)
		fixes = append(fixes, fix{i, m.Score(i) + sum*coord(cnt)})
	}
	out := e.addUniform(m, b.Score(0)*coord(1), b.uniform)
	for _, f := range fixes {
		out.scores[f.i] = f.v
	}
	for _, c := range nonEmpty {
		e.arena.recycle(c)
	}
	return out
}

// addUniform adds score to the documents of m in set.
func (e *evaluator) addUniform(m Matches, score float64, set Set) Matches {
	add := [2]float64{0, score} // by the document's bit
	bit := func(d uint32) uint64 { return set[d>>6] >> (d & 63) & 1 }
	if m.own {
		scores := m.scores[:len(m.docs)]
		for i, d := range m.docs {
			scores[i] += add[bit(d)]
		}
		return m
	}
	out := e.ownMatches(len(m.docs))
	out.docs = append(out.docs, m.docs...)
	switch {
	case m.s32 != nil && m.scores == nil:
		f := m.factor
		s32 := m.s32[:len(m.docs)]
		for i, d := range m.docs {
			out.scores = append(out.scores, float64(s32[i])*f+add[bit(d)])
		}
	default:
		out.scores = m.appendScores(out.scores)
		scores := out.scores[:len(m.docs)]
		for i, d := range m.docs {
			scores[i] += add[bit(d)]
		}
	}
	return out
}

// owned returns m with docs and scores of its own, copied if shared.
func (e *evaluator) owned(m Matches) Matches {
	if m.own {
		return m
	}
	out := e.ownMatches(len(m.docs))
	out.docs = append(out.docs, m.docs...)
	out.scores = m.appendScores(out.scores)
	return out
}

// idf is Bleve's TF-IDF inverse document frequency.
func (e *evaluator) idf(df int) float64 {
	return 1 + math.Log(float64(e.ix.docTotal)/float64(df+1))
}

// term matches one term of one field.
func (e *evaluator) term(field, term string, boost float64) Matches {
	f := e.ix.text[field]
	if f == nil {
		return e.keywordTerm(field, term, boost)
	}
	p := f.terms[term]
	if p == nil {
		return Matches{}
	}
	idf := e.idf(len(p.docs))
	return Matches{docs: p.docs, post: p, norm: f.norm, factor: idf * idf * boost}
}

// keywordTerm matches a keyword value. A keyword term has frequency 1 in
// Bleve and the norm 1/sqrt(number of values the document has in the
// field), so a document's score is idf² × boost × norm.
func (e *evaluator) keywordTerm(field, term string, boost float64) Matches {
	k := e.ix.keywords[field]
	if k == nil {
		return Matches{}
	}
	v, ok := k.number[term]
	if !ok {
		return Matches{}
	}
	docs := k.docs[v]
	idf := e.idf(len(docs))
	s := make([]float64, len(docs))
	for i, d := range docs {
		s[i] = idf * idf * boost / math.Sqrt(float64(max(1, k.off[d+1]-k.off[d])))
	}
	return Matches{docs: docs, scores: s}
}

// match analyses the text with the field's analyzer and matches any token
// (Bleve's MatchQuery with the OR operator).
func (e *evaluator) match(q *query.MatchQuery) (Matches, error) {
	if q.Operator != query.MatchQueryOperatorOr {
		return Matches{}, ErrUnsupported
	}
	tokens := e.analyze(q.FieldVal, q.Analyzer, q.Match)
	if len(tokens) == 0 {
		return Matches{}, nil
	}
	boost := q.BoostVal.Value()
	children := make([]Matches, len(tokens))
	for i, t := range tokens {
		if q.Fuzziness > 0 {
			m, err := e.fuzzy(q.FieldVal, t.term, q.Fuzziness, q.Prefix, boost)
			if err != nil {
				return Matches{}, err
			}
			children[i] = m
			continue
		}
		children[i] = e.term(q.FieldVal, t.term, boost)
	}
	return e.union(children, 1), nil
}

type token struct {
	term string
	pos  int
}

func (e *evaluator) analyze(field, analyzer, text string) []token {
	name := analyzer
	if name == "" {
		name = e.m.AnalyzerNameForPath(field)
	}
	a := e.m.AnalyzerNamed(name)
	if a == nil {
		return nil
	}
	ts := a.Analyze([]byte(text))
	out := make([]token, len(ts))
	for i, t := range ts {
		out[i] = token{term: string(t.Term), pos: t.Position}
	}
	return out
}

// tokenPhrase lays tokens out by position, as Bleve's MatchPhraseQuery
// does: one slot per position from the first to the last, empty slots for
// removed words, several terms in a slot for words at one position.
func tokenPhrase(tokens []token) [][]string {
	first, last := math.MaxInt, 0
	for _, t := range tokens {
		first, last = min(first, t.pos), max(last, t.pos)
	}
	if last < first {
		return nil
	}
	out := make([][]string, last-first+1)
	for _, t := range tokens {
		out[t.pos-first] = append(out[t.pos-first], t.term)
	}
	return out
}

// numericRange supports what search builds: a year filter with boost 0.
func (e *evaluator) numericRange(q *query.NumericRangeQuery) (Matches, error) {
	if q.FieldVal != "year" || q.BoostVal.Value() != 0 {
		return Matches{}, ErrUnsupported
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	incLo, incHi := true, false
	if q.InclusiveMin != nil {
		incLo = *q.InclusiveMin
	}
	if q.InclusiveMax != nil {
		incHi = *q.InclusiveMax
	}
	if q.Min != nil {
		lo = *q.Min
	}
	if q.Max != nil {
		hi = *q.Max
	}
	out := Matches{}
	for d, y := range e.ix.year {
		v := float64(y)
		if v < lo || v > hi || (v == lo && !incLo) || (v == hi && !incHi) {
			continue
		}
		out.docs = append(out.docs, uint32(d))
		out.scores = append(out.scores, 0)
	}
	return out, nil
}
