package indexer_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/indexer"
)

var writeStoredDict = flag.String("write-stored-dict", "",
	"write the stored-document dictionary to this new file (never over an existing one) and stop")

// storedDictSize is the size of data/stored-dict-v1.bin. Of 16, 32, 64 and
// 110 KiB, 64 stored the least on demo practices of sites the dictionary
// was not built from (110 KiB is all there is, and stores the same).
const storedDictSize = 64 << 10

// TestWriteStoredDictionary makes the dictionary of stored form 0x02. It
// runs only with -write-stored-dict, once per dictionary version:
//
//	go test ./indexer -run WriteStoredDictionary -write-stored-dict data/stored-dict-v2.bin
//
// Version 1 (data/stored-dict-v1.bin) was made with this code; a later run
// gives other bytes once the vocabulary or the demo content change, which is
// why the file is kept and never regenerated.
func TestWriteStoredDictionary(t *testing.T) {
	if *writeStoredDict == "" {
		t.Skip("run with -write-stored-dict <new file>")
	}
	dict, err := buildStoredDict(storedDictSize, "")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(*writeStoredDict, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		t.Fatalf("%s exists: stored data depends on it; write a new version instead", *writeStoredDict)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(dict); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d bytes to %s", len(dict), filepath.Clean(*writeStoredDict))
}

// buildStoredDict returns a raw-content dictionary of at most size bytes for
// stored practices. A match costs fewer bits the closer it is to the end of
// the dictionary, and the fastest encoder keeps the later of two positions
// that hash alike, so the content runs from least to most useful:
//
//  1. the words of the demo pages in en, fr and de (the real practice
//     pages of the repository), least frequent first, the three languages
//     interleaved rank by rank; cut from the front to fit;
//  2. the vocabulary stored values and bodies use: city names, theme labels
//     in each language, country names in each language, theme ids;
//  3. the JSON of a practice with every field set: the keys, in order.
//
// Pages of site skip are left out (the benchmark uses it to measure on
// pages the dictionary has not seen); "" keeps all.
func buildStoredDict(size int, skip string) ([]byte, error) {
	pages, err := demo.Load()
	if err != nil {
		return nil, fmt.Errorf("load demo content: %w", err)
	}
	langs := []string{"de", "fr", "en"}
	ranked := map[string][]string{}
	for _, l := range langs {
		ranked[l] = rankWords(pages, l, skip)
	}
	var words bytes.Buffer
	for r := len(ranked["en"]) + len(ranked["fr"]) + len(ranked["de"]); r >= 0; r-- {
		for _, l := range langs {
			if r < len(ranked[l]) {
				words.WriteString(ranked[l][r])
				words.WriteByte(' ')
			}
		}
	}

	var vocab bytes.Buffer
	seen := map[string]bool{}
	for _, c := range indexer.Cities() {
		vocab.WriteString(c.Name + " ")
		if !seen[c.Country] {
			seen[c.Country] = true
		}
	}
	for _, l := range langs {
		for _, th := range indexer.Themes() {
			vocab.WriteString(th.Labels[l] + " ")
		}
	}
	countries := make([]string, 0, len(seen))
	for code := range seen {
		countries = append(countries, code)
	}
	slices.Sort(countries)
	for _, code := range countries {
		for _, l := range langs {
			vocab.WriteString(indexer.CountryLabel(code, l) + " ")
		}
	}
	for _, th := range indexer.Themes() {
		vocab.WriteString(`"` + th.ID + `",`)
	}

	skeleton, err := json.Marshal(indexer.Practice{
		ID: "id", URL: "https://", Source: "source", Network: "network", Title: "title",
		Summary: "summary", Body: "body", Cities: []string{"city"}, Country: "country",
		Themes: []string{"theme"}, Lang: "en", Year: 2020, Period: "2020", Published: "2020-01-01",
		Translations: []indexer.Translation{{Lang: "fr", URL: "https://"}},
	})
	if err != nil {
		return nil, fmt.Errorf("practice skeleton: %w", err)
	}
	dict := slices.Concat(words.Bytes(), vocab.Bytes(), skeleton)
	if len(dict) > size {
		dict = dict[len(dict)-size:]
	}
	return dict, nil
}

// rankWords returns the words of the demo pages in lang (titles, summaries,
// bodies; pages of site skip left out), most frequent first, ties in byte
// order. A word is a run of letters, digits, hyphens and apostrophes of at
// least two bytes, as written.
func rankWords(pages []demo.PracticePage, lang, skip string) []string {
	count := map[string]int{}
	for _, pg := range pages {
		if pg.Lang != lang || pg.Site == skip {
			continue
		}
		text := pg.Title + " " + pg.Summary + " " + pg.BodyText()
		for _, w := range strings.FieldsFunc(text, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’'
		}) {
			if len(w) >= 2 {
				count[w]++
			}
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return words
}
