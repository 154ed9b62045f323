package indexer

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// TokenizerName names the tokenizer of the text analyzers, registered with
// Bleve when this package is loaded. It returns exactly the tokens of
// bleve's "unicode" tokenizer (github.com/blevesearch/segment's UAX#29 word
// boundaries, Unicode 8.0): same terms, offsets, positions and types, for
// any input. It finds the words of text made of the runes of
// European prose itself (ASCII, U+0080–U+036F, U+1E00–U+1EFF,
// U+2000–U+20BF, U+FEFF) and hands any stretch holding another rune to the
// segment package; input that is not valid UTF-8 goes to bleve's tokenizer
// whole. Indexes created before it name "unicode" in their mapping and
// keep using that.
const TokenizerName = "casebook_unicode"

// wbClass is the word-break class of a rune as the segment package's
// grammar (segment_words.rl over ragel/uwb.rl) uses it, for the runes of
// the table. Without Hebrew and Katakana letters, Double_Quote breaks like
// any other rune and Single_Quote like MidNumLet; CR, LF and Newline
// differ from Other only in what may follow them inside a non-word
// segment, which the tokenizer drops.
type wbClass uint8

const (
	wbOther     wbClass = iota
	wbLetter            // ALetter
	wbNumeric           // Numeric
	wbJoin              // ExtendNumLet: "_", "‿"
	wbMidLetter         // MidLetter: ":", "·", "‧"
	wbMidNum            // MidNum: ",", ";", "⁄"
	wbMid               // MidNumLet and Single_Quote: ".", "'", "’"
	wbExtend            // Extend and Format: combining marks, soft hyphen, ZWJ
	wbOut               // not in the table, or not valid UTF-8
)

// latinClass (U+0000–U+037F; the last 16, Greek, are wbOut) and
// punctClass (U+2000–U+20BF) hold the classes of uwb.rl. Tests check every
// rune of the table against the segment package.
var (
	latinClass = makeLatinClass()
	punctClass = makePunctClass()
)

type runeSpan struct {
	lo, hi rune
	c      wbClass
}

func makeLatinClass() [0x380]wbClass {
	var t [0x380]wbClass
	for _, s := range []runeSpan{
		{'0', '9', wbNumeric},
		{'A', 'Z', wbLetter},
		{'a', 'z', wbLetter},
		{'_', '_', wbJoin},
		{':', ':', wbMidLetter},
		{',', ',', wbMidNum},
		{';', ';', wbMidNum},
		{'.', '.', wbMid},
		{'\'', '\'', wbMid},
		{0xAA, 0xAA, wbLetter},    // ª
		{0xAD, 0xAD, wbExtend},    // soft hyphen (Format)
		{0xB5, 0xB5, wbLetter},    // µ
		{0xB7, 0xB7, wbMidLetter}, // middle dot
		{0xBA, 0xBA, wbLetter},    // º
		{0xC0, 0xD6, wbLetter},
		{0xD8, 0xF6, wbLetter},
		{0xF8, 0x2C1, wbLetter}, // Latin Extended-A and -B, IPA, modifier letters
		{0x2C6, 0x2D1, wbLetter},
		{0x2D7, 0x2D7, wbMidLetter}, // modifier letter minus sign
		{0x2E0, 0x2E4, wbLetter},
		{0x2EC, 0x2EC, wbLetter},
		{0x2EE, 0x2EE, wbLetter},
		{0x300, 0x36F, wbExtend}, // combining diacritical marks
		{0x370, 0x37F, wbOut},    // Greek: not in the table
	} {
		for r := s.lo; r <= s.hi; r++ {
			t[r] = s.c
		}
	}
	return t
}

