package memindex

import (
	"math"
	"slices"
	"strings"
	"sync"
)

// noValue marks a document without a value in a single-valued keyword.
const noValue = math.MaxUint32

// Index is the in-memory copy of one snapshot. It is read-only once built
// and safe for concurrent use.
type Index struct {
	gen      uint64
	n        int    // documents, numbered 0..n-1 in Bleve's order
	docTotal uint64 // Bleve's DocCount, the N of idf

	ids      []string
	idRank   []uint32 // rank of ids[d] among all ids (sort tie-break)
	date     []int32
	year     []int32
	group    []uint32   // group number (its rank among the keys), noValue when none
	groupKey []string   // by group number, sorted
	members  [][]uint32 // documents of each group

	text     map[string]*textField
	keywords map[string]*keyword

	pool      sync.Pool // *scratch
	groupPool sync.Pool // *groupScratch
	bufPool   sync.Pool // *matchBuf lent by arenas
	fuzzy     fuzzyCache
	parts     partCache // matches of Keyed parts

	spanOnce       sync.Once
	yearLo, yearHi int32
	yearBitsOnce   sync.Once
	noYear         []uint32 // documents of year 0 (unknown), made with yearVBits
	yearVBits      *valueBits
	setPool        setPool // bit sets of facet counting
}

// Generation is the index generation the copy was built from.
func (ix *Index) Generation() uint64 { return ix.gen }

// Len is the number of documents.
func (ix *Index) Len() int { return ix.n }

// ID returns the external id of document d.
func (ix *Index) ID(d uint32) string { return ix.ids[d] }

// Date returns the date sort key of document d.
func (ix *Index) Date(d uint32) int32 { return ix.date[d] }

// Year returns the year of document d (0 when unknown).
func (ix *Index) Year(d uint32) int32 { return ix.year[d] }

// textField is the term dictionary and postings of one analysed field.
type textField struct {
	terms  map[string]*posting
	sorted []string  // every term, sorted (prefix and fuzzy expansion)
	norm   []float32 // by document: Bleve's norm of the field, 1/sqrt(its length)
}

// posting lists the documents holding a term and its positions in each.
// The number of positions is the term's frequency in the document.
//
// Most terms occur once in a field, so a frequency takes a byte and the
// start of a document's positions is found from the start of its block of
// postingBlock documents plus the frequencies before it in the block.
type posting struct {
	docs []uint32         // ascending
	freq []uint8          // positions of docs[i]; freqEscape: in big
	big  map[int32]uint32 // frequencies of freqEscape and more, by i (nil almost always)
	blk  []uint32         // blk[b]: index in pos of the first position of docs[b*postingBlock]
	pos  []uint16         // 1-based, as Bleve counts them; longer fields saturate
}

const (
	postingBlock = 64
	freqEscape   = math.MaxUint8
)

// add appends document d with its positions ps.
func (p *posting) add(d uint32, ps []uint16) {
	if len(p.docs)%postingBlock == 0 {
		p.blk = append(p.blk, uint32(len(p.pos)))
	}
	if len(ps) >= freqEscape {
		if p.big == nil {
			p.big = map[int32]uint32{}
		}
		p.big[int32(len(p.docs))] = uint32(len(ps))
		p.freq = append(p.freq, freqEscape)
	} else {
		p.freq = append(p.freq, uint8(len(ps)))
	}
	p.docs = append(p.docs, d)
	p.pos = append(p.pos, ps...)
}

// freqOf is the frequency of the term in docs[i].
func (p *posting) freqOf(i int) uint32 {
	if f := p.freq[i]; f != freqEscape {
		return uint32(f)
	}
	return p.big[int32(i)]
}

// positions returns the positions of the term in docs[i].
func (p *posting) positions(i int) []uint16 {
	off := p.blk[i/postingBlock]
	for j := i &^ (postingBlock - 1); j < i; j++ {
		off += p.freqOf(j)
	}
	return p.pos[off : off+p.freqOf(i)]
}

// weight is the per-document part of the term's score, sqrt(freq) × norm,
// rounded to float32 as Bleve's scorer sees the stored norm.
func (p *posting) weight(i int, norm []float32) float32 {
	freq := p.freqOf(i)
	var sq float64
	if freq < uint32(len(sqrtTable)) {
		sq = sqrtTable[freq]
	} else {
		sq = math.Sqrt(float64(freq))
	}
	return float32(sq * float64(norm[p.docs[i]]))
}

var sqrtTable = func() (t [64]float64) {
	for i := range t {
		t[i] = math.Sqrt(float64(i))
	}
	return t
}()

// keyword is one keyword field: its values, each document's values and each
// value's documents.
type keyword struct {
	values []string          // value number -> term, sorted
	number map[string]uint32 // term -> value number
	off    []uint32          // values of document d: vals[off[d]:off[d+1]]
	vals   []uint32
	docs   [][]uint32 // value number -> ascending documents
	single []uint32   // when no document has two values: its value (noValue: none); else nil

	bitsOnce sync.Once
	vbits    *valueBits
}

// Values returns the value numbers of document d.
func (k *keyword) valuesOf(d uint32) []uint32 { return k.vals[k.off[d]:k.off[d+1]] }

// MayHold reports whether document d may hold term in a text field: false
// only when the copy has the field and d does not hold the term in it.
func (ix *Index) MayHold(field, term string, d uint32) bool {
	f := ix.text[field]
	if f == nil {
		return true
	}
	p := f.terms[term]
	if p == nil {
		return false
	}
	_, found := slices.BinarySearch(p.docs, d)
	return found
}

// MayHoldNear reports whether document d may hold, in a text field, a term
// within edit distance dist of term that shares its first letter (the
// candidates of Bleve's fuzzy search with prefix 1): false only when the
// copy has the field, can list the candidates, and d holds none of them.
func (ix *Index) MayHoldNear(field, term string, dist int, d uint32) bool {
	if ix.text[field] == nil {
		return true
	}
	cands, err := ix.fuzzyCandidates(field, term, dist, 1)
	if err != nil {
		return true // too many to list
	}
	for _, c := range cands {
		if ix.MayHold(field, c.term, d) {
			return true
		}
	}
	return false
}

// prefixRange returns the sorted terms starting with prefix.
func (f *textField) prefixRange(prefix string) []string {
	lo, _ := slices.BinarySearch(f.sorted, prefix)
	hi := lo
	for hi < len(f.sorted) && strings.HasPrefix(f.sorted[hi], prefix) {
		hi++
	}
	return f.sorted[lo:hi]
}
