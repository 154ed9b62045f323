package memindex

import "testing"

func TestBoundedDistance(t *testing.T) {
	tests := []struct {
		a, b string
		k    int
		want int
	}{
		{"integration", "integration", 2, 0},
		{"intergation", "integration", 2, 1}, // a swap of adjacent letters is one edit
		{"integraton", "integration", 2, 1},
		{"médiaton", "médiation", 1, 1},
		{"housing", "hosuing", 1, 1},
		{"refugee", "refuge", 1, 1},
		{"barcellona", "barcelona", 2, 1},
		{"school", "scholarship", 2, -1}, // -1: any value above k
		{"", "abc", 3, 3},
	}
	for _, tt := range tests {
		var rows [3][]int
		got := boundedDistance([]rune(tt.a), []rune(tt.b), tt.k, &rows)
		if tt.want < 0 && got > tt.k {
			continue
		}
		if got != tt.want {
			t.Errorf("boundedDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.k, got, tt.want)
		}
	}
}

// However many different misspellings visitors type, the fuzzy expansions
// kept stay bounded.
func TestFuzzyCacheBounded(t *testing.T) {
	ix := &Index{text: map[string]*textField{"body_en": {terms: map[string]*posting{}}}}
	for i := range maxFuzzyKeys + 10 {
		if _, err := ix.fuzzyCandidates("body_en", string(rune('a'+i%26))+string(rune(0x4e00+i)), 1, 1); err != nil {
			t.Fatal(err)
		}
		if n := ix.fuzzy.len(); n > maxFuzzyKeys {
			t.Fatalf("after %d misspellings the cache holds %d expansions, more than %d", i+1, n, maxFuzzyKeys)
		}
	}
	if n := ix.fuzzy.len(); n == 0 || n > maxFuzzyKeys {
		t.Errorf("cache holds %d expansions; want 1..%d", n, maxFuzzyKeys)
	}
}
