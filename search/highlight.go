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

	"github.com/casebook-project/casebook/search/memindex"
)

// SnippetLength is the approximate length, in bytes of text, of snippet_html.
const SnippetLength = 200

// Highlights are built from the stored practice, not from Bleve's
// highlighter: every word of each field is run through the field's own
// analyzer and every word whose term equals (or, for fuzzy words, is
// within the word's edit distance of) an analyzed query term is marked.
// This needs no stored text fields and no term vectors, and the output is
// written by this file alone: html.EscapeString on every piece of text and
// literal <mark>, </mark> tags around the marked ones.

type span struct{ start, end int }

// highlighter marks the positive query terms in texts of one field.
type highlighter struct {
	analyzer analysis.Analyzer
	name     string         // the analyzer's name, for the word cache
	terms    map[string]int // analyzed term -> edit distance allowed
	phrases  [][]string     // analyzed phrase terms, in order
	memo     map[string]bool
	words    map[string]seenWord // words of the texts seen so far
}

// seenWord is what a highlighter learnt about a word of a text: its terms
// and whether one matches. Words repeat within and across the practices of
// a page; a second sight costs one look-up in a map of the highlighter's
// own.
type seenWord struct {
	terms  []string
	marked bool
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
	h := &highlighter{analyzer: a, name: name, terms: map[string]int{}, memo: map[string]bool{}, words: map[string]seenWord{}}
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
	return h
}

// maxSeenWords bounds the words one highlighter remembers.
const maxSeenWords = 20_000

// maxHighlightBytes bounds the text searched for marks (the snippet is
// taken from the start of a longer body).
const maxHighlightBytes = 64 << 10

// wordTok is one analysed term of a word of the text.
type wordTok struct {
	term       string
	start, end int
}

// spans returns the sorted, non-overlapping byte ranges of text to mark.
//
// The text is split into words (runs of letters, digits and marks) and each
// word is analysed alone, through a cache shared by all searches: running
// the analyzer over whole bodies was most of a search's time. A word the
// analyzer splits (a German compound) is marked when any part matches.
func (h *highlighter) spans(text string) []span {
	if h == nil || text == "" {
		return nil
	}
	if len(text) > maxHighlightBytes {
		text = text[:cutBefore(text, maxHighlightBytes)]
	}
	var toks []wordTok
	var out []span
	for start := 0; start < len(text); {
		r, size := utf8.DecodeRuneInString(text[start:])
		if !isWordRune(r) {
			start += size
			continue
		}
		end := start + size
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !isWordRune(r) {
				break
			}
			end += size
		}
		w, seen := h.words[text[start:end]]
		if !seen {
			w.terms = wordTerms.get(h.name, h.analyzer, text[start:end])
			for _, term := range w.terms {
				if h.matches(term) {
					w.marked = true
					break
				}
			}
			if len(h.words) < maxSeenWords {
				h.words[text[start:end]] = w
			}
		}
		if w.marked {
			out = append(out, span{start, end})
		}
		if len(h.phrases) > 0 {
			for _, term := range w.terms {
				toks = append(toks, wordTok{term, start, end})
			}
		}
		start = end
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
	return mergeSpans(text, out)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func (h *highlighter) matches(term string) bool {
	if _, ok := h.terms[term]; ok {
		return true
	}
	if m, ok := h.memo[term]; ok {
		return m
	}
	m := false
	for q, d := range h.terms {
		if d > 0 && firstRune(q) == firstRune(term) && memindex.WithinDistance(q, term, d) {
			m = true
			break
		}
	}
	h.memo[term] = m
	return m
}

// wordCache remembers the analysed terms of single words per analyzer. It
// holds at most wordCacheSize words and starts afresh when full.
type wordCache struct {
	mu sync.RWMutex
	m  map[wordKey][]string
}

type wordKey struct{ analyzer, word string }

const wordCacheSize = 200_000

var wordTerms = &wordCache{m: map[wordKey][]string{}}

func (c *wordCache) get(name string, a analysis.Analyzer, word string) []string {
	k := wordKey{name, word}
	c.mu.RLock()
	terms, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return terms
	}
	for _, tok := range a.Analyze([]byte(word)) {
		terms = append(terms, string(tok.Term))
	}
	c.mu.Lock()
	if len(c.m) >= wordCacheSize {
		c.m = map[wordKey][]string{}
	}
	c.m[k] = terms
	c.mu.Unlock()
	return terms
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// mergeSpans sorts spans, drops ones outside text or off rune boundaries,
// and merges overlapping ones.
func mergeSpans(text string, in []span) []span {
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
	pos := start
	for _, s := range spans {
		if s.end <= pos || s.start >= end {
			continue
		}
		ms, me := max(s.start, pos), min(s.end, end)
		b.WriteString(escape(text[pos:ms]))
		b.WriteString("<mark>")
		b.WriteString(escape(text[ms:me]))
		b.WriteString("</mark>")
		pos = me
	}
	b.WriteString(escape(text[pos:end]))
	return strings.TrimSpace(b.String())
}

// escape is html.EscapeString with white space folded.
func escape(s string) string {
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
