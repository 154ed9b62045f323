package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
)

func TestLexiconIsSound(t *testing.T) {
	cs := Lexicon()
	if got, want := len(cs), 300; got < want {
		t.Errorf("lexicon has %d concepts; want at least %d", got, want)
	}
	owner := map[string]string{} // lang + folded form -> concept key
	for _, c := range cs {
		for _, lang := range lexiconLangs {
			if len(c.Forms[lang]) == 0 {
				t.Errorf("%s: no %s form", c.Key, lang)
			}
			for _, f := range c.Forms[lang] {
				k := lang + ":" + surfaceKey(f)
				if prev, ok := owner[k]; ok && prev != c.Key {
					t.Errorf("%s form %q is in both %s and %s", lang, f, prev, c.Key)
				}
				owner[k] = c.Key
			}
		}
	}
}

func TestParseLexiconErrors(t *testing.T) {
	for _, test := range []struct{ name, src string }{
		{"missing column", "k\ta\tb\n"},
		{"empty cell", "k\ta\t\tc\n"},
		{"empty form", "k\ta||x\tb\tc\n"},
		{"empty key", "\ta\tb\tc\n"},
		{"duplicate key", "k\ta\tb\tc\nk\td\te\tf\n"},
	} {
		if _, err := parseLexicon(test.src); err == nil {
			t.Errorf("%s: parseLexicon(%q) succeeded; want an error", test.name, test.src)
		}
	}
	cs, err := parseLexicon("# comment\n\nk\ta | a2\tb\tc\r\n")
	if err != nil || len(cs) != 1 || !slices.Equal(cs[0].Forms["en"], []string{"a", "a2"}) {
		t.Errorf("parseLexicon: %v, %v", cs, err)
	}
}

func TestLexiconExpansion(t *testing.T) {
	m, err := indexer.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	lx := newLexIndex(m)
	for _, test := range []struct {
		text  string
		fuzzy int      // > 0: the word is not in the index
		want  []string // lang:form that must be among the expansions
		not   []string // lang:form that must not be (the word itself)
	}{
		{"Wohnen", 0, []string{"fr:logement", "en:housing"}, []string{"de:Wohnen"}},
		{"réfugiées", 0, []string{"de:Geflüchtete", "en:refugee"}, []string{"fr:réfugié"}},
		{"neighbourhoods", 0, []string{"fr:quartier", "de:Stadtteil"}, nil},
		{"language course", 0, []string{"fr:cours de langue", "de:Sprachkurs"}, nil},
		{"Flüchtlingsunterkunft", 0, []string{"en:refugee", "fr:logement"}, nil},
		{"intergation", 2, []string{"en:integration", "fr:intégration"}, nil},
		{"logment", 1, []string{"fr:logement", "de:Wohnen"}, nil},
	} {
		var got []string
		for _, x := range lx.expand(test.text, test.fuzzy > 0 || test.text == "Flüchtlingsunterkunft", test.fuzzy) {
			got = append(got, x.lang+":"+x.form.text)
		}
		for _, w := range test.want {
			if !slices.Contains(got, w) {
				t.Errorf("expand(%q) = %s; want %s among them", test.text, strings.Join(got, ", "), w)
			}
		}
		for _, n := range test.not {
			if slices.Contains(got, n) {
				t.Errorf("expand(%q) = %s; want no %s (the word itself)", test.text, strings.Join(got, ", "), n)
			}
		}
	}
	if got := lx.expand("zzyzx", true, 2); len(got) != 0 {
		t.Errorf("expand(zzyzx) = %v; want nothing", got)
	}
}

// expand remembers its answers: asked again, it gives the same expansions
// (fuzzy or not kept apart), and it never holds more than maxExpanded.
func TestLexiconExpansionRemembered(t *testing.T) {
	m, err := indexer.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	lx := newLexIndex(m)
	first := fmt.Sprint(lx.expand("logment", true, 1))
	if first == "[]" {
		t.Fatal("expand(logment, fuzzy) found nothing")
	}
	if got := fmt.Sprint(lx.expand("logment", true, 1)); got != first {
		t.Errorf("expand(logment) again = %s, want %s", got, first)
	}
	if got := lx.expand("logment", false, 0); len(got) != 0 {
		t.Errorf("expand(logment) without near spellings = %v, want nothing (the fuzzy answer is kept apart)", got)
	}
	for i := range maxExpanded + 10 {
		lx.expand(fmt.Sprintf("w%d", i), false, 0)
	}
	if n := len(lx.expanded); n > maxExpanded {
		t.Errorf("%d answers kept, want at most %d", n, maxExpanded)
	}
	if got := fmt.Sprint(lx.expand("logment", true, 1)); got != first {
		t.Errorf("expand(logment) after the memory was emptied = %s, want %s", got, first)
	}
}
