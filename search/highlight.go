package search

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/casebook-project/casebook/search/memindex"
)

// SnippetLength is the approximate length, in bytes of text, of snippet_html.
const SnippetLength = 200

// Highlights are built from the stored practice, not from Bleve's
// highlighter: every word of each field is run through the field's own
// analyzer and every word whose term equals (or, for fuzzy words, is
// within the word's edit distance of) an analyzed query term is marked.
// This needs no stored text fields and no term vectors, and the output is
// written by this file alone: every piece of text escaped as
// html.EscapeString does (escapeTo) and literal <mark>, </mark> tags around
// the marked ones. highlight_ref_test.go keeps the slower first version of
// this file, which the output must still equal byte for byte.

type span struct{ start, end int }

// highlighter marks the positive query terms in texts of one field.
type highlighter struct {
	analyzer analysis.Analyzer
	name     string         // the analyzer's name, for the word cache
	terms    map[string]int // analyzed term -> edit distance allowed
	exact    []string       // the keys of terms
	fuzzy    []nearTerm     // the terms that allow an edit distance
	phrases  [][]string     // analyzed phrase terms, in order

	// The terms above as numbers of the word cache's table tab (bind).
	tab        *wordTable
	exactNums  []int32            // compared in turn when they are few
	exactSet   map[int32]struct{} // else looked up
	phraseNums [][]int32
	// known holds, by term number of tab, whether a term not among the
	// exact ones is marked (0: not known yet, 1: no, 2: yes): a word's
	// term is judged once per search, and the look-up reads this small
	// array instead of the table's term (mostly a cache miss).
	known []uint8

	// verdicts remembers whether words seen in earlier texts of this
	// search are marked (words only: not kept for phrase queries, which
	// need each word's terms).
	verdicts *wordVerdicts
}

func newHighlighter(m mapping.IndexMapping, field string, pq Query) *highlighter {
	if m == nil {
		return nil
	}
	name := m.AnalyzerNameForPath(field)
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil
	}
	h := &highlighter{analyzer: a, name: name, terms: map[string]int{}}
	for _, t := range pq.Terms {
		if t.Exclude {
			continue
		}
		terms := analyseQuery(name, a, t.Text)
		if t.Phrase {
			if len(terms) > 0 {
				h.phrases = append(h.phrases, terms)
			}
			continue
		}
		fz := fuzziness(t.Text)
		for _, term := range terms {
			if d, ok := h.terms[term]; !ok || fz > d {
				h.terms[term] = fz
			}
		}
	}
	for term, d := range h.terms {
		h.exact = append(h.exact, term)
		if d > 0 && term != "" {
			h.fuzzy = append(h.fuzzy, nearTerm{term: term, first: firstRune(term), runes: utf8.RuneCountInString(term), dist: d})
		}
	}
	return h
}

// bind numbers h's terms in t.
func (h *highlighter) bind(t *wordTable) {
	h.tab = t
	h.exactNums = t.termNumbers(h.exact)
	h.exactSet = nil
	if len(h.exactNums) > 8 {
		h.exactSet = make(map[int32]struct{}, len(h.exactNums))
		for _, n := range h.exactNums {
			h.exactSet[n] = struct{}{}
		}
	}
	h.phraseNums = h.phraseNums[:0]
	for _, p := range h.phrases {
		h.phraseNums = append(h.phraseNums, t.termNumbers(p))
	}
	h.known = h.known[:0]
}

// maxHighlightBytes bounds the text searched for marks (the snippet is
// taken from the start of a longer body).
const maxHighlightBytes = 64 << 10

// wordTok is one analysed term of a word of the text.
type wordTok struct {
	term       int32
	start, end int
}

// spans returns the sorted, non-overlapping byte ranges of text to mark.
//
// The text is split into words (runs of letters, digits and marks) and each
// word is analysed alone, through a cache shared by all searches: running
// the analyzer over whole bodies was most of a search's time. A word the
// analyzer splits (a German compound) is marked when any part matches.
func (h *highlighter) spans(text string) []span {
	return h.spansKept(text, nil)
}

