package memindex

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/casebook-project/casebook/indexer/positions"
)

// Fields names what Build copies.
type Fields struct {
	Text     []string // analysed text fields: postings with freq, norm and positions
	Keywords []string // keyword fields with doc values: facet values and filters
	Year     string   // numeric field with doc values: the year
	Date     string   // numeric field with doc values: the date sort key
	Group    string   // keyword field with doc values: the translation group

	// Positions, when set, visits the stored positions of every live
	// document (package positions: one blob per document, with Bleve's
	// internal number and its id). Build reads the positions of a posting
	// from there when the index keeps no term vectors for it.
	Positions func(ctx context.Context, r index.IndexReader, fn func(internal uint64, id string, blob []byte) error) error
}

// Build copies what Fields names from the snapshot r, labelled gen. It
// checks ctx between fields and every few thousand terms.
func Build(ctx context.Context, r index.IndexReader, gen uint64, f Fields) (*Index, error) {
	total, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("memindex: doc count: %w", err)
	}
	b := &builder{ix: &Index{gen: gen, docTotal: total, text: map[string]*textField{}, keywords: map[string]*keyword{}}}
	if err := b.docs(r); err != nil {
		return nil, err
	}
	if err := b.docValues(ctx, r, f); err != nil {
		return nil, err
	}
	if f.Positions != nil {
		if err := b.readPositions(ctx, r, f); err != nil {
			return nil, err
		}
	}
	for _, field := range f.Text {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tf, err := b.textField(ctx, r, field)
		if err != nil {
			return nil, err
		}
		b.ix.text[field] = tf
	}
	return b.ix, nil
}

type builder struct {
	ix      *Index
	dense   []uint32 // Bleve internal number -> document number
	present []bool
	order   []uint64 // document number -> Bleve internal number

	// sections: text field -> by document, the part of its stored
	// positions not read yet (package positions), while Build runs.
	sections map[string][][]byte
}

