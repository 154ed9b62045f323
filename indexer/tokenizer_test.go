package indexer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
)

// newTokenizers returns indexer.TokenizerName's tokenizer, as an analyzer
// gets it, and bleve's unicode tokenizer it must match.
func newTokenizers(tb testing.TB) (ours, theirs analysis.Tokenizer) {
	tb.Helper()
	ours, err := registry.NewCache().TokenizerNamed(indexer.TokenizerName)
	if err != nil {
		tb.Fatal(err)
	}
	return ours, unicode.NewUnicodeTokenizer()
}

// tokenDiff returns "" if got and want are the same token stream (terms,
// offsets, positions, types, keyword flags, nil or not), else a diff.
func tokenDiff(got, want analysis.TokenStream) string {
	if (got == nil) != (want == nil) {
		return "one stream is nil, the other not"
	}
	if sameTokens(got, want) {
		return ""
	}
	deref := func(s analysis.TokenStream) []analysis.Token {
		v := make([]analysis.Token, len(s))
		for i, t := range s {
			v[i] = *t
		}
		return v
	}
	return cmp.Diff(deref(want), deref(got))
}

func sameTokens(got, want analysis.TokenStream) bool {
	if len(got) != len(want) {
		return false
	}
	for i, g := range got {
		w := want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End ||
			g.Position != w.Position || g.Type != w.Type || g.KeyWord != w.KeyWord {
			return false
		}
	}
	return true
}

// checkSame fails t unless both tokenizers give the same stream for in.
func checkSame(t *testing.T, ours, theirs analysis.Tokenizer, in []byte) {
	t.Helper()
	if d := tokenDiff(ours.Tokenize(in), theirs.Tokenize(in)); d != "" {
		t.Errorf("Tokenize(%q) differs from unicode (-unicode +ours):\n%s", in, d)
	}
}

func terms(s analysis.TokenStream) []string {
	v := make([]string, len(s))
	for i, t := range s {
		v[i] = string(t.Term)
	}
	return v
}

// tokenizerCases are the word-break rules and the text our pages hold, with
// the words bleve's unicode tokenizer finds (for the record: the test
// compares with it too).
var tokenizerCases = []struct {
	in   string
	want string // words joined by "|"
}{
	{"", ""},
	{" \t\r\n", ""},
	{"...!?-–— «»", ""},
	{"Hello, world.", "Hello|world"},
	{"1,000.50 3.5 24/7 10% -3 2025-06-09", "1,000.50|3.5|24|7|10|3|2025|06|09"},
	{"1,,000 1,a a,1 1.a a.1 1:2 a:b a;b 1;2", "1|000|1|a|a|1|1|a|a|1|1|2|a:b|a|b|1;2"},
	{"l’école l'école aujourd'hui L’ÉCOLE qu’il", "l’école|l'école|aujourd'hui|L’ÉCOLE|qu’il"},
	{"don't can’t ‘quoted’ 'quoted' rock'n'roll", "don't|can’t|quoted|quoted|rock'n'roll"},
	{"e.g. i.e. U.S.A. www.example.org a@b.c", "e.g|i.e|U.S.A|www.example.org|a|b.c"},
	{"Straße GRÜSSE Œuvre naïve Łódź İstanbul Ærø ș ț", "Straße|GRÜSSE|Œuvre|naïve|Łódź|İstanbul|Ærø|ș|ț"},
	{"co-op e-mail hyphen‐ated a_b _a b_ __ _1_ 1_a", "co|op|e|mail|hyphen|ated|a_b|_a|b_|__|_1_|1_a"},
	{"a\u00adb soft\u00ad \u00adhyphen", "a\u00adb|soft\u00ad|hyphen"},
	{"e\u0301cole cafe\u0301 \u0301x a.\u0301b 1.\u03012", "e\u0301cole|cafe\u0301|x|a.\u0301b|1.\u03012"},
	{"a\u00a0b a\u202fb 5\u00a0000", "a|b|a|b|5|000"},
	{"«guillemets» „Anführung“ “quotes” ‹x›", "guillemets|Anführung|quotes|x"},
	{"a\u00b7b a\u2027b a\u2024b 1\u20442 a\u2044b", "a\u00b7b|a\u2027b|a\u2024b|1\u20442|a|b"},
	{"a\u203fb a\u2054 \u2040", "a\u203fb|a\u2054|\u2040"},
	{"a\u200db a\u200cb a\u2060b \ufeffbom", "a\u200db|a\u200cb|a\u2060b|bom"},
	{"ª5 µm º x²", "ª5|µm|º|x"},
	{"ʼokina aʼb aˑb a˗b", "ʼokina|aʼb|aˑb|a˗b"},
	{"Việt Nam ḍ", "Việt|Nam|ḍ"},
	{"n°5 §12 €30 $5 #tag @user", "n|5|12|30|5|tag|user"},
	{"a\"b a''b a'", "a|b|a|b|a"},
	{"line\r\nbreak\u2028sep\u0085nel", "line|break|sep|nel"},
	{"emoji 🙂 mixed👍text 🇩🇪 👍🏽", "emoji|mixed|text"},
	{"東京 日本語 ひらがな カタカナ 한국어", "東|京|日|本|語|ひ|ら|が|な|カタカナ|한국어"},
	{"ภาษาไทย مرحبا Москва Αθήνα", "مرحبا|Москва|Αθήνα"}, // Thai is SA: no words,
	{"ab.α ab'α 1.٣ café·ü", "ab.α|ab'α|1.٣|café·ü"},
	{"שלום a\"ב א\"ב א'", "שלום|a|ב|א\"ב|א'"},
	{"x \xffy z", "x"},
	{"\xff", ""},
	{"ab\xc3", "ab"},
	{"Zürich \xe2\x80 Genève", "Zürich"},
	{"é\xcd aa", "é\xcd aa"},
}