// spansKept is spans for a text whose words' terms are, or will be, kept in
// kw (nil: not kept).
func (h *highlighter) spansKept(text string, kw *keptWords) []span {
	if h == nil || text == "" {
		return nil
	}
	if len(text) > maxHighlightBytes {
		text = text[:cutBefore(text, maxHighlightBytes)]
	}
	t := wordTerms.table(h.name)
	if t != h.tab {
		h.bind(t)
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	phrases := len(h.phraseNums) > 0
	var out []span
	var rec *recorder // records the words' terms to keep in kw
	var old *textWords
	if kw != nil {
		old = kw.slot.Load()
		if old != nil && old.tab == t {
			var ok bool
			if out, ok = h.markKept(text, t, old, sc); ok {
				return h.finish(text, out, sc)
			}
		}
		rec = &sc.rec // none kept yet, or for a table since replaced
	}
	var memo *wordVerdicts
	if !phrases && rec == nil {
		if h.verdicts == nil {
			h.verdicts = verdictPool.Get().(*wordVerdicts)
		}
		memo = h.verdicts
	}
	// One pass over the words looks each up and marks it. Words not in
	// the cache are analysed and added after it, and the pass runs again.
	for {
		out, sc.toks, sc.missing = out[:0], sc.toks[:0], sc.missing[:0]
		if rec != nil {
			rec.reset()
		}
		t.mu.RLock()
		for i := 0; ; {
			start, end := nextWord(text, i)
			if start == end {
				break
			}
			i = end
			key := wordKey(text, start, end)
			if memo != nil {
				if hit, ok := memo.get(key, text[start:end]); ok {
					if hit {
						out = append(out, span{start, end})
					}
					continue
				}
			}
			terms, ok := t.find(key, text[start:end])
			if !ok {
				sc.missing = append(sc.missing, word{start, end, key})
				continue
			}
			if rec != nil {
				rec.add(terms, start)
			}
			var hit bool
			out, hit = h.markWord(t, terms, start, end, out, sc)
			if memo != nil {
				memo.put(key, text[start:end], hit)
			}
		}
		t.mu.RUnlock()
		if len(sc.missing) == 0 {
			break
		}
		if t.add(h.analyzer, text, sc.missing) {
			wordTerms.retire(h.name, t)
		}
	}
	if rec != nil {
		rec.keep(kw, old, t)
	}
	return h.finish(text, out, sc)
}

// markKept marks the words of text from their kept terms tw (numbers of
// t), collecting the terms in sc.toks for phrases. It reports false when tw
// does not hold one code per word of text.
func (h *highlighter) markKept(text string, t *wordTable, tw *textWords, sc *scratch) ([]span, bool) {
	if len(h.phraseNums) == 0 && len(tw.starts) == len(tw.codes) {
		return h.markKeptStarts(text, t, tw)
	}
	var out []span
	sc.toks = sc.toks[:0]
	var one [1]int32
	k := 0
	t.mu.RLock()
	defer t.mu.RUnlock()
	for i := 0; ; {
		start, end := nextWord(text, i)
		if start == end {
			break
		}
		i = end
		if k == len(tw.codes) {
			return nil, false
		}
		c := tw.codes[k]
		k++
		var terms []int32
		switch {
		case c >= 0:
			one[0] = c
			terms = one[:]
		case c == noTerms:
			continue
		default:
			m := multiIndex(c)
			if m >= len(tw.multi) {
				return nil, false
			}
			terms = tw.multi[m]
		}
		out, _ = h.markWord(t, terms, start, end, out, sc)
	}
	return out, k == len(tw.codes)
}

// markKeptStarts is markKept without phrases: the words are judged by
// their kept terms, and only a marked word is found again in text, from
// its kept first byte. It reports false when a kept first byte does not
// start a word of text.
func (h *highlighter) markKeptStarts(text string, t *wordTable, tw *textWords) ([]span, bool) {
	var out []span
	t.mu.RLock()
	defer t.mu.RUnlock()
	for k, c := range tw.codes {
		hit := false
		switch {
		case c >= 0:
			hit = h.matches(t, c)
		case c == noTerms:
		default:
			m := multiIndex(c)
			if m >= len(tw.multi) {
				return nil, false
			}
			for _, term := range tw.multi[m] {
				if h.matches(t, term) {
					hit = true
					break
				}
			}
		}
		if !hit {
			continue
		}
		at := int(tw.starts[k])
		start, end := nextWord(text, at)
		if start != at || start == end {
			return nil, false
		}
		out = append(out, span{start, end})
	}
	return out, true
}

// markWord appends the word text[start:end] to out when one of its terms
// (numbers of t) matches, and its terms to sc.toks when h has phrases.
// t.mu is held.
func (h *highlighter) markWord(t *wordTable, terms []int32, start, end int, out []span, sc *scratch) ([]span, bool) {
	hit := false
	for _, term := range terms {
		if h.matches(t, term) {
			out = append(out, span{start, end})
			hit = true
			break
		}
	}
	if len(h.phraseNums) > 0 {
		for _, term := range terms {
			sc.toks = append(sc.toks, wordTok{term, start, end})
		}
	}
	return out, hit
}

// finish adds the phrases' spans to out and merges them.
func (h *highlighter) finish(text string, out []span, sc *scratch) []span {
	phrases := len(h.phraseNums) > 0
	if phrases {
		toks := sc.toks
		for _, p := range h.phraseNums {
			for i := 0; i+len(p) <= len(toks); i++ {
				ok := true
				for j, term := range p {
					if toks[i+j].term != term {
						ok = false
						break
					}
				}
				if ok {
					out = append(out, span{toks[i].start, toks[i+len(p)-1].end})
				}
			}
		}
	}
	return mergeSpans(text, out)
}

// wordVerdicts remembers, for the texts of one search, whether a word is
// marked: most words of a page come back many times (articles, the
// practice's own subject), and a look-up in this small table stays in the
// processor's cache where the word cache's does not. It is direct-mapped:
// a word takes the slot of its key, pushing out the word there.
type wordVerdicts struct {
	keys [verdictSlots]uint64 // 0: empty
	long [verdictSlots]string // the word, when longer than shortWord (its key is a hash)
	hit  [verdictSlots]bool
}

const (
	verdictBits  = 10
	verdictSlots = 1 << verdictBits
)

var verdictPool = sync.Pool{New: func() any { return new(wordVerdicts) }}

func verdictSlot(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> (64 - verdictBits) }

// get returns the verdict of word w, whose key is key, when known.
func (v *wordVerdicts) get(key uint64, w string) (hit, ok bool) {
	i := verdictSlot(key)
	if v.keys[i] != key || (len(w) > shortWord && v.long[i] != w) {
		return false, false
	}
	return v.hit[i], true
}

func (v *wordVerdicts) put(key uint64, w string, hit bool) {
	i := verdictSlot(key)
	v.keys[i], v.hit[i] = key, hit
	if len(w) > shortWord {
		v.long[i] = w
	} else {
		v.long[i] = ""
	}
}

// release gives h's verdicts back for another search.
func (h *highlighter) release() {
	if h == nil || h.verdicts == nil {
		return
	}
	v := h.verdicts
	h.verdicts = nil
	clear(v.keys[:])
	clear(v.long[:]) // drop the references to the texts
	verdictPool.Put(v)
}

// scratch holds the buffers of one call of spans.
type scratch struct {
	missing []word    // the words not in the cache
	toks    []wordTok // the terms of the words in order, for phrases
	rec     recorder  // the terms of the words, to keep
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// matches reports whether term (a number of t) is one of h's terms or
// near enough one that allows an edit distance. t.mu is held.
func (h *highlighter) matches(t *wordTable, term int32) bool {
	if h.exactSet == nil {
		for _, q := range h.exactNums {
			if q == term {
				return true
			}
		}
	} else if _, ok := h.exactSet[term]; ok {
		return true
	}
	if len(h.fuzzy) == 0 {
		return false
	}
	if int(term) < len(h.known) {
		if v := h.known[term]; v != 0 {
			return v == 2
		}
	} else {
		n := len(h.known)
		h.known = slices.Grow(h.known, len(t.terms)-n)[:len(t.terms)]
		clear(h.known[n:])
	}
	m := h.nearMatch(t, term)
	h.known[term] = 1
	if m {
		h.known[term] = 2
	}
	return m
}

// nearMatch reports whether term (a number of t) is near enough one of h's
// fuzzy terms. t.mu is held.
func (h *highlighter) nearMatch(t *wordTable, term int32) bool {
	k := t.near[term]
	if k == 0 {
		return false // the empty term
	}
	// A near spelling shares the first letter and differs in length by
	// at most the distance: most words fail these before the distance.
	first, runes := rune(k>>nearRuneBits), int(k&nearMaxRunes)
	for _, f := range h.fuzzy {
		if f.first == first && runes >= f.runes-f.dist && (runes <= f.runes+f.dist || runes == nearMaxRunes) &&
			withinDistance(f.term, t.terms[term].term, f.dist) {
			return true
		}
	}
	return false
}

// mayMatch reports whether document d of the in-memory copy may hold one
// of h's terms (words, their near spellings, phrase words) in field.
func (h *highlighter) mayMatch(m *memindex.Index, field string, d uint32) bool {
	for _, t := range h.exact {
		if m.MayHold(field, t, d) {
			return true
		}
	}
	for _, f := range h.fuzzy {
		if m.MayHoldNear(field, f.term, f.dist, d) {
			return true
		}
	}
	for _, p := range h.phrases {
		for _, t := range p {
			if m.MayHold(field, t, d) {
				return true
			}
		}
	}
	return false
}

// nearTerm is a query term whose near spellings are marked too.
type nearTerm struct {
	term  string
	first rune
	runes int
	dist  int
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// mergeSpans sorts spans, drops ones outside text or off rune boundaries,
// and merges overlapping ones.
func mergeSpans(text string, in []span) []span {
	slices.SortFunc(in, func(a, b span) int { return a.start - b.start })
	out := in[:0] // written behind the reading
	for _, s := range in {
		if s.start < 0 || s.end > len(text) || s.start >= s.end ||
			!utf8.RuneStart(text[s.start]) || (s.end < len(text) && !utf8.RuneStart(text[s.end])) {
			continue
		}
		if n := len(out); n > 0 && s.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// markAll renders the whole of text with spans marked.
func markAll(text string, spans []span) string {
	return render(text, 0, len(text), spans)
}

// snippet renders about SnippetLength bytes of text around the densest
// group of spans (the start of text when there is none).
func snippet(text string, spans []span) string {
	if len(text) <= SnippetLength {
		return render(text, 0, len(text), spans)
	}
	if len(spans) == 0 {
		end := cutBefore(text, SnippetLength)
		return render(text, 0, end, nil) + "…"
	}
	best := densest(text, spans)
	start := spans[best].start - SnippetLength/5
	if start <= 0 {
		start = 0
	} else {
		start = cutAfter(text, start)
		if start > spans[best].start {
			start = spans[best].start
		}
	}
	end := start + SnippetLength
	if end >= len(text) {
		end = len(text)
	} else {
		end = cutBefore(text, end)
		if end <= spans[best].start {
			end = spans[best].end
		}
	}
	out := render(text, start, end, spans)
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

// densest returns the first i at which the spans that end within
// SnippetLength bytes of spans[i].start hold the most distinct words, case
// aside. spans are sorted and do not overlap, so those spans are
// spans[i:j] with j never decreasing as i grows: each span enters and
// leaves the window once.
func densest(text string, spans []span) int {
	ids := make([]int32, len(spans)) // the distinct lower-cased words, numbered
	num := make(map[string]int32, len(spans))
	for k, s := range spans {
		low := strings.ToLower(text[s.start:s.end])
		n, ok := num[low]
		if !ok {
			n = int32(len(num))
			num[low] = n
		}
		ids[k] = n
	}
	count := make([]int32, len(num))
	best, bestCount, distinct := 0, 0, 0
	j := 0 // count holds spans[i:j]
	for i := range spans {
		j = max(j, i)
		for ; j < len(spans) && spans[j].end-spans[i].start <= SnippetLength; j++ {
			if count[ids[j]] == 0 {
				distinct++
			}
			count[ids[j]]++
		}
		if distinct > bestCount {
			best, bestCount = i, distinct
		}
		if i < j {
			if count[ids[i]]--; count[ids[i]] == 0 {
				distinct--
			}
		}
	}
	return best
}

// cutBefore returns a cut point at or before i, at a space when one is near,
// always on a rune boundary.
func cutBefore(text string, i int) int {
	if i >= len(text) {
		return len(text)
	}
	for j := i; j > i-30 && j > 0; j-- {
		if text[j] == ' ' || text[j] == '\n' {
			return j
		}
	}
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	return i
}

// cutAfter returns a cut point at or after i, just after a space when one
// is near, always on a rune boundary.
func cutAfter(text string, i int) int {
	for j := i; j < i+30 && j < len(text); j++ {
		if text[j] == ' ' || text[j] == '\n' {
			return j + 1
		}
	}
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	return i
}

// render escapes text[start:end], wrapping the parts inside spans in <mark>
// tags and folding runs of white space into one space.
func render(text string, start, end int, spans []span) string {
	var b strings.Builder
	b.Grow(end - start + 32)
	pos := start
	for _, s := range spans {
		if s.end <= pos || s.start >= end {
			continue
		}
		ms, me := max(s.start, pos), min(s.end, end)
		escapeTo(&b, text[pos:ms])
		b.WriteString("<mark>")
		escapeTo(&b, text[ms:me])
		b.WriteString("</mark>")
		pos = me
	}
	escapeTo(&b, text[pos:end])
	return strings.TrimSpace(b.String())
}

// escapeTo writes s to b as html.EscapeString does, and, when s holds white
// space, with each run of white space folded into one space and each byte
// of invalid UTF-8 written as U+FFFD (the pieces of text are folded one by
// one, as they always were).
func escapeTo(b *strings.Builder, s string) {
	if !hasSpace(s) {
		last := 0
		for i := 0; i < len(s); i++ {
			if e := htmlEntity[s[i]]; e != "" {
				b.WriteString(s[last:i])
				b.WriteString(e)
				last = i + 1
			}
		}
		b.WriteString(s[last:])
		return
	}
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				if !space {
					b.WriteByte(' ')
				}
				space = true
				continue
			}
			space = false
			if e := htmlEntity[c]; e != "" {
				b.WriteString(e)
			} else {
				b.WriteByte(c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
		} else {
			space = false
			if r == utf8.RuneError && size == 1 {
				b.WriteString("\uFFFD")
			} else {
				b.WriteString(s[i : i+size])
			}
		}
		i += size
	}
}

// hasSpace reports whether s holds a rune for which unicode.IsSpace is true.
func hasSpace(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return true
		}
		i += size
	}
	return false
}

// htmlEntity is what html.EscapeString writes for each byte it replaces.
var htmlEntity = [256]string{'&': "&amp;", '\'': "&#39;", '<': "&lt;", '>': "&gt;", '"': "&#34;"}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
