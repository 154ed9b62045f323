package search

import (
	"html"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// This file keeps, as the reference for TestHighlightMatchesReference, the
// highlighter as it was before it was made cheaper (session 10, issue 7):
// the code of highlight.go at commit 3c92f8a, with every name prefixed by
// ref, and the render method of hits.go beside it. Do not optimise it.

// Highlights are built from the stored practice, not from Bleve's
// refHighlighter: every word of each field is run through the field's own
// analyzer and every word whose term equals (or, for fuzzy words, is
// within the word's edit distance of) an analyzed query term is marked.
// This needs no stored text fields and no term vectors, and the output is
// written by this file alone: html.EscapeString on every piece of text and
// literal <mark>, </mark> tags around the marked ones.

// refHighlighter marks the positive query terms in texts of one field.
type refHighlighter struct {
	analyzer analysis.Analyzer
	name     string         // the analyzer's name, for the word cache
	terms    map[string]int // analyzed term -> edit distance allowed
	exact    []string       // the keys of terms, compared in turn when they are few
	fuzzy    []refNearTerm  // the terms that allow an edit distance
	phrases  [][]string     // analyzed phrase terms, in order
	memo     map[string]bool
	words    []span     // the words of the text being marked (reused)
	wterms   [][]string // their terms (reused)
}

func refNewHighlighter(m mapping.IndexMapping, field string, pq Query) *refHighlighter {
	if m == nil {
		return nil
	}
	name := m.AnalyzerNameForPath(field)
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil
	}
	h := &refHighlighter{analyzer: a, name: name, terms: map[string]int{}, memo: map[string]bool{}}
	for _, t := range pq.Terms {
		if t.Exclude {
			continue
		}
		toks := a.Analyze([]byte(t.Text))
		if t.Phrase {
			var p []string
			for _, tok := range toks {
				p = append(p, string(tok.Term))
			}
			if len(p) > 0 {
				h.phrases = append(h.phrases, p)
			}
			continue
		}
		fz := fuzziness(t.Text)
		for _, tok := range toks {
			term := string(tok.Term)
			if d, ok := h.terms[term]; !ok || fz > d {
				h.terms[term] = fz
			}
		}
	}
	for term, d := range h.terms {
		h.exact = append(h.exact, term)
		if d > 0 && term != "" {
			h.fuzzy = append(h.fuzzy, refNearTerm{term: term, first: refFirstRune(term), runes: utf8.RuneCountInString(term), dist: d})
		}
	}
	return h
}

// refMaxHighlightBytes bounds the text searched for marks (the refSnippet is
// taken from the start of a longer body).
const refMaxHighlightBytes = 64 << 10

// refWordTok is one analysed term of a word of the text.
type refWordTok struct {
	term       string
	start, end int
}

// spans returns the sorted, non-overlapping byte ranges of text to mark.
//
// The text is split into words (runs of letters, digits and marks) and each
// word is analysed alone, through a cache shared by all searches: running
// the analyzer over whole bodies was most of a search's time. A word the
// analyzer splits (a German compound) is marked when any part matches.
func (h *refHighlighter) spans(text string) []span {
	if h == nil || text == "" {
		return nil
	}
	if len(text) > refMaxHighlightBytes {
		text = text[:refCutBefore(text, refMaxHighlightBytes)]
	}
	words := h.words[:0]
	for start := 0; start < len(text); {
		r, size := utf8.DecodeRuneInString(text[start:])
		if !refIsWordRune(r) {
			start += size
			continue
		}
		end := start + size
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !refIsWordRune(r) {
				break
			}
			end += size
		}
		words = append(words, span{start, end})
		start = end
	}
	terms := refWordTerms.lookup(h.name, h.analyzer, text, words, h.wterms[:0])
	h.words, h.wterms = words, terms
	var out []span
	for i, w := range words {
		for _, term := range terms[i] {
			if h.matches(term) {
				out = append(out, w)
				break
			}
		}
	}
	var toks []refWordTok
	if len(h.phrases) > 0 {
		for i, w := range words {
			for _, term := range terms[i] {
				toks = append(toks, refWordTok{term, w.start, w.end})
			}
		}
	}
	for _, p := range h.phrases {
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
	return refMergeSpans(text, out)
}

func refIsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func (h *refHighlighter) matches(term string) bool {
	if len(h.exact) <= 8 {
		for _, q := range h.exact {
			if q == term {
				return true
			}
		}
	} else if _, ok := h.terms[term]; ok {
		return true
	}
	if len(h.fuzzy) == 0 || term == "" {
		return false
	}
	// A near spelling shares the first letter and differs in length by
	// at most the distance: most words fail these before any look-up.
	first, runes := refFirstRune(term), -1
	near := false
	for _, f := range h.fuzzy {
		if f.first != first {
			continue
		}
		if runes < 0 {
			runes = utf8.RuneCountInString(term)
		}
		if runes >= f.runes-f.dist && runes <= f.runes+f.dist {
			near = true
			break
		}
	}
	if !near {
		return false
	}
	if m, ok := h.memo[term]; ok {
		return m
	}
	m := false
	for _, f := range h.fuzzy {
		if f.first == first && memindex.WithinDistance(f.term, term, f.dist) {
			m = true
			break
		}
	}
	h.memo[term] = m
	return m
}

// mayMatch reports whether document d of the in-memory copy may hold one
// of h's terms (words, their near spellings, phrase words) in field.
func (h *refHighlighter) mayMatch(m *memindex.Index, field string, d uint32) bool {
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

// refNearTerm is a query term whose near spellings are marked too.
type refNearTerm struct {
	term  string
	first rune
	runes int
	dist  int
}

// refWordCache remembers the analysed terms of single words, per analyzer.
// Each analyzer's table holds at most refWordCacheSize words and starts afresh
// when full. A text's words are looked up under one read lock.
type refWordCache struct {
	mu sync.RWMutex
	by map[string]*refAnalyzerWords
}

type refAnalyzerWords struct {
	mu sync.RWMutex
	m  map[string][]string
}

const refWordCacheSize = 200_000

var refWordTerms = &refWordCache{by: map[string]*refAnalyzerWords{}}

func (c *refWordCache) table(name string) *refAnalyzerWords {
	c.mu.RLock()
	t := c.by[name]
	c.mu.RUnlock()
	if t != nil {
		return t
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t = c.by[name]; t == nil {
		t = &refAnalyzerWords{m: map[string][]string{}}
		c.by[name] = t
	}
	return t
}

// lookup appends to out the terms of each word of text (byte ranges).
func (c *refWordCache) lookup(name string, a analysis.Analyzer, text string, words []span, out [][]string) [][]string {
	t := c.table(name)
	var missing []int
	t.mu.RLock()
	for i, w := range words {
		terms, ok := t.m[text[w.start:w.end]]
		if !ok {
			missing = append(missing, i)
		}
		out = append(out, terms)
	}
	t.mu.RUnlock()
	if len(missing) == 0 {
		return out
	}
	for _, i := range missing {
		var terms []string
		for _, tok := range a.Analyze([]byte(text[words[i].start:words[i].end])) {
			terms = append(terms, string(tok.Term))
		}
		out[i] = terms
	}
	t.mu.Lock()
	if len(t.m)+len(missing) > refWordCacheSize {
		t.m = map[string][]string{}
	}
	for _, i := range missing {
		// A copy: the key must not keep the whole practice text alive.
		t.m[strings.Clone(text[words[i].start:words[i].end])] = out[i]
	}
	t.mu.Unlock()
	return out
}

func refFirstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// refMergeSpans sorts spans, drops ones outside text or off rune boundaries,
// and merges overlapping ones.
func refMergeSpans(text string, in []span) []span {
	slices.SortFunc(in, func(a, b span) int { return a.start - b.start })
	var out []span
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
	return out
}

// refMarkAll renders the whole of text with spans marked.
func refMarkAll(text string, spans []span) string {
	return refRender(text, 0, len(text), spans)
}

// refSnippet renders about SnippetLength bytes of text around the densest
// group of spans (the start of text when there is none).
func refSnippet(text string, spans []span) string {
	if len(text) <= SnippetLength {
		return refRender(text, 0, len(text), spans)
	}
	if len(spans) == 0 {
		end := refCutBefore(text, SnippetLength)
		return refRender(text, 0, end, nil) + "…"
	}
	best, bestCount := 0, 0
	for i := range spans {
		seen := map[string]bool{}
		for j := i; j < len(spans) && spans[j].end-spans[i].start <= SnippetLength; j++ {
			seen[strings.ToLower(text[spans[j].start:spans[j].end])] = true
		}
		if len(seen) > bestCount {
			best, bestCount = i, len(seen)
		}
	}
	start := spans[best].start - SnippetLength/5
	if start <= 0 {
		start = 0
	} else {
		start = refCutAfter(text, start)
		if start > spans[best].start {
			start = spans[best].start
		}
	}
	end := start + SnippetLength
	if end >= len(text) {
		end = len(text)
	} else {
		end = refCutBefore(text, end)
		if end <= spans[best].start {
			end = spans[best].end
		}
	}
	out := refRender(text, start, end, spans)
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

// refCutBefore returns a cut point at or before i, at a space when one is near,
// always on a rune boundary.
func refCutBefore(text string, i int) int {
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

// refCutAfter returns a cut point at or after i, just after a space when one
// is near, always on a rune boundary.
func refCutAfter(text string, i int) int {
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

// refRender escapes text[start:end], wrapping the parts inside spans in <mark>
// tags and folding runs of white space into one space.
func refRender(text string, start, end int, spans []span) string {
	var b strings.Builder
	pos := start
	for _, s := range spans {
		if s.end <= pos || s.start >= end {
			continue
		}
		ms, me := max(s.start, pos), min(s.end, end)
		b.WriteString(refEscape(text[pos:ms]))
		b.WriteString("<mark>")
		b.WriteString(refEscape(text[ms:me]))
		b.WriteString("</mark>")
		pos = me
	}
	b.WriteString(refEscape(text[pos:end]))
	return strings.TrimSpace(b.String())
}

// refEscape is html.EscapeString with white space folded.
func refEscape(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		var b strings.Builder
		space := false
		for _, r := range s {
			if unicode.IsSpace(r) {
				if !space {
					b.WriteByte(' ')
				}
				space = true
				continue
			}
			space = false
			b.WriteRune(r)
		}
		s = b.String()
	}
	return html.EscapeString(s)
}

// refHighlights is highlights (hits.go) over the reference highlighter.
type refHighlights struct {
	m     mapping.IndexMapping
	pq    Query
	cache map[string]*refHighlighter
	mem   *memindex.Index
}

func (hs *refHighlights) spans(field, text string, m member) []span {
	if hs.pq.Empty() {
		return nil
	}
	h, ok := hs.cache[field]
	if !ok {
		h = refNewHighlighter(hs.m, field, hs.pq)
		hs.cache[field] = h
	}
	if h == nil || text == "" {
		return nil
	}
	if hs.mem != nil && m.mem && !h.mayMatch(hs.mem, field, m.doc) {
		return nil
	}
	return h.spans(text)
}

func (hs *refHighlights) render(p indexer.Practice, m member) (titleHTML, snippetHTML string) {
	titleHTML = refMarkAll(p.Title, hs.spans(indexer.TextField("title", p.Lang), p.Title, m))

	sumSpans := hs.spans(indexer.TextField("summary", p.Lang), p.Summary, m)
	bodySpans := hs.spans(indexer.TextField("body", p.Lang), p.Body, m)
	switch {
	case refDistinct(p.Body, bodySpans) > refDistinct(p.Summary, sumSpans):
		snippetHTML = refSnippet(p.Body, bodySpans)
	case len(sumSpans) > 0 || p.Summary != "":
		snippetHTML = refSnippet(p.Summary, sumSpans)
	default:
		snippetHTML = refSnippet(p.Body, nil)
	}
	return titleHTML, snippetHTML
}

func refDistinct(text string, spans []span) int {
	seen := map[string]bool{}
	for _, s := range spans {
		seen[text[s.start:s.end]] = true
	}
	return len(seen)
}
