package indexer

import (
	"fmt"
	"hash/maphash"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/compound"
	"github.com/blevesearch/bleve/v2/registry"
)

// compoundFilterType is the registered type of DecompoundFilterName in
// indexes created by this version: bleve's dictionary compound filter
// ("dict_compound", same configuration keys, same tokens), made cheaper.
// bleve's filter converts every substring of every long word from runes to
// a new string before looking it up; this one looks up byte slices of the
// word without allocating and remembers the parts found per word, since a
// few thousand words make up most German text.
const compoundFilterType = "casebook_dict_compound"

// compoundCacheSize bounds how many words a wordCache remembers.
const compoundCacheSize = 1 << 16

// compoundShards is the number of independently locked parts of a
// wordCache.
const compoundShards = 16

// compoundFilter splits words of minWord or more runes into the words of
// dict they contain, each minSub to maxSub runes long. Like bleve's
// DictionaryCompoundFilter, every part follows its word with the word's
// position and offsets counted in runes from the word's start.
type compoundFilter struct {
	dict             analysis.TokenMap
	minWord, minSub  int
	maxSub           int
	onlyLongestMatch bool
	slow             *compound.DictionaryCompoundFilter // for words that are not valid UTF-8
	cache            *wordCache[[]compoundPart]
}

// compoundPart is a part of a word: runes [start, end) of the word, bytes
// [from, to).
type compoundPart struct {
	start, end int
	from, to   int
}

// wordCache remembers a value per word for the filters of this package,
// safe for concurrent use and bounded: a shard that fills up is emptied
// and starts again.
type wordCache[V any] struct {
	seed   maphash.Seed
	shards [compoundShards]struct {
		mu sync.Mutex
		m  map[string]V
	}
}

func newWordCache[V any]() *wordCache[V] {
	c := &wordCache[V]{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = map[string]V{}
	}
	return c
}

// get returns the value remembered for word, or compute(word), which it
// then remembers. Values are shared: callers must not change them.
func (c *wordCache[V]) get(word []byte, compute func([]byte) V) V {
	sh := &c.shards[maphash.Bytes(c.seed, word)%compoundShards]
	sh.mu.Lock()
	v, ok := sh.m[string(word)]
	sh.mu.Unlock()
	if ok {
		return v
	}
	v = compute(word)
	sh.mu.Lock()
	if len(sh.m) >= compoundCacheSize/compoundShards {
		clear(sh.m)
	}
	sh.m[string(word)] = v
	sh.mu.Unlock()
	return v
}

func newCompoundFilter(dict analysis.TokenMap, minWord, minSub, maxSub int, onlyLongestMatch bool) *compoundFilter {
	f := &compoundFilter{
		dict:             dict,
		minWord:          minWord,
		minSub:           minSub,
		maxSub:           maxSub,
		onlyLongestMatch: onlyLongestMatch,
		slow:             compound.NewDictionaryCompoundFilter(dict, minWord, minSub, maxSub, onlyLongestMatch),
		cache:            newWordCache[[]compoundPart](),
	}
	return f
}

func (f *compoundFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	rv := make(analysis.TokenStream, 0, len(input))
	for _, tok := range input {
		rv = append(rv, tok)
		if utf8.RuneCount(tok.Term) < f.minWord {
			continue
		}
		if !utf8.Valid(tok.Term) {
			rv = append(rv, f.slow.Filter(analysis.TokenStream{tok})[1:]...)
			continue
		}
		for _, p := range f.cache.get(tok.Term, f.split) {
			rv = append(rv, &analysis.Token{
				Term:     append([]byte(nil), tok.Term[p.from:p.to]...),
				Position: tok.Position,
				Start:    tok.Start + p.start,
				End:      tok.Start + p.end,
				Type:     tok.Type,
				KeyWord:  tok.KeyWord,
			})
		}
	}
	return rv
}

// split (word valid UTF-8) walks word as bleve's DictionaryCompoundFilter.decompose does:
// for each start rune, every length from minSub to maxSub runes, in that
// order.
func (f *compoundFilter) split(word []byte) []compoundPart {
	var offs [64]int
	off := offs[:0] // off[i]: byte offset of rune i; off[len-1] = len(word)
	for i := range string(word) {
		off = append(off, i)
	}
	off = append(off, len(word))
	n := len(off) - 1
	var parts []compoundPart
	for i := 0; i <= n-f.minSub; i++ {
		longest := -1
		for j := f.minSub; j <= f.maxSub && i+j <= n; j++ {
			if _, ok := f.dict[string(word[off[i]:off[i+j]])]; !ok {
				continue
			}
			if f.onlyLongestMatch {
				longest = j // lengths grow: the last match is the longest
				continue
			}
			parts = append(parts, compoundPart{start: i, end: i + j, from: off[i], to: off[i+j]})
		}
		if longest >= 0 {
			parts = append(parts, compoundPart{start: i, end: i + longest, from: off[i], to: off[i+longest]})
		}
	}
	return parts
}

// compoundFilterConstructor reads the configuration of bleve's
// dict_compound filter, with its defaults.
func compoundFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	minWord, minSub, maxSub, onlyLongest := 5, 2, 15, false
	if v, ok := config["min_word_size"].(float64); ok {
		minWord = int(v)
	}
	if v, ok := config["min_subword_size"].(float64); ok {
		minSub = int(v)
	}
	if v, ok := config["max_subword_size"].(float64); ok {
		maxSub = int(v)
	}
	if v, ok := config["only_longest_match"].(bool); ok {
		onlyLongest = v
	}
	name, ok := config["dict_token_map"].(string)
	if !ok {
		return nil, fmt.Errorf("%s: must specify dict_token_map", compoundFilterType)
	}
	dict, err := cache.TokenMapNamed(name)
	if err != nil {
		return nil, fmt.Errorf("%s: token map %s: %w", compoundFilterType, name, err)
	}
	return newCompoundFilter(dict, minWord, minSub, maxSub, onlyLongest), nil
}

func init() {
	if err := registry.RegisterTokenFilter(compoundFilterType, compoundFilterConstructor); err != nil {
		panic(err)
	}
}
