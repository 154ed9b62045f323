package search_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/search"
)

func TestParseQuery(t *testing.T) {
	w := func(s string) search.Term { return search.Term{Text: s} }
	for _, test := range []struct {
		in   string
		want []search.Term
	}{
		{"", nil},
		{"   ", nil},
		{"integration", []search.Term{w("integration")}},
		{"Wohnen  Geflüchtete", []search.Term{w("Wohnen"), w("Geflüchtete")}},
		{`"car free" -parking`, []search.Term{{Text: "car free", Phrase: true}, {Text: "parking", Exclude: true}}},
		{`-"car  free" x`, []search.Term{{Text: "car free", Phrase: true, Exclude: true}, w("x")}},
		{`"single"`, []search.Term{{Text: "single", Phrase: true}}}, // quoted: exact, never fuzzy
		{`"unclosed phrase here`, []search.Term{{Text: "unclosed phrase here", Phrase: true}}},
		{`city:lyon`, []search.Term{w("city:lyon")}},
		{`* *a* /.*/ a~99 ((((`, []search.Term{w("*a*"), w("a~99")}},
		{"- lone dash", []search.Term{w("lone"), w("dash")}},
		{"--x", []search.Term{{Text: "-x", Exclude: true}}},
		{"a\x00b", []search.Term{w("a"), w("b")}},
		{"ab\"cd ef\"gh", []search.Term{w("ab"), {Text: "cd ef", Phrase: true}, w("gh")}},
		{"\xff\xfeabc", []search.Term{w("abc")}},
		{"l'intégration", []search.Term{w("l'intégration")}},
	} {
		got := search.ParseQuery(test.in).Terms
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("ParseQuery(%q) mismatch (-want +got):\n%s", test.in, diff)
		}
	}
}

func TestParseQueryLimits(t *testing.T) {
	got := search.ParseQuery(strings.Repeat("word ", 5000))
	if len(got.Terms) != search.MaxTerms {
		t.Errorf("5000 words: got %d terms, want %d", len(got.Terms), search.MaxTerms)
	}
	long := search.ParseQuery(strings.Repeat("x", 50000))
	if n := len([]rune(long.Terms[0].Text)); n != search.MaxQueryRunes {
		t.Errorf("50 KB word: got %d runes, want %d", n, search.MaxQueryRunes)
	}
}

// TestNoQueryStringSyntax guards the rule that no visitor input reaches
// Bleve's query-string syntax (RELIABILITY §E 37): the search packages
// build their queries from ParseQuery's terms, never with
// bleve.NewQueryStringQuery or query.QueryStringQuery.
func TestNoQueryStringSyntax(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "memindex", "server", "../indexer"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, banned := range []string{"QueryStringQuery", "NewQueryStringQuery", "ParseQuerySyntax"} {
			if strings.Contains(string(src), banned) {
				t.Errorf("%s uses %s: visitor input must never reach Bleve's query-string syntax", f, banned)
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d source files", checked)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", `"a b" -c d`, "-", `-"`, "*", "/.*/", "a~99", "((((", "\x00", "\u202eabc", "--x", `"-a b"`, "-\"-\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := search.ParseQuery(s)
		if len(q.Terms) > search.MaxTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		again := search.ParseQuery(q.String())
		if diff := cmp.Diff(q, again); diff != "" {
			t.Fatalf("ParseQuery(%q).String() = %q does not read back (-first +again):\n%s", s, q.String(), diff)
		}
		for _, term := range q.Terms {
			if term.Text == "" || strings.ContainsRune(term.Text, '"') {
				t.Fatalf("bad term %+v from %q", term, s)
			}
		}
	})
}
