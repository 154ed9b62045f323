package search

import "sync/atomic"

// textWords are the analysed terms of the words of one text (a field of a
// practice the engine keeps), in order, as numbers of one word table. The
// first highlighting of the text records them; later searches showing the
// practice again read them instead of looking each word up in the word
// cache, a memory access that misses the processor's caches for most words
// at 100,000 practices. Each word's first byte is kept too: without phrases
// to match, only the words that are marked are found again in the text (by
// nextWord from their first byte); with phrases, every word is found again
// by a scan of the bytes. The marks are the same either way.
type textWords struct {
	tab    *wordTable // the table the numbers belong to
	codes  []int32    // per word: its only term, noTerms, or multiCode(k): the terms multi[k]
	starts []uint16   // per word: its first byte (highlighted text is at most 64 KiB)
	multi  [][]int32
}

// noTerms is the code of a word without terms (a stop word).
const noTerms = -1

func multiCode(k int) int32  { return int32(-2 - k) }
func multiIndex(c int32) int { return int(-2 - c) }
func (tw *textWords) size() int {
	n := 88 + 4*len(tw.codes) + 2*len(tw.starts)
	for _, m := range tw.multi {
		n += 24 + 4*len(m)
	}
	return n
}

// docWords holds the textWords of a kept practice's title, summary and body
// in its own language, each recorded when first needed.
type docWords struct {
	title, summary, body atomic.Pointer[textWords]
	// grow tells the doc cache the practice now takes n more bytes.
	grow func(n int)
}

// keptWords is where the words of one text of a practice are kept, for
// highlighter.spans; nil when the practice is not kept.
type keptWords struct {
	slot *atomic.Pointer[textWords]
	grow func(n int)
}

// recorder collects the codes of one pass of highlighter.spans.
type recorder struct {
	codes  []int32
	starts []uint16
	multi  [][]int32
}

func (r *recorder) reset() {
	r.codes, r.starts, r.multi = r.codes[:0], r.starts[:0], r.multi[:0]
}

// add records the terms of the next word, which starts at byte start
// (terms is only valid under the table's lock: a word of several terms is
// copied).
func (r *recorder) add(terms []int32, start int) {
	r.starts = append(r.starts, uint16(start))
	switch len(terms) {
	case 0:
		r.codes = append(r.codes, noTerms)
	case 1:
		r.codes = append(r.codes, terms[0])
	default:
		r.codes = append(r.codes, multiCode(len(r.multi)))
		r.multi = append(r.multi, append([]int32(nil), terms...))
	}
}

// keep stores what r recorded for table t in k, in place of old.
func (r *recorder) keep(k *keptWords, old *textWords, t *wordTable) {
	tw := &textWords{tab: t, codes: append([]int32(nil), r.codes...), starts: append([]uint16(nil), r.starts...)}
	if len(r.multi) > 0 {
		tw.multi = append([][]int32(nil), r.multi...)
	}
	if !k.slot.CompareAndSwap(old, tw) || k.grow == nil {
		return
	}
	n := tw.size()
	if old != nil {
		n -= old.size()
	}
	k.grow(n)
}
