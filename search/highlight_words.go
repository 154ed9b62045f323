package search

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The words of a text and their analysed terms, for the highlighter.
//
// A text is split into words (runs of letters, digits and marks) in one
// pass over its bytes, hashing each word. Each word is looked up by that
// hash in the analyzer's table of the word cache, which gives its terms as
// term numbers: the highlighter compares numbers, and knows each term's
// first letter and length without decoding it again.

// word is one word of a text: its byte range and its key, which is the
// word's bytes themselves for a word of up to 8 bytes (no word holds a zero
// byte, so the key is never 0), else a hash of them (never 0 either).
type word struct {
	start, end int
	key        uint64
}

// shortWord is the longest word whose key is its bytes.
const shortWord = 8

// wordKey returns the key of text[start:end].
func wordKey(text string, start, end int) uint64 {
	n := end - start
	if n > shortWord {
		return max(maphash.String(wordSeed, text[start:end]), 1)
	}
	if start+shortWord <= len(text) {
		v := binary.LittleEndian.Uint64([]byte(text[start : start+shortWord]))
		return v & (^uint64(0) >> (64 - 8*n))
	}
	var v uint64
	for i := end - 1; i >= start; i-- {
		v = v<<8 | uint64(text[i])
	}
	return v
}

var wordSeed = maphash.MakeSeed()

// byteClass classes the bytes of UTF-8 text: part of no word (ASCII),
// part of a word (ASCII letters and digits), or the start of a multi-byte
// rune or invalid, to decode.
var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = classDecode
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			t[c] = classWord
		}
	}
	return t
}()

const (
	classNone = iota
	classWord
	classDecode
)

