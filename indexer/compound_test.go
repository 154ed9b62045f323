package indexer

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/compound"
	"github.com/google/go-cmp/cmp"
)

// TestCompoundFilterMatchesBleve checks that compoundFilter gives exactly
// the tokens of bleve's dict_compound filter, for the words of the
// analysis samples, random words and broken UTF-8, with and without
// onlyLongestMatch, from its cache as from a first split.
func TestCompoundFilterMatchesBleve(t *testing.T) {
	parts, _, err := compoundLists()
	if err != nil {
		t.Fatal(err)
	}
	dict := analysis.NewTokenMap()
	for _, w := range parts {
		dict.AddToken(w)
	}
	words := []string{"", "haus", "häuser", "nachbarschaftsheim", "\xffnachbar\xfeschaft", "arbeit\xc3", "ärbeitsmärkte"}
	inputs, err := filepath.Glob(filepath.Join("testdata", "analysis", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		words = append(words, strings.Fields(strings.ToLower(string(b)))...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []rune("aeinrstuhäöüßbgk")
	for range 2000 {
		var sb strings.Builder
		for range 3 + rng.IntN(20) {
			if rng.IntN(4) == 0 {
				sb.WriteString(parts[rng.IntN(len(parts))])
			} else {
				sb.WriteRune(letters[rng.IntN(len(letters))])
			}
		}
		words = append(words, sb.String())
	}
	stream := func() analysis.TokenStream {
		var ts analysis.TokenStream
		start := 0
		for i, w := range words {
			ts = append(ts, &analysis.Token{Term: []byte(w), Position: i + 1, Start: start, End: start + len(w), Type: analysis.AlphaNumeric})
			start += len(w) + 1
		}
		return ts
	}
	for _, longest := range []bool{false, true} {
		want := compound.NewDictionaryCompoundFilter(dict, DecompoundMinWord, DecompoundMinSubword, 20, longest).Filter(stream())
		fast := newCompoundFilter(dict, DecompoundMinWord, DecompoundMinSubword, 20, longest)
		for pass := range 2 { // the second pass reads the cache
			got := fast.Filter(stream())
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("onlyLongestMatch=%v, pass %d: tokens differ from dict_compound (-want +got):\n%s", longest, pass, diff)
			}
		}
	}
}

// TestRuneOffsets checks runeOffsets against the []rune conversion the
// subword filter used before, broken UTF-8 included.
func TestRuneOffsets(t *testing.T) {
	for _, s := range []string{"", "heim", "flüchtlingsunterkünfte", "straße", "a\xffb", "\xc3", "\xed\xa0\x80x", "\uFFFDz", "日本語"} {
		runes := []rune(s)
		var want []int
		for i := 0; i <= len(runes); i++ {
			want = append(want, len(string(runes[:i])))
		}
		if diff := cmp.Diff(want, runeOffsets([]byte(s))); diff != "" {
			t.Errorf("runeOffsets(%q) (-want +got):\n%s", s, diff)
		}
	}
}
