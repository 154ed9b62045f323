package indexer

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/google/go-cmp/cmp"
)

var decompoundReport = flag.Bool("decompound-report", false, "print the parts of the long words of the German demo content")

// partsAnalyzer is the German pipeline up to compound splitting (no
// normalisation or stemming), so parts read as the word list writes them.
func partsAnalyzer(t testing.TB) analysis.Analyzer {
	t.Helper()
	im := bleve.NewIndexMapping()
	if err := addDecompound(im); err != nil {
		t.Fatal(err)
	}
	err := im.AddCustomAnalyzer("parts", map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []interface{}{lowercase.Name, de.StopName, DecompoundFilterName, SubwordFilterName, DedupeFilterName},
	})
	if err != nil {
		t.Fatal(err)
	}
	return im.AnalyzerNamed("parts")
}

// parts returns the sorted parts a analyses word into, the word itself
// left out.
func parts(a analysis.Analyzer, word string) []string {
	var out []string
	for _, tok := range a.Analyze([]byte(word)) {
		if string(tok.Term) != strings.ToLower(word) {
			out = append(out, string(tok.Term))
		}
	}
	sort.Strings(out)
	return out
}

func TestCompoundParts(t *testing.T) {
	a := partsAnalyzer(t)
	for _, test := range []struct {
		word string
		want []string // nil: the word stays whole
	}{
		{"Nachbarschaftsheim", []string{"heim", "nachbar", "nachbarschaft"}},
		{"Flüchtlingsunterkunft", []string{"flüchtling", "flüchtlings", "unterkunft"}},
		{"Flüchtlingsunterkünfte", []string{"flüchtling", "flüchtlings", "unterkünfte"}},
		{"Arbeitsmarkt", []string{"arbeit", "arbeits", "markt"}},
		{"Stadtteilmütter", []string{"mütter", "stadt", "stadtteil", "teil"}},
		{"Sprachkurse", []string{"kurs", "kurse", "sprach"}},
		{"Integrationsbeirat", []string{"beirat", "integration", "integrations"}},
		{"Begegnungscafés", []string{"begegnung", "café", "cafés"}},
		{"Sozialbürgerhäuser", []string{"bürger", "häuser", "sozial"}},
		{"Mädchensportgruppen", []string{"gruppe", "gruppen", "mädchen", "sport"}},
		{"Jugendfreizeiteinrichtungen", []string{"einrichtung", "einrichtungen", "freizeit", "freizeiteinrichtung", "jugend", "jugendfreizeit", "zeit"}},
		{"Kirchengemeinden", []string{"gemeinde", "gemeinden", "kirche", "kirchen"}},
		{"Praxisbeispiele", []string{"beispiel", "beispiele", "praxis"}},
		{"Kursteilnehmerinnen", []string{"kurs", "teilnehmer", "teilnehmerin", "teilnehmerinnen"}},
		{"Vereinsmitglieder", []string{"mitglied", "mitglieder", "verein", "vereins"}},
		// Words that must stay whole: no part is a word of their own.
		{"Integration", nil},
		{"Information", nil},
		{"Demokratie", nil},
		{"Beispiel", nil},
		{"Teilnahme", nil},
		{"vorstellen", nil},
		{"interessant", nil},
		{"Kreise", nil}, // not "reise"
		{"passenden", nil},
		{"Begründung", nil},
		{"Verfolgung", nil},
		{"Mitglieder", nil},
		{"Wohnungen", nil},
		{"Bewohnerinnen", nil},
		{"Einbürgerung", nil},
		{"wohnen", nil},
		{"Sport", nil},
		{"Rat", nil},
		{"besucht", nil},
	} {
		got := parts(a, test.word)
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("parts of %q (-want +got):\n%s", test.word, diff)
		}
	}
}

// TestCompoundPartOffsets checks that a part's offsets cut the original
// text at the part (in bytes, after an umlaut too), as highlighting needs.
func TestCompoundPartOffsets(t *testing.T) {
	a := partsAnalyzer(t)
	text := "Die Flüchtlingsunterkunft und Stadtteilmütter"
	for _, tok := range a.Analyze([]byte(text)) {
		if got, want := strings.ToLower(text[tok.Start:tok.End]), string(tok.Term); got != want {
			t.Errorf("token %q at %d:%d cuts %q", want, tok.Start, tok.End, got)
		}
	}
}

func TestCompoundListIsSound(t *testing.T) {
	parts, opaque, err := compoundLists()
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 1000 {
		t.Errorf("word list has %d parts, want at least 1000", len(parts))
	}
	// An opaque word earns its place only by hiding a part: one inside it,
	// or one that starts inside it and runs past it (or the other way).
	for _, o := range opaque {
		hides := slices.ContainsFunc(parts, func(p string) bool {
			if p == o || strings.Contains(p, o) {
				return false
			}
			if strings.Contains(o, p) {
				return true
			}
			for k := 1; k < len(o); k++ {
				if strings.HasPrefix(p, o[k:]) || strings.HasSuffix(p, o[:k]) {
					return true
				}
			}
			return false
		})
		if !hides {
			t.Errorf("opaque word %q hides no part", o)
		}
	}
	for _, bad := range []string{"Ab", "rat", "Stadt"} {
		if _, _, err := parseCompoundList(bad); err == nil {
			t.Errorf("parseCompoundList(%q) = nil error, want one", bad)
		}
	}
}

func TestDecompoundSearchAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	heim := Practice{URL: "https://hub.example/de/heim", Source: "hub", Lang: "de", Title: "Ein Haus für alle",
		Body: "Das Nachbarschaftsheim in Schöneberg öffnet jeden Tag."}
	unterkunft := Practice{URL: "https://hub.example/de/unterkunft", Source: "hub", Lang: "de", Title: "Ankommen",
		Body: "Die Flüchtlingsunterkunft am Stadtrand bekam ein Begegnungscafé."}
	other := Practice{URL: "https://hub.example/de/andere", Source: "hub", Lang: "de", Title: "Integration",
		Body: "Zum Beispiel die Teilnahme an Sportvereinen."}
	if err := ix.Upsert(t.Context(), []Practice{heim, unterkunft, other}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		field, text string
		want        []string
	}{
		{FieldBodyDE, "Nachbarschaft", []string{IDForURL(heim.URL)}},
		{FieldBodyDE, "Unterkunft", []string{IDForURL(unterkunft.URL)}},
		{FieldBodyDE, "Unterkünfte", []string{IDForURL(unterkunft.URL)}},
		{FieldBodyDE, "Flüchtlinge", []string{IDForURL(unterkunft.URL)}},
		{FieldBodyDE, "Café", []string{IDForURL(unterkunft.URL)}},
		{FieldBodyDE, "Heim", []string{IDForURL(heim.URL)}},
		{FieldBodyDE, "Sport", []string{IDForURL(other.URL)}},
		{FieldBodyDE, "Spiel", nil},
		{FieldBodyDE, "Teil", nil},
		{FieldBodyEN, "Nachbarschaft", nil}, // other languages do not split
	}
	check := func(when string, ix *Index) {
		for _, test := range tests {
			got := searchField(t, ix, test.field, test.text)
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("%s: %s:%q hits (-want +got):\n%s", when, test.field, test.text, diff)
			}
		}
	}
	check("new", ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check("reopened", ix)

	// The word list travels with the index: the saved mapping holds it.
	im, ok := ix.Bleve().Mapping().(*mapping.IndexMappingImpl)
	if !ok {
		t.Fatalf("mapping is %T", ix.Bleve().Mapping())
	}
	words, _ := im.CustomAnalysis.TokenMaps[DecompoundWordsName]["tokens"].([]interface{})
	want, _, _ := compoundLists()
	if len(words) != len(want) {
		t.Errorf("saved mapping holds %d compound parts, want %d", len(words), len(want))
	}
}

// TestDecompoundDemoReport prints, with -decompound-report, every German
// word of 12+ letters of the demo content and the parts it is indexed with.
func TestDecompoundDemoReport(t *testing.T) {
	if !*decompoundReport {
		t.Skip("run with -decompound-report")
	}
	a := partsAnalyzer(t)
	seen := map[string]bool{}
	var words []string
	for _, p := range demoGerman(t) {
		for _, tok := range a.Analyze([]byte(p.Title + " " + p.Summary + " " + p.Body)) {
			w := string(tok.Term)
			if tok.Start >= 0 && utf8.RuneCountInString(w) >= 12 && !seen[w] && isWordToken(p, tok) {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	sort.Strings(words)
	split := 0
	var b strings.Builder
	for _, w := range words {
		ps := parts(a, w)
		if len(ps) > 0 {
			split++
		}
		b.WriteString(sprintf("| %s | %s |\n", w, strings.Join(ps, " ")))
	}
	t.Logf("German demo words of 12+ letters: %d, split: %d\n%s", len(words), split, b.String())
}

// isWordToken tells a whole word (its text is its term) from a part.
func isWordToken(p Practice, tok *analysis.Token) bool {
	text := p.Title + " " + p.Summary + " " + p.Body
	return tok.End <= len(text) && strings.ToLower(text[tok.Start:tok.End]) == string(tok.Term) &&
		(tok.Start == 0 || !isLetter(text[tok.Start-1])) && (tok.End == len(text) || !isLetter(text[tok.End]))
}

func isLetter(c byte) bool { return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// demoGerman reads the German pages of the demo content.
func demoGerman(t testing.TB) []Practice {
	t.Helper()
	files, err := filepath.Glob("../cmd/casebook/demo/content/*/*.de.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("demo content: %v (%d files)", err, len(files))
	}
	var out []Practice
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, body, _ := strings.Cut(string(data), "\n---\n")
		p := Practice{URL: "https://demo.example/" + filepath.Base(f), Source: "demo", Lang: "de", Body: body}
		for _, line := range strings.Split(head, "\n") {
			k, v, _ := strings.Cut(line, ":")
			switch k {
			case "title":
				p.Title = strings.TrimSpace(v)
			case "summary":
				p.Summary = strings.TrimSpace(v)
			}
		}
		out = append(out, p)
	}
	return out
}

// BenchmarkUpsertGerman indexes the German demo pages and reports the
// index size per page.
func BenchmarkUpsertGerman(b *testing.B) {
	pages := demoGerman(b)
	dir := filepath.Join(b.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		ps := make([]Practice, len(pages))
		for j, p := range pages {
			p.URL += "/" + itoa(i)
			ps[j] = p
		}
		if err := ix.Upsert(b.Context(), ps); err != nil {
			b.Fatal(err)
		}
		n += len(ps)
	}
	b.StopTimer()
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	var size int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	b.ReportMetric(float64(size)/float64(n), "bytes/page")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/page")
}

// BenchmarkAnalyzeGerman runs the German analyzer over the demo pages.
func BenchmarkAnalyzeGerman(b *testing.B) {
	m, err := NewMapping()
	if err != nil {
		b.Fatal(err)
	}
	a := m.AnalyzerNamed(AnalyzerDE)
	var texts [][]byte
	for _, p := range demoGerman(b) {
		texts = append(texts, []byte(p.Title+" "+p.Summary+" "+p.Body))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			a.Analyze(t)
		}
	}
}