func makePunctClass() [0xC0]wbClass {
	var t [0xC0]wbClass // U+2000 + i; spaces, dashes, quotes, bullets, currency: Other
	for _, s := range []runeSpan{
		{0x200C, 0x200F, wbExtend}, // ZWNJ, ZWJ (Extend); LRM, RLM (Format)
		{0x2018, 0x2019, wbMid},    // ‘ ’
		{0x2024, 0x2024, wbMid},    // one dot leader
		{0x2027, 0x2027, wbMidLetter},
		{0x202A, 0x202E, wbExtend},
		{0x203F, 0x2040, wbJoin},
		{0x2044, 0x2044, wbMidNum}, // fraction slash
		{0x2054, 0x2054, wbJoin},
		{0x2060, 0x2064, wbExtend},
		{0x2066, 0x206F, wbExtend},
		{0x2071, 0x2071, wbLetter}, // superscript i
		{0x2070, 0x2070, wbOut},    // U+2070–U+209F: superscripts and subscripts
		{0x2072, 0x209F, wbOut},
	} {
		for r := s.lo; r <= s.hi; r++ {
			t[r-0x2000] = s.c
		}
	}
	return t
}

// classAt returns the class of the rune at b[i] and its length in bytes; a
// rune outside the table, or invalid UTF-8, is wbOut with length 1.
func classAt(b []byte, i int) (wbClass, int) {
	c0 := b[i]
	if c0 < utf8.RuneSelf {
		return latinClass[c0], 1
	}
	switch {
	case c0 >= 0xC2 && c0 <= 0xCD: // U+0080–U+037F
		if i+1 < len(b) && b[i+1]&0xC0 == 0x80 {
			return latinClass[rune(c0&0x1F)<<6|rune(b[i+1]&0x3F)], 2
		}
	case c0 == 0xE1: // U+1E00–U+1EFF, Latin Extended Additional: ALetter
		if i+2 < len(b) && b[i+1] >= 0xB8 && b[i+1] <= 0xBB && b[i+2]&0xC0 == 0x80 {
			return wbLetter, 3
		}
	case c0 == 0xE2: // U+2000–U+20BF
		if i+2 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x82 && b[i+2]&0xC0 == 0x80 {
			return punctClass[int(b[i+1]&0x3F)<<6|int(b[i+2]&0x3F)], 3
		}
	case c0 == 0xEF: // U+FEFF, byte order mark: Format
		if i+2 < len(b) && b[i+1] == 0xBB && b[i+2] == 0xBF {
			return wbExtend, 3
		}
	}
	return wbOut, 1
}

// wordTokenizer is the tokenizer named TokenizerName.
type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := tokenBuf{stream: make(analysis.TokenStream, 0, len(input)/5+1)}
	valid := false // input is known to be valid UTF-8
	for from := 0; ; {
		out := scanWords(input, from, &toks)
		if out < 0 {
			break
		}
		// A rune outside the table at out. Hand the stretch between the
		// safe boundaries around it to the segment package, and drop the
		// words found in it: one that ended next to out may be longer.
		// The boundaries are safe only in valid UTF-8.
		if !valid {
			if !utf8.Valid(input[out:]) {
				return unicode.NewUnicodeTokenizer().Tokenize(input)
			}
			valid = true
		}
		p0 := out
		for p0 > from && !safeBoundary(input, p0) {
			p0--
		}
		p1 := out + 1
		for !safeBoundary(input, p1) {
			p1++
		}
		for len(toks.stream) > 0 && toks.stream[len(toks.stream)-1].Start >= p0 {
			toks.stream = toks.stream[:len(toks.stream)-1]
		}
		ended := segmentWords(input, p0, p1, &toks)
		if ended || p1 == len(input) {
			break
		}
		from = p1
	}
	return toks.stream
}

// tokenBuf is the token stream being built. Its tokens live in chunks
// sized from the bytes left, about one token per 6.5 bytes of prose.
type tokenBuf struct {
	stream analysis.TokenStream
	chunk  []analysis.Token
}

// add appends a zero token to the stream and returns it; left is the
// number of bytes of input after it.
func (b *tokenBuf) add(left int) *analysis.Token {
	if len(b.chunk) == cap(b.chunk) {
		b.chunk = make([]analysis.Token, 0, left/7+16)
	}
	b.chunk = b.chunk[:len(b.chunk)+1]
	t := &b.chunk[len(b.chunk)-1]
	b.stream = append(b.stream, t)
	return t
}