// readPositions copies the stored positions of every document, field by
// field, for the postings that come without term vectors.
func (b *builder) readPositions(ctx context.Context, r index.IndexReader, f Fields) error {
	b.sections = map[string][][]byte{}
	for _, field := range f.Text {
		b.sections[field] = make([][]byte, b.ix.n)
	}
	err := f.Positions(ctx, r, func(in uint64, id string, blob []byte) error {
		if in >= uint64(len(b.present)) || !b.present[in] {
			return nil
		}
		d := b.dense[in]
		if id != "" && id != b.ix.ids[d] {
			return fmt.Errorf("%w: positions of document %d are %s's, not %s's", ErrUnsupported, in, id, b.ix.ids[d])
		}
		err := positions.Sections(blob, func(field string, body []byte) error {
			if secs, ok := b.sections[field]; ok {
				secs[d] = slices.Clone(body)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrUnsupported, b.ix.ids[d], err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("memindex: stored positions: %w", err)
	}
	return nil
}

// docs numbers the live documents in Bleve's order and reads their ids.
func (b *builder) docs(r index.IndexReader) error {
	it, err := r.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("memindex: doc ids: %w", err)
	}
	defer it.Close()
	for {
		id, err := it.Next()
		if err != nil {
			return fmt.Errorf("memindex: doc ids: %w", err)
		}
		if id == nil {
			break
		}
		b.order = append(b.order, internal(id))
	}
	n := len(b.order)
	ix := b.ix
	ix.n = n
	ix.ids = make([]string, n)
	var maxInternal uint64
	for _, in := range b.order {
		maxInternal = max(maxInternal, in)
	}
	b.dense = make([]uint32, maxInternal+1)
	b.present = make([]bool, maxInternal+1)
	buf := make([]byte, 8)
	for d, in := range b.order {
		b.dense[in] = uint32(d)
		b.present[in] = true
		binary.BigEndian.PutUint64(buf, in)
		ext, err := r.ExternalID(buf)
		if err != nil {
			return fmt.Errorf("memindex: external id: %w", err)
		}
		ix.ids[d] = ext
	}
	byID := make([]uint32, n)
	for i := range byID {
		byID[i] = uint32(i)
	}
	slices.SortFunc(byID, func(a, c uint32) int { return cmpString(ix.ids[a], ix.ids[c]) })
	ix.idRank = make([]uint32, n)
	for rank, d := range byID {
		ix.idRank[d] = uint32(rank)
	}
	return nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func internal(id index.IndexInternalID) uint64 {
	if len(id) != 8 {
		var v uint64
		for _, c := range id {
			v = v<<8 | uint64(c)
		}
		return v
	}
	return binary.BigEndian.Uint64(id)
}

// docValues reads the keyword, year, date and group values of every document.
func (b *builder) docValues(ctx context.Context, r index.IndexReader, f Fields) error {
	ix := b.ix
	n := ix.n
	fields := append(slices.Clone(f.Keywords), f.Year, f.Date, f.Group)
	dv, err := r.DocValueReader(fields)
	if err != nil {
		return fmt.Errorf("memindex: doc values: %w", err)
	}
	raw := map[string][][]string{} // keyword -> per document terms
	for _, k := range f.Keywords {
		raw[k] = make([][]string, n)
	}
	ix.year = make([]int32, n)
	ix.date = make([]int32, n)
	groupOf := make([]string, n)
	buf := make([]byte, 8)
	for d, in := range b.order {
		if d%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		binary.BigEndian.PutUint64(buf, in)
		err := dv.VisitDocValues(buf, func(field string, term []byte) {
			switch field {
			case f.Year, f.Date:
				pc := numeric.PrefixCoded(term)
				if s, err := pc.Shift(); err != nil || s != 0 {
					return
				}
				i64, err := pc.Int64()
				if err != nil {
					return
				}
				v := numeric.Int64ToFloat64(i64)
				if field == f.Year {
					ix.year[d] = clampInt32(v)
				} else {
					ix.date[d] = clampInt32(v)
				}
			case f.Group:
				groupOf[d] = string(term)
			default:
				if terms, ok := raw[field]; ok {
					terms[d] = append(terms[d], string(term))
				}
			}
		})
		if err != nil {
			return fmt.Errorf("memindex: doc values of %s: %w", ix.ids[d], err)
		}
	}
	for _, k := range f.Keywords {
		ix.keywords[k] = newKeyword(raw[k])
	}
	g := newKeyword(wrap(groupOf))
	ix.groupKey = g.values
	ix.members = g.docs
	ix.group = make([]uint32, n)
	for d := range ix.group {
		ix.group[d] = noValue
		if vs := g.valuesOf(uint32(d)); len(vs) > 0 && groupOf[d] != "" {
			ix.group[d] = vs[0]
		}
	}
	return nil
}

func wrap(single []string) [][]string {
	out := make([][]string, len(single))
	for i, s := range single {
		if s != "" {
			out[i] = []string{s}
		}
	}
	return out
}

func clampInt32(v float64) int32 {
	switch {
	case math.IsNaN(v):
		return 0
	case v > math.MaxInt32:
		return math.MaxInt32
	case v < math.MinInt32:
		return math.MinInt32
	}
	return int32(v)
}

// newKeyword numbers the distinct values in sorted order and indexes them
// both ways.
func newKeyword(perDoc [][]string) *keyword {
	k := &keyword{number: map[string]uint32{}}
	for _, terms := range perDoc {
		for _, t := range terms {
			if _, ok := k.number[t]; !ok {
				k.number[t] = 0
				k.values = append(k.values, t)
			}
		}
	}
	slices.Sort(k.values)
	for i, v := range k.values {
		k.number[v] = uint32(i)
	}
	k.docs = make([][]uint32, len(k.values))
	k.off = make([]uint32, len(perDoc)+1)
	for d, terms := range perDoc {
		for _, t := range terms {
			v := k.number[t]
			if l := k.docs[v]; len(l) > 0 && l[len(l)-1] == uint32(d) {
				continue // a repeated value
			}
			k.vals = append(k.vals, v)
			k.docs[v] = append(k.docs[v], uint32(d))
		}
		k.off[d+1] = uint32(len(k.vals))
	}
	if len(k.vals) <= len(perDoc) {
		// At most one value per document (lang, country, network): one
		// array read per document when counting.
		k.single = make([]uint32, len(perDoc))
		for d := range perDoc {
			k.single[d] = noValue
			if k.off[d+1] > k.off[d] {
				k.single[d] = k.vals[k.off[d]]
			}
		}
		for d := range perDoc {
			if k.off[d+1]-k.off[d] > 1 {
				k.single = nil
				break
			}
		}
	}
	return k
}

// textField copies the dictionary and postings of one text field.
func (b *builder) textField(ctx context.Context, r index.IndexReader, field string) (*textField, error) {
	dict, err := r.FieldDict(field)
	if err != nil {
		return nil, fmt.Errorf("memindex: dictionary of %s: %w", field, err)
	}
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, fmt.Errorf("memindex: dictionary of %s: %w", field, err)
		}
		if e == nil {
			break
		}
		terms = append(terms, e.Term)
	}
	dict.Close()
	slices.Sort(terms)
	if secs := b.sections[field]; secs != nil {
		tf, err := b.storedPostings(ctx, r, field, terms, secs)
		if !errors.Is(err, errNoSection) {
			delete(b.sections, field)
			return tf, err
		}
		// A document without stored positions (written before them, in an
		// index that keeps term vectors): read positions from the vectors.
	}
	tf := &textField{terms: make(map[string]*posting, len(terms)), sorted: terms, norm: make([]float32, b.ix.n)}
	var ps []uint16
	for i, term := range terms {
		if i%2048 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := &posting{}
		err := b.eachPosting(ctx, r, field, term, true, p, func(d uint32, got *index.TermFieldDoc) error {
			ps = ps[:0]
			for _, v := range got.Vectors {
				ps = append(ps, uint16(min(v.Pos, math.MaxUint16)))
			}
			if got.Freq != uint64(len(ps)) {
				return fmt.Errorf("%w: %s:%s has frequency %d and %d positions in %s", ErrUnsupported, field, term, got.Freq, len(ps), b.ix.ids[d])
			}
			tf.norm[d] = float32(got.Norm)
			p.add(d, ps)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(p.docs) == 0 {
			continue
		}
		sortPosting(p)
		if cap(p.pos)-len(p.pos) > len(p.pos)/8 { // growth slack
			p.pos = slices.Clone(p.pos)
		}
		if cap(p.docs) > len(p.docs) { // Bleve counted deleted documents
			p.docs = slices.Clone(p.docs)
			p.freq = slices.Clone(p.freq)
		}
		tf.terms[term] = p
	}
	delete(b.sections, field)
	return tf, nil
}

// sortPosting orders a posting by document when Bleve's internal order and
// ours differ (they do not with scorch; this keeps the invariant anyway).
func sortPosting(p *posting) {
	if slices.IsSorted(p.docs) {
		for i := 0; i < len(p.docs); i++ { // positions ascending within a document
			if ps := p.positions(i); !slices.IsSorted(ps) {
				slices.Sort(ps)
			}
		}
		return
	}
	idx := make([]int, len(p.docs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, c int) int { return int(p.docs[a]) - int(p.docs[c]) })
	q := &posting{}
	for _, i := range idx {
		ps := slices.Clone(p.positions(i))
		slices.Sort(ps)
		q.add(p.docs[i], ps)
	}
	*p = *q
}

// eachPosting reads the posting list of term in field (with term vectors
// when vectors is set) and calls fn with each live document's number and
// Bleve's entry, after making room in p for every document Bleve counts.
func (b *builder) eachPosting(ctx context.Context, r index.IndexReader, field, term string, vectors bool, p *posting, fn func(d uint32, got *index.TermFieldDoc) error) error {
	tr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, vectors)
	if err != nil {
		return fmt.Errorf("memindex: postings of %s:%s: %w", field, term, err)
	}
	defer tr.Close()
	cnt := tr.Count()
	p.docs = make([]uint32, 0, cnt)
	p.freq = make([]uint8, 0, cnt)
	var tfd index.TermFieldDoc
	for {
		got, err := tr.Next(tfd.Reset())
		if err != nil {
			return fmt.Errorf("memindex: postings of %s:%s: %w", field, term, err)
		}
		if got == nil {
			return nil
		}
		in := internal(got.ID)
		if in >= uint64(len(b.present)) || !b.present[in] {
			continue
		}
		if err := fn(b.dense[in], got); err != nil {
			return err
		}
	}
}

// errNoSection: a document of a posting has no stored positions.
var errNoSection = errors.New("memindex: a document has no stored positions")

// storedPostings copies the postings of field (its terms ascending) with
// the positions stored by the indexer, secs[d] being document d's section
// of the field. Bleve gives each posting's documents, frequencies and
// norms term by term; the positions are stored document by document, each
// document's terms in ascending order. Reading a document's next term for
// every posting would jump from document to document (a cache miss each),
// so the postings are read first with room for their positions, then
// transposed (for each document, its terms) and the positions filled in
// document order. It returns errNoSection if a document in the postings
// has no section.
func (b *builder) storedPostings(ctx context.Context, r index.IndexReader, field string, terms []string, secs [][]byte) (*textField, error) {
	n := b.ix.n
	tf := &textField{terms: make(map[string]*posting, len(terms)), sorted: terms, norm: make([]float32, n)}
	plist := make([]*posting, 0, len(terms)) // postings in ascending term order
	perDoc := make([]uint32, n+1)            // terms per document, then offsets into docTerms
	for i, term := range terms {
		if i%2048 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := &posting{}
		var npos uint32
		err := b.eachPosting(ctx, r, field, term, false, p, func(d uint32, got *index.TermFieldDoc) error {
			if len(secs[d]) == 0 {
				return errNoSection
			}
			if k := len(p.docs); k > 0 && p.docs[k-1] >= d {
				return fmt.Errorf("%w: %s:%s: documents out of order", ErrUnsupported, field, term)
			}
			if got.Freq == 0 || got.Freq > math.MaxUint16 {
				return fmt.Errorf("%w: %s:%s has frequency %d in %s", ErrUnsupported, field, term, got.Freq, b.ix.ids[d])
			}
			if len(p.docs)%postingBlock == 0 {
				p.blk = append(p.blk, npos)
			}
			if got.Freq >= freqEscape {
				if p.big == nil {
					p.big = map[int32]uint32{}
				}
				p.big[int32(len(p.docs))] = uint32(got.Freq)
				p.freq = append(p.freq, freqEscape)
			} else {
				p.freq = append(p.freq, uint8(got.Freq))
			}
			p.docs = append(p.docs, d)
			npos += uint32(got.Freq)
			tf.norm[d] = float32(got.Norm)
			perDoc[d+1]++
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(p.docs) == 0 {
			continue
		}
		if cap(p.docs) > len(p.docs) { // Bleve counted deleted documents
			p.docs = slices.Clone(p.docs)
			p.freq = slices.Clone(p.freq)
		}
		p.pos = make([]uint16, npos)
		tf.terms[term] = p
		plist = append(plist, p)
	}

	// Transpose: docTerms[perDoc[d]:perDoc[d+1]] are d's postings, by
	// their index in plist (ascending term order).
	for d := range n {
		perDoc[d+1] += perDoc[d]
	}
	docTerms := make([]uint32, perDoc[n])
	fill := slices.Clone(perDoc[:n])
	for t, p := range plist {
		for _, d := range p.docs {
			docTerms[fill[d]] = uint32(t)
			fill[d]++
		}
	}
	fill = nil

	// Fill in the positions, document by document.
	next := make([]uint32, len(plist))    // index in the posting of the next document
	nextPos := make([]uint32, len(plist)) // where its positions go
	var buf []uint32
	for d := range n {
		if d%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		sec := secs[d]
		for _, t := range docTerms[perDoc[d]:perDoc[d+1]] {
			var err error
			buf, sec, err = positions.Next(sec, buf[:0])
			if err != nil {
				return nil, fmt.Errorf("%w: %s of %s: %v", ErrUnsupported, field, b.ix.ids[d], err)
			}
			p := plist[t]
			i := next[t]
			next[t]++
			freq := p.freqOf(int(i))
			if uint32(len(buf)) != freq {
				return nil, fmt.Errorf("%w: %s: a term of %s has frequency %d and %d stored positions", ErrUnsupported, field, b.ix.ids[d], freq, len(buf))
			}
			dst := p.pos[nextPos[t] : nextPos[t]+freq]
			for k, v := range buf {
				dst[k] = uint16(min(v, math.MaxUint16))
			}
			nextPos[t] += freq
		}
		if len(sec) > 0 {
			return nil, fmt.Errorf("%w: %s: stored positions of %s hold terms the index does not", ErrUnsupported, field, b.ix.ids[d])
		}
	}
	return tf, nil
}
