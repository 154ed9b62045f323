package benchcorpus

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/indexer"
)

func collect(t *testing.T, n int, seed int64) []indexer.Practice {
	t.Helper()
	seq, err := Generate(n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Collect(seq)
}

func TestGenerateDeterministic(t *testing.T) {
	a, b := collect(t, 300, 42), collect(t, 300, 42)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different corpus (-first +second):\n%s", diff)
	}
	c := collect(t, 300, 43)
	if cmp.Equal(a, c) {
		t.Error("seeds 42 and 43 gave the same corpus")
	}
}

func TestGenerateShape(t *testing.T) {
	const n = 3000
	ps := collect(t, n, 1)
	if got := len(ps); got != n {
		t.Fatalf("len = %d, want %d", got, n)
	}
	langs := map[string]int{}
	urls := map[string]string{}
	grouped := 0
	for _, p := range ps {
		langs[p.Lang]++
		if _, dup := urls[p.URL]; dup {
			t.Fatalf("URL %s generated twice", p.URL)
		}
		urls[p.URL] = p.Lang
		if w := len(strings.Fields(p.Body)); w < MinWords-20 || w > MaxWords {
			t.Errorf("%s: body has %d words, want %d–%d", p.URL, w, MinWords, MaxWords)
		}
		if p.Year < FirstYear || p.Year > LastYear {
			t.Errorf("%s: year %d outside %d–%d", p.URL, p.Year, FirstYear, LastYear)
		}
		if len(p.Themes) < 1 || len(p.Themes) > 3 {
			t.Errorf("%s: %d themes, want 1–3", p.URL, len(p.Themes))
		}
		if len(p.Translations) > 0 {
			grouped++
		}
		np, err := indexer.Normalize(p)
		if err != nil {
			t.Fatalf("%s: Normalize: %v", p.URL, err)
		}
		if len(np.Themes) != len(p.Themes) || np.Cities[0] == "" || np.Country == "" {
			t.Errorf("%s: vocabulary not recognised: themes %q -> %q, cities %q -> %q, country %q -> %q",
				p.URL, p.Themes, np.Themes, p.Cities, np.Cities, p.Country, np.Country)
		}
	}
	for _, l := range Langs {
		if share := float64(langs[l]) / n; share < 0.28 || share > 0.39 {
			t.Errorf("lang %s: share %.2f, want about a third", l, share)
		}
	}
	if share := float64(grouped) / n; share < 0.12 || share > 0.30 {
		t.Errorf("share in translation groups = %.2f, want about 0.20", share)
	}
	for _, p := range ps {
		for _, tr := range p.Translations {
			if got := urls[tr.URL]; got != tr.Lang {
				t.Errorf("%s: translation %s is lang %q in the corpus, want %q", p.URL, tr.URL, got, tr.Lang)
			}
		}
	}
}
