package search

import (
	"strings"
	"sync"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold lowercases and removes accents, with a pooled transformer and no
// transformer at all for ASCII: the same as a fresh chain for every input,
// also from many goroutines at once.
func TestFold(t *testing.T) {
	ref := func(s string) string {
		out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), strings.ToLower(s))
		if err != nil {
			t.Fatalf("reference fold %q: %v", s, err)
		}
		return out
	}
	inputs := []string{"", "Housing", "Wohnen", "Düsseldorf", "Montréal", "LOGEMENT ÉTUDIANT", "Straße", "İstanbul",
		"São Paulo", "Ærøskøbing", "e\u0301cole", "日本語", "Ｆｕｌｌｗｉｄｔｈ", "\xff\xfe", strings.Repeat("é", 5000)}
	for _, s := range inputs {
		if got, want := fold(s), ref(s); got != want {
			t.Errorf("fold(%.20q) = %.20q, want %.20q", s, got, want)
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				s := inputs[(g+i)%len(inputs)]
				if got, want := fold(s), ref(s); got != want {
					t.Errorf("concurrent fold(%.20q) = %.20q, want %.20q", s, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