func TestTokenizerCases(t *testing.T) {
	ours, theirs := newTokenizers(t)
	for _, test := range tokenizerCases {
		got := ours.Tokenize([]byte(test.in))
		if g := strings.Join(terms(got), "|"); g != test.want {
			t.Errorf("Tokenize(%q) = %q; want %q", test.in, g, test.want)
		}
		checkSame(t, ours, theirs, []byte(test.in))
	}
}

// TestTokenizerRuneTable checks the class of every rune the tokenizer
// handles itself, in contexts that tell the classes apart: alone, after and
// between letters, between digits, and next to a combining mark.
func TestTokenizerRuneTable(t *testing.T) {
	ours, theirs := newTokenizers(t)
	var runes []rune
	for r := rune(0); r < 0x380; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x1E00); r < 0x1F00; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x2000); r < 0x20C0; r++ {
		runes = append(runes, r)
	}
	runes = append(runes, 0xFEFF)
	for _, r := range runes {
		s := string(r)
		for _, in := range []string{
			s, s + s, "a" + s, s + "a", "a" + s + "b", "1" + s + "2", "_" + s, s + "_",
			"a" + s + "1", "1" + s + "a", s + "\u0301", "a\u0301" + s + "b", "a" + s + "\u0301b",
			"1" + s + "\u03012", "a" + s + s + "b", "a'" + s, s + "'a", "\u00ad" + s,
		} {
			checkSame(t, ours, theirs, []byte(in))
		}
	}
}

// tokenizerAlphabet has a rune or byte of each class: letters (ASCII, two
// and three bytes), digits, joiner, the middles, Extend and Format, space,
// line breaks, Other, runes outside the table (emoji, Han, Katakana,
// Hebrew, Greek, Arabic digit, regional indicator) and invalid bytes.
var tokenizerAlphabet = []string{
	"a", "é", "ệ", "1", "_", ".", ":", ",", "'", "’", "\"", "\u00ad", "\u0301", " ", "\n", "\r", "-", "«",
	"🙂", "東", "カ", "א", "α", "٣", "🇩", "\xff", "\xc3",
}

// TestTokenizerExhaustive compares every string of up to four symbols of
// tokenizerAlphabet (three with -short).
func TestTokenizerExhaustive(t *testing.T) {
	ours, theirs := newTokenizers(t)
	maxLen := 4
	if testing.Short() {
		maxLen = 3
	}
	var walk func(prefix string, n int)
	walk = func(prefix string, n int) {
		checkSame(t, ours, theirs, []byte(prefix))
		if n == 0 || t.Failed() {
			return
		}
		for _, s := range tokenizerAlphabet {
			walk(prefix+s, n-1)
		}
	}
	walk("", maxLen)
}

// TestTokenizerTexts compares the analysis test pages and the text fields
// of generated practices, also with a rune outside the table put into them.
func TestTokenizerTexts(t *testing.T) {
	ours, theirs := newTokenizers(t)
	var texts []string
	files, err := filepath.Glob(filepath.Join("testdata", "analysis", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	n := 300
	if testing.Short() {
		n = 30
	}
	practices, err := benchcorpus.Generate(n, 7)
	if err != nil {
		t.Fatal(err)
	}
	for p := range practices {
		texts = append(texts, p.Title, p.Summary, p.Body)
	}
	for i, text := range texts {
		checkSame(t, ours, theirs, []byte(text))
		// The same with a foreign rune or an invalid byte in some word.
		for j, ins := range []string{"東", "🙂", "α", "\u20d0", "\xff"} {
			k := (i*31 + j*97) % (len(text) + 1)
			for k > 0 && k < len(text) && !utf8.RuneStart(text[k]) {
				k--
			}
			checkSame(t, ours, theirs, []byte(text[:k]+ins+text[k:]))
		}
	}
}

func FuzzTokenizerMatchesUnicode(f *testing.F) {
	for _, test := range tokenizerCases {
		f.Add([]byte(test.in))
	}
	f.Add([]byte("Das Programm läuft seit 2012 in Köln. Le programme est mené à Genève depuis 2015 ; l’école « ouverte ».\n\nIt's 1,000.50 e.g. co-op."))
	ours, theirs := newTokenizers(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		checkSame(t, ours, theirs, in)
	})
}