// nextWord returns the first word of text at or after byte i, or start ==
// end == len(text) when there is none.
func nextWord(text string, i int) (start, end int) {
	for i < len(text) {
		cl := byteClass[text[i]]
		if cl == classWord {
			break
		}
		if cl == classNone {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			break
		}
		i += size
	}
	start = i
	for i < len(text) {
		cl := byteClass[text[i]]
		if cl == classWord {
			i++
			continue
		}
		if cl == classNone {
			break
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			break
		}
		i += size
	}
	return start, i
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return byteClass[r] == classWord
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordCache remembers the analysed terms of single words, per analyzer.
// Each analyzer's table holds at most wordCacheSize words; a full table is
// replaced by an empty one (a highlighter still using the old one finishes
// its text with it).
type wordCache struct {
	mu sync.RWMutex
	by map[string]*wordTable
}

var wordCacheSize = 200_000

var wordTerms = &wordCache{by: map[string]*wordTable{}}

// table returns the current table of analyzer name.
func (c *wordCache) table(name string) *wordTable {
	c.mu.RLock()
	t := c.by[name]
	c.mu.RUnlock()
	if t != nil {
		return t
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t = c.by[name]; t == nil {
		t = newWordTable()
		c.by[name] = t
	}
	return t
}

// retire replaces t, when it is still name's table, by an empty one.
func (c *wordCache) retire(name string, t *wordTable) {
	c.mu.Lock()
	if c.by[name] == t {
		c.by[name] = newWordTable()
	}
	c.mu.Unlock()
}

// wordTable is the cache of one analyzer: words and their terms, and the
// terms by number. Words and terms are only ever added.
type wordTable struct {
	mu     sync.RWMutex
	short  wordIndex        // key of a word of up to 8 bytes -> its number
	byHash wordIndex        // key (hash) of a longer word -> its number
	spill  map[string]int32 // longer words whose hash an earlier word has
	words  []tableWord
	byTerm map[string]int32 // term -> its number
	terms  []termInfo
	near   []uint32 // by term: nearKey of terms[i], 4 bytes where a termInfo takes 32
}

// nearKey packs what fuzzy matching compares first — a term's first rune
// and its length in runes (capped) — into one number: a search reads it
// for every distinct word of a page from an array eight times denser than
// the terms (0 for the empty term, whose first rune is 0).
func nearKey(ti termInfo) uint32 {
	if ti.term == "" {
		return 0
	}
	return uint32(ti.first)<<nearRuneBits | uint32(min(ti.runes, nearMaxRunes))
}

const (
	nearRuneBits = 11
	nearMaxRunes = 1<<nearRuneBits - 1
)

type tableWord struct {
	text  string
	terms []int32
}

// termInfo is one term of a table, with what fuzzy matching looks at first.
type termInfo struct {
	term  string
	first rune // firstRune(term)
	runes int  // utf8.RuneCountInString(term)
}

func newWordTable() *wordTable {
	return &wordTable{byTerm: map[string]int32{}}
}

// find returns the terms of w, whose key is k. t.mu is held.
func (t *wordTable) find(k uint64, w string) ([]int32, bool) {
	if len(w) <= shortWord {
		s := t.short.slot(k)
		if s == nil {
			return nil, false
		}
		return t.termsOf(s), true
	}
	if s := t.byHash.slot(k); s != nil && t.words[s.word].text == w {
		return t.termsOf(s), true
	}
	if t.spill != nil {
		if i, ok := t.spill[w]; ok {
			return t.words[i].terms, true
		}
	}
	return nil, false
}

// termsOf returns the terms of the word of slot s: held in the slot itself
// for most words (a look-up then reads one cache line, not three). The
// slice is valid while t.mu is held.
func (t *wordTable) termsOf(s *wordSlot) []int32 {
	if s.n >= 0 {
		return s.inline[:s.n]
	}
	return t.words[s.word].terms
}

// termNumbers returns the numbers of terms, adding the new ones.
func (t *wordTable) termNumbers(terms []string) []int32 {
	out := make([]int32, len(terms))
	t.mu.RLock()
	missing := false
	for i, term := range terms {
		n, ok := t.byTerm[term]
		if !ok {
			missing = true
			break
		}
		out[i] = n
	}
	t.mu.RUnlock()
	if !missing {
		return out
	}
	t.mu.Lock()
	for i, term := range terms {
		out[i] = t.term(term)
	}
	t.mu.Unlock()
	return out
}

// term returns the number of term, adding it when new. t.mu is held for
// writing.
func (t *wordTable) term(term string) int32 {
	if n, ok := t.byTerm[term]; ok {
		return n
	}
	n := int32(len(t.terms))
	ti := termInfo{term: term, first: firstRune(term), runes: utf8.RuneCountInString(term)}
	t.terms = append(t.terms, ti)
	t.near = append(t.near, nearKey(ti))
	t.byTerm[term] = n
	return n
}

// add analyses the words missing of text and adds them to t. It reports
// whether t is full.
func (t *wordTable) add(a analysis.Analyzer, text string, missing []word) (full bool) {
	analysed := make(map[string][]string, len(missing))
	for _, w := range missing {
		s := text[w.start:w.end]
		if _, ok := analysed[s]; ok {
			continue
		}
		var ts []string
		for _, tok := range a.Analyze([]byte(s)) {
			ts = append(ts, string(tok.Term))
		}
		analysed[s] = ts
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, w := range missing {
		s := text[w.start:w.end]
		if _, ok := t.find(w.key, s); ok {
			continue
		}
		var ts []int32
		for _, term := range analysed[s] {
			ts = append(ts, t.term(term))
		}
		n := int32(len(t.words))
		// A copy: the key must not keep the whole practice text alive.
		t.words = append(t.words, tableWord{text: strings.Clone(s), terms: ts})
		if len(s) <= shortWord {
			t.short.put(w.key, n, ts)
		} else if t.byHash.slot(w.key) == nil {
			t.byHash.put(w.key, n, ts)
		} else {
			if t.spill == nil {
				t.spill = map[string]int32{}
			}
			t.spill[t.words[n].text] = n
		}
	}
	return len(t.words) >= wordCacheSize
}

// wordIndex maps keys (never 0) to word numbers: open addressing with
// linear probing, at most half full. It is read under the table's read
// lock and changed under its write lock.
type wordIndex struct {
	slots []wordSlot // a power of two of them, or none
	shift uint       // 64 - log2(len(slots))
	n     int
}

// wordSlot is one key of a wordIndex with its word's number and, when the
// word has at most len(inline) terms (nearly all do), the terms themselves.
type wordSlot struct {
	key    uint64 // 0: empty
	word   int32
	n      int32 // terms in inline; -1: more, read them from the word
	inline [2]int32
}

// slot returns the slot of key, nil when x does not hold it.
func (x *wordIndex) slot(key uint64) *wordSlot {
	if len(x.slots) == 0 {
		return nil
	}
	mask := uint64(len(x.slots) - 1)
	for i := (key * 0x9e3779b97f4a7c15) >> x.shift; ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.key == key {
			return s
		}
		if s.key == 0 {
			return nil
		}
	}
}

// put adds key, which x does not hold, for word and its terms.
func (x *wordIndex) put(key uint64, word int32, terms []int32) {
	if 2*(x.n+1) > len(x.slots) {
		old := x.slots
		size := max(1024, 2*len(old))
		x.slots = make([]wordSlot, size)
		x.shift = uint(64 - bits.TrailingZeros(uint(size)))
		for _, s := range old {
			if s.key != 0 {
				x.insert(s)
			}
		}
	}
	s := wordSlot{key: key, word: word, n: -1}
	if len(terms) <= len(s.inline) {
		s.n = int32(copy(s.inline[:], terms))
	}
	x.insert(s)
	x.n++
}

func (x *wordIndex) insert(s wordSlot) {
	mask := uint64(len(x.slots) - 1)
	i := (s.key * 0x9e3779b97f4a7c15) >> x.shift
	for x.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = s
}

// queryTerms caches the analysed terms of the visitor's words and phrases,
// per analyzer: a search builds a highlighter for each text field of its
// hits' languages, and each analyses the same words.
var queryTerms = struct {
	sync.Mutex
	m map[[2]string][]string
}{m: map[[2]string][]string{}}

const queryTermsSize = 10_000

// analyseQuery returns the terms of text under analyzer a named name. The
// slice is shared: do not change it.
func analyseQuery(name string, a analysis.Analyzer, text string) []string {
	key := [2]string{name, text}
	queryTerms.Lock()
	terms, ok := queryTerms.m[key]
	queryTerms.Unlock()
	if ok {
		return terms
	}
	for _, tok := range a.Analyze([]byte(text)) {
		terms = append(terms, string(tok.Term))
	}
	queryTerms.Lock()
	if len(queryTerms.m) >= queryTermsSize {
		clear(queryTerms.m)
	}
	queryTerms.m[key] = terms
	queryTerms.Unlock()
	return terms
}
