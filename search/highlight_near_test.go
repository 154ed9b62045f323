package search

import (
	"math/rand/v2"
	"testing"

	"github.com/casebook-project/casebook/search/memindex"
)

// withinDistance must answer as memindex.WithinDistance does.
func TestWithinDistanceAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabets := []string{"ab", "abc", "integrao", "aéßü"}
	word := func(alpha []rune, n int) string {
		w := make([]rune, n)
		for i := range w {
			w[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(w)
	}
	for _, test := range []struct{ a, b string }{
		{"", ""}, {"", "ab"}, {"integr", "intgr"}, {"integr", "itnegr"}, {"ca", "abc"},
		{"abcdefghijklmnopqrstuvwxyz012345", "bacdefghijklmnopqrstuvwxyz012345"},
		{"abcdefghijklmnopqrstuvwxyz0123456", "bacdefghijklmnopqrstuvwxyz0123456"},
	} {
		for k := range 4 {
			got, want := withinDistance(test.a, test.b, k), memindex.WithinDistance(test.a, test.b, k)
			if got != want {
				t.Errorf("withinDistance(%q, %q, %d) = %v, want %v", test.a, test.b, k, got, want)
			}
		}
	}
	for range 200_000 {
		alpha := []rune(alphabets[rng.IntN(len(alphabets))])
		a := word(alpha, rng.IntN(12))
		b := word(alpha, rng.IntN(12))
		if rng.IntN(2) == 0 {
			b = misspell(rng, misspell(rng, a))
		}
		k := rng.IntN(4)
		got, want := withinDistance(a, b, k), memindex.WithinDistance(a, b, k)
		if got != want {
			t.Fatalf("withinDistance(%q, %q, %d) = %v, want %v", a, b, k, got, want)
		}
	}
}
