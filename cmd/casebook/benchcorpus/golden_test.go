package benchcorpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
)

// goldenFirst5 is the SHA-256 of the JSON Lines of the first five
// practices for seed 2026. It changes only when the generator, the demo
// texts or the vocabulary change: a deliberate change updates it, and the
// README's figures are then retaken.
const goldenFirst5 = "77f8261d7642772eaf12e626532ed79534cec6fd047a9897a4b400d1d9a1f4f3"

func TestGenerateGolden(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range collect(t, 5, 2026) {
		if err := enc.Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	sum := sha256.Sum256(buf.Bytes())
	if got := hex.EncodeToString(sum[:]); got != goldenFirst5 {
		t.Errorf("first five practices for seed 2026 hash to %s, want %s:\n%s", got, goldenFirst5, buf.String())
	}
}

// TestWordFrequencies checks the text statistics the benchmark relies on:
// a few words are very common and most are rare (Zipf), every language
// uses far more than a handful of distinct words, and domain words occur.
func TestWordFrequencies(t *testing.T) {
	ps := collect(t, 2000, 7)
	pools, err := loadPools()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		counts := map[string]int{}
		total := 0
		for _, p := range ps {
			if p.Lang != lang {
				continue
			}
			for _, w := range splitWords(p.Body) {
				counts[strings.ToLower(w)]++
				total++
			}
		}
		freq := make([]int, 0, len(counts))
		for _, c := range counts {
			freq = append(freq, c)
		}
		slices.SortFunc(freq, func(a, b int) int { return b - a })
		top10 := 0
		for _, c := range freq[:10] {
			top10 += c
		}
		once := 0
		for _, c := range freq {
			if c <= 2 {
				once++
			}
		}
		domain := 0
		for _, w := range pools[lang].vocab.domain {
			if counts[strings.ToLower(w)] > 0 {
				domain++
			}
		}
		t.Logf("%s: %d words, %d distinct, top 10 = %.0f%%, domain words used %d/%d",
			lang, total, len(counts), 100*float64(top10)/float64(total), domain, len(pools[lang].vocab.domain))
		if len(counts) < 1000 {
			t.Errorf("%s: %d distinct words, want at least 1,000", lang, len(counts))
		}
		if share := float64(top10) / float64(total); share < 0.12 || share > 0.40 {
			t.Errorf("%s: the 10 most frequent words are %.0f%% of the text, want 12–40%% (Zipf)", lang, 100*share)
		}
		if ratio := float64(freq[0]) / float64(freq[99]); ratio < 10 {
			t.Errorf("%s: first word only %.1f× as frequent as the 100th, want ≥ 10× (Zipf)", lang, ratio)
		}
		if domain < 150 {
			t.Errorf("%s: %d domain words occur, want at least 150", lang, domain)
		}
	}
}

func TestFacetsSpread(t *testing.T) {
	ps := collect(t, 3000, 3)
	cities, countries, years := map[string]bool{}, map[string]bool{}, map[int]bool{}
	for _, p := range ps {
		np, err := indexer.Normalize(p)
		if err != nil {
			t.Fatal(err)
		}
		cities[np.Cities[0]] = true
		countries[np.Country] = true
		years[np.Year] = true
	}
	if len(cities) < 100 || len(countries) < 20 || len(years) != LastYear-FirstYear+1 {
		t.Errorf("3,000 practices span %d cities, %d countries, %d years; want ≥ 100, ≥ 20, %d",
			len(cities), len(countries), len(years), LastYear-FirstYear+1)
	}
}