// safeBoundary reports whether the segment package, run over all of input
// (valid UTF-8), starts a segment at p whatever comes before p, so that
// segmenting input[:p] and input[p:] apart gives the same segments. That
// holds at both ends, after a line feed (no rule continues a segment
// across one), and after a space that precedes an ASCII byte (a space
// segment ends before anything but Extend and Format, none of them ASCII).
func safeBoundary(input []byte, p int) bool {
	if p <= 0 || p >= len(input) {
		return true
	}
	switch input[p-1] {
	case '\n':
		return true
	case ' ':
		return input[p] < utf8.RuneSelf
	}
	return false
}

// scanWords appends the words of input from byte from on to toks, numbering
// them after those in toks, up to the end of input (out -1) or the first
// rune outside the table (at byte out). The words up to the last space or
// line feed before out are those of bleve's unicode tokenizer.
func scanWords(input []byte, from int, toks *tokenBuf) (out int) {
	n := len(input)
	i := from
	for i < n {
		var c wbClass
		var size int
		if b := input[i]; b < utf8.RuneSelf {
			c, size = latinClass[b], 1
		} else {
			c, size = classAt(input, i)
		}
		switch c {
		case wbLetter, wbNumeric, wbJoin:
		case wbOut:
			return i
		default:
			i += size
			continue
		}
		// A word: letters, digits and joiners, each with the Extend and
		// Format runes after it (WB4), a MidLetter, MidNumLet or
		// Single_Quote between two letters (WB6, WB7), a MidNum, MidNumLet
		// or Single_Quote between two digits (WB11, WB12).
		start := i
		letters, digits := false, false
		end := i
	word:
		for {
			switch c {
			case wbLetter:
				letters = true
			case wbNumeric:
				digits = true
			}
			prev := c
			i += size
			for i < n {
				if b := input[i]; b < utf8.RuneSelf {
					c, size = latinClass[b], 1
				} else {
					c, size = classAt(input, i)
				}
				if c != wbExtend {
					break
				}
				i += size
			}
			end = i
			if i >= n {
				break
			}
			switch c {
			case wbLetter, wbNumeric, wbJoin:
				continue
			case wbMid, wbMidLetter, wbMidNum:
				if prev == wbLetter && c == wbMidNum || prev == wbNumeric && c == wbMidLetter || prev == wbJoin {
					break word
				}
				j := i + size
				var c2 wbClass
				var size2 int
				for j < n {
					c2, size2 = classAt(input, j)
					if c2 != wbExtend {
						break
					}
					j += size2
				}
				if j >= n {
					break word
				}
				if c2 != prev {
					break word
				}
				i, c, size = j, c2, size2
			default:
				break word
			}
		}
		t := toks.add(n - end)
		t.Term = input[start:end]
		t.Start, t.End, t.Position = start, end, len(toks.stream)
		if digits && !letters {
			t.Type = analysis.Numeric
		}
		i = end
	}
	return -1
}

// segmentWords appends the words of input[from:to] to toks the way bleve's
// unicode tokenizer makes them from the segment package's segments. It
// reports whether segmentation ended before to (the segmenter stops at
// some invalid UTF-8), after which bleve's tokenizer returns no more words.
func segmentWords(input []byte, from, to int, toks *tokenBuf) (ended bool) {
	seg := segment.NewWordSegmenterDirect(input[from:to])
	start := from
	for seg.Segment() {
		b := seg.Bytes()
		end := start + len(b)
		if typ := seg.Type(); typ != segment.None {
			t := toks.add(len(input) - end)
			t.Term = b
			t.Start, t.End, t.Position = start, end, len(toks.stream)
			t.Type = segmentType(typ)
		}
		start = end
	}
	return start < to
}

// segmentType is bleve's unicode.convertType.
func segmentType(t int) analysis.TokenType {
	switch t {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}

func init() {
	err := registry.RegisterTokenizer(TokenizerName,
		func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
			return wordTokenizer{}, nil
		})
	if err != nil {
		panic(err)
	}
}
