package indexer

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// German compound splitting. The casebook_de analyzer runs bleve's
// dictionary compound filter ("dict_compound") over the word list in
// data/de_compound_words.txt: every listed word found inside a German word
// of DecompoundMinWord or more letters becomes an extra token at that
// word's position, next to the whole word, so "Nachbarschaftsheim" is
// indexed as nachbarschaftsheim, nachbarschaft, nachbar, heim and a search
// for "Nachbarschaft" finds it. Linking elements need nothing: the filter
// tries every substring, so "Arbeitsmarkt" yields arbeit and markt.
//
// Two filters of this package tidy the result: subwordFilter turns the
// compound filter's character offsets into byte offsets (highlighting cuts
// the text at them) and drops the parts that only overlap an opaque word
// ("spiel" in "Beispiel"); dedupeFilter, at the end of the pipeline, drops
// a token equal to another at the same position ("kurse" and its part
// "kurs" both stem to "kurs"), so a listed word does not count twice.
//
// The splitting itself is compoundFilter (compound.go), which gives
// exactly the tokens of bleve's dict_compound filter, faster. Indexes
// created before it name dict_compound in their mapping and keep using it.
//
// The word list, the opaque words and the sizes are written into the
// index mapping (a custom token map and two custom token filters), which
// Bleve saves with the index: an index reopened by a later build whose
// list has changed still analyses queries with the list it was built with.

// Names of the custom token map and filters the German analyzer uses.
const (
	DecompoundWordsName  = "casebook_de_words"    // token map: the word list
	DecompoundFilterName = "casebook_de_compound" // bleve dict_compound over DecompoundWordsName
	SubwordFilterName    = "casebook_de_subwords" // offsets and opaque words
	// SubwordFilterType is the registered type of SubwordFilterName.
	SubwordFilterType = "casebook_subwords"
	// DedupeFilterName drops repeated terms at one position.
	DedupeFilterName = "casebook_dedupe_position"
)

// Sizes of the compound filter, in letters. A part shorter than
// DecompoundMinSubword is never split off: three-letter words (rat, amt,
// bau, hof, ort) sit inside too many unrelated words (Integration,
// insgesamt, Hoffnung, Sport); the list holds none.
const (
	DecompoundMinWord    = 5
	DecompoundMinSubword = 4
)

//go:embed data/de_compound_words.txt
var deCompoundWords string

// compoundLists returns the parts and the opaque words of the embedded
// list, each once, in file order.
func compoundLists() (parts, opaque []string, err error) {
	return parseCompoundList(deCompoundWords)
}

// parseCompoundList reads a word list: whitespace-separated lower-case
// words, "#" to the end of a line a comment, "!word" an opaque word.
func parseCompoundList(text string) (parts, opaque []string, err error) {
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			key := w
			w = strings.TrimPrefix(w, "!")
			if w != strings.ToLower(w) {
				return nil, nil, fmt.Errorf("compound list line %d: %q is not lower case", n+1, w)
			}
			if utf8.RuneCountInString(w) < DecompoundMinSubword {
				return nil, nil, fmt.Errorf("compound list line %d: %q is shorter than %d letters", n+1, w, DecompoundMinSubword)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			if key == w {
				parts = append(parts, w)
			} else {
				opaque = append(opaque, w)
			}
		}
	}
	return parts, opaque, nil
}

// addDecompound defines the word list and the filters of German compound
// splitting on im; the analyzers that use them are defined after.
func addDecompound(im *mapping.IndexMappingImpl) error {
	parts, opaque, err := compoundLists()
	if err != nil {
		return err
	}
	maxLen := 0
	for _, w := range parts {
		maxLen = max(maxLen, utf8.RuneCountInString(w))
	}
	err = im.AddCustomTokenMap(DecompoundWordsName, map[string]interface{}{
		"type":   tokenmap.Name,
		"tokens": toInterfaces(parts),
	})
	if err != nil {
		return fmt.Errorf("token map %s: %w", DecompoundWordsName, err)
	}
	// Numbers as float64: that is how the filter's constructor reads them
	// (and how they come back from the saved JSON mapping).
	err = im.AddCustomTokenFilter(DecompoundFilterName, map[string]interface{}{
		"type":               compoundFilterType,
		"dict_token_map":     DecompoundWordsName,
		"min_word_size":      float64(DecompoundMinWord),
		"min_subword_size":   float64(DecompoundMinSubword),
		"max_subword_size":   float64(maxLen),
		"only_longest_match": false,
	})
	if err != nil {
		return fmt.Errorf("token filter %s: %w", DecompoundFilterName, err)
	}
	err = im.AddCustomTokenFilter(SubwordFilterName, map[string]interface{}{
		"type":   SubwordFilterType,
		"opaque": toInterfaces(opaque),
	})
	if err != nil {
		return fmt.Errorf("token filter %s: %w", SubwordFilterName, err)
	}
	return nil
}

func toInterfaces(ss []string) []interface{} {
	out := make([]interface{}, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// subwordFilter follows the dictionary compound filter. That filter puts
// each part right after its word, at the word's position, with offsets
// counted in characters from the word's start; this filter recounts them
// in bytes and drops a part that overlaps an occurrence of an opaque word
// in the word without covering it.
type subwordFilter struct {
	opaque []string
	occ    *wordCache[[][2]int] // occurrences per word
}

func (f subwordFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	var word *analysis.Token
	var offs []int   // byte offset of each rune of word.Term, then len(word.Term)
	var occ [][2]int // byte spans of opaque words in word.Term
	for _, tok := range input {
		if word == nil || tok.Position != word.Position {
			word, offs, occ = tok, nil, nil
			out = append(out, tok)
			continue
		}
		if offs == nil {
			offs = runeOffsets(word.Term)
			if f.occ != nil {
				occ = f.occ.get(word.Term, f.occurrencesOf)
			} else {
				occ = f.occurrences(string(word.Term))
			}
		}
		i := tok.Start - word.Start // characters, as the compound filter counts
		if i < 0 || i >= len(offs) {
			continue
		}
		b := offs[i]
		e := b + len(tok.Term)
		if f.overlapsOpaque(occ, b, e) || !compoundRest(string(word.Term[:b]), string(word.Term[e:])) {
			continue
		}
		tok.Start = min(word.Start+b, word.End)
		tok.End = min(word.Start+e, word.End)
		out = append(out, tok)
	}
	return out
}

// runeOffsets returns, for each rune i of term, the length of the UTF-8
// encoding of runes [0, i) (each invalid byte counting as U+FFFD, three
// bytes, as a []rune conversion makes it), and that length for all runes.
func runeOffsets(term []byte) []int {
	offs := make([]int, 0, len(term)+1)
	n := 0
	for i := 0; i < len(term); {
		r, size := utf8.DecodeRune(term[i:])
		offs = append(offs, n)
		n += utf8.RuneLen(r)
		i += size
	}
	return append(offs, n)
}

func (f subwordFilter) occurrencesOf(term []byte) [][2]int {
	return f.occurrences(string(term))
}

func (f subwordFilter) occurrences(term string) [][2]int {
	var occ [][2]int
	for _, o := range f.opaque {
		for from := 0; from < len(term); {
			j := strings.Index(term[from:], o)
			if j < 0 {
				break
			}
			occ = append(occ, [2]int{from + j, from + j + len(o)})
			from += j + 1
		}
	}
	return occ
}

func (f subwordFilter) overlapsOpaque(occ [][2]int, b, e int) bool {
	for _, o := range occ {
		overlaps := b < o[1] && o[0] < e
		covers := b <= o[0] && e >= o[1]
		if overlaps && !covers {
			return true
		}
	}
	return false
}

// compoundRest tells whether a part, with left before it and right after
// it in its word, is a part of a compound rather than the stem of an
// inflected or derived word: one side must hold three or more letters that
// are not just a prefix (be-, ver-, ein-, ...) or an ending (-en, -ung,
// -erinnen, -lich, ...). So "Wohnungsbau" yields "wohn" but "Wohnungen",
// "Bewohner" and "wohnen" do not, and "Einbürgerung" does not yield
// "bürger": a search for "Wohnen" or "Bürger" is not widened to them.
func compoundRest(left, right string) bool {
	if utf8.RuneCountInString(left) >= 3 && !germanPrefixes[left] {
		return true
	}
	return utf8.RuneCountInString(right) >= 3 && !germanEndings[right]
}

var germanPrefixes = setOf("ver", "ent", "zer", "ein", "aus", "auf", "mit", "vor", "nach", "über", "unter",
	"miss", "wieder", "gegen", "zusammen", "beein", "ange", "ausge", "einge", "aufge", "vorge", "verge", "unbe", "unge")

var germanEndings = setOf("ern", "ers", "ens", "erin", "erinnen", "innen", "ung", "ungen", "ungs", "nen",
	"end", "ende", "enden", "ender", "endes", "lich", "liche", "lichen", "licher", "liches", "ige", "igen",
	"iger", "iges", "isch", "ische", "ischen", "ischer", "isches", "ten", "tet", "tete", "teten", "chen",
	"lein", "bar", "bare", "baren", "heit", "heiten", "keit", "keiten", "erung", "erungen", "ert", "erte",
	"erten", "ler", "lern", "nis", "nisse", "est", "ste", "sten", "ter", "tes")

func setOf(ss ...string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// dedupeFilter drops a token whose term equals that of an earlier token at
// the same position.
type dedupeFilter struct{}

func (dedupeFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	pos := -1
	var terms []string
	for _, tok := range input {
		if tok.Position != pos {
			pos, terms = tok.Position, terms[:0]
		}
		dup := false
		for _, t := range terms {
			if t == string(tok.Term) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		terms = append(terms, string(tok.Term))
		out = append(out, tok)
	}
	return out
}

func init() {
	err := registry.RegisterTokenFilter(SubwordFilterType,
		func(config map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
			f := subwordFilter{occ: newWordCache[[][2]int]()}
			raw, _ := config["opaque"].([]interface{})
			for _, v := range raw {
				s, ok := v.(string)
				if !ok {
					return nil, fmt.Errorf("%s: opaque word %v is not a string", SubwordFilterType, v)
				}
				f.opaque = append(f.opaque, s)
			}
			return f, nil
		})
	if err != nil {
		panic(err)
	}
	err = registry.RegisterTokenFilter(DedupeFilterName,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return dedupeFilter{}, nil
		})
	if err != nil {
		panic(err)
	}
}
