package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// TestBenchCommand runs the whole benchmark on a small corpus through the
// command line: a table with every column filled, and raw figures that are
// all present and positive, every HTTP answer a 200 with the facets the
// peers count (city, theme, lang).
func TestBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("imports and serves 300 practices")
	}
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "figures.json")
	header, row, errs := benchTable(t, "--n", "300", "--queries", "40", "--dir", filepath.Join(dir, "work"), "--json", jsonFile)
	if len(header) != 12 || len(row) != len(header) {
		t.Fatalf("header has %d columns, row %d; want 12 each:\n%q\n%q", len(header), len(row), header, row)
	}
	for i, c := range row {
		if c == "" || c == "0" || strings.Contains(c, "NaN") || strings.Contains(c, "Inf") ||
			(c == "n/a" && runtimeHasProc()) {
			t.Errorf("column %q is %q", header[i], c)
		}
	}
	if row[0] != "300" {
		t.Errorf("N column = %q, want 300", row[0])
	}
	for _, want := range []string{"generating corpus", "importing", "in process", "over HTTP", "Bleve alone"} {
		if !strings.Contains(errs, want) {
			t.Errorf("progress on stderr lacks %q:\n%s", want, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "work", "300")); !os.IsNotExist(err) {
		t.Errorf("without --keep the index should be gone: stat: %v", err)
	}

	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var figs []benchFigures
	if err := json.Unmarshal(data, &figs); err != nil {
		t.Fatalf("--json: %v\n%s", err, data)
	}
	if len(figs) != 1 {
		t.Fatalf("--json has %d runs, want 1", len(figs))
	}
	f := figs[0]
	if f.N != 300 || f.Queries != 40 || f.HTTPClients != 2 {
		t.Errorf("n, queries, clients = %d, %d, %d; want 300, 40, 2", f.N, f.Queries, f.HTTPClients)
	}
	if want := 40 * (1 + f.Passes); f.HTTPAnswers200 != want {
		t.Errorf("%d answers were 200 with the facets asked for, want %d", f.HTTPAnswers200, want)
	}
	if f.Facets != "theme,city,lang" {
		t.Errorf("facets counted = %q; want the peers' theme,city,lang", f.Facets)
	}
	for name, v := range map[string]float64{
		"import docs/s": f.ImportDocsPerS, "index MB": f.IndexMB, "warm s": f.WarmSeconds, "HTTP req/s": f.HTTPReqPerS,
		"in process p50": f.InProcess.P50, "in process p99": f.InProcess.P99,
		"HTTP p50": f.HTTP.P50, "HTTP p99": f.HTTP.P99,
		"Bleve p50": f.Bleve.P50, "Bleve p99": f.Bleve.P99,
		"Bleve highlight p50": f.BleveHighlight.P50, "Bleve highlight p99": f.BleveHighlight.P99,
	} {
		if !(v > 0) {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
	if runtimeHasProc() && (f.RSSMB == nil || *f.RSSMB <= 0 || f.RSSMaxMB == nil || *f.RSSMaxMB < *f.RSSMB) {
		t.Errorf("RSS median %v, max %v; want positive figures on Linux, the max at least the median", f.RSSMB, f.RSSMaxMB)
	}
	if f.ZeroHitQueries >= 40 {
		t.Errorf("all %d queries found nothing", f.ZeroHitQueries)
	}
}

func runtimeHasProc() bool {
	_, err := os.Stat("/proc/self/status")
	return err == nil
}

// cells splits a Markdown table row into its trimmed cells.
func cells(line string) []string {
	parts := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// TestBenchCorpusImport writes a corpus with `casebook bench corpus` and
// imports it with `casebook import`: every practice is accepted.
func TestBenchCorpusImport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "corpus.jsonl")
	if code, _, errs := runCmd(t, "bench", "corpus", "--n", "200", "--seed", "9", "--out", file); code != exitOK {
		t.Fatalf("bench corpus: exit %d: %s", code, errs)
	}
	index := filepath.Join(dir, "index")
	code, out, errs := runCmd(t, "import", "--index", index, file)
	if code != exitOK || !strings.Contains(out, "imported 200 practices") || strings.Contains(out, "skipped") {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	ix, err := indexer.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.Count(t.Context()); err != nil || n != 200 {
		t.Errorf("index holds %d practices (%v), want 200", n, err)
	}

	// Standard output gives the same lines as --out.
	_, stdout, _ := runCmd(t, "bench", "corpus", "--n", "200", "--seed", "9")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(data) {
		t.Error("bench corpus to standard output differs from --out")
	}
}

// A run with --keep leaves its index; --reuse searches it again without
// importing, reporting the first run's import figures, and refuses an
// index of another seed.
func TestBenchReuse(t *testing.T) {
	if testing.Short() {
		t.Skip("imports and serves 200 practices")
	}
	work := filepath.Join(t.TempDir(), "work")
	first, second := filepath.Join(work, "first.json"), filepath.Join(work, "second.json")
	if code, _, errs := runCmd(t, "bench", "--n", "200", "--queries", "20", "--dir", work, "--keep", "--json", first); code != exitOK {
		t.Fatalf("first run: exit %d, stderr:\n%s", code, errs)
	}
	code, _, errs := runCmd(t, "bench", "--n", "200", "--queries", "20", "--dir", work, "--reuse", "--json", second)
	if code != exitOK {
		t.Fatalf("--reuse: exit %d, stderr:\n%s", code, errs)
	}
	if strings.Contains(errs, "importing") || !strings.Contains(errs, "reusing the index") {
		t.Errorf("--reuse imported again or did not say it reused the index:\n%s", errs)
	}
	var a, b []benchFigures
	for file, into := range map[string]*[]benchFigures{first: &a, second: &b} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, into); err != nil {
			t.Fatal(err)
		}
	}
	if len(a) != 1 || len(b) != 1 || a[0].ImportDocsPerS != b[0].ImportDocsPerS || a[0].IndexMB != b[0].IndexMB || !(b[0].HTTP.P50 > 0) {
		t.Errorf("first run %+v, reuse %+v; want the same import figures and new search figures", a, b)
	}
	if code, _, errs := runCmd(t, "bench", "--n", "200", "--queries", "20", "--seed", "7", "--dir", work, "--reuse"); code == exitOK || !strings.Contains(errs, "seed") {
		t.Errorf("--reuse of another seed: exit %d, stderr %q; want a failure naming the seed", code, errs)
	}
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--n", "0"},
		{"bench", "--n", "10k"},
		{"bench", "--queries", "-1"},
		{"bench", "extra"},
		{"bench", "--reuse"}, // needs --dir
		{"bench", "--facets", "cities"},
		{"bench", "corpus", "--n", "0"},
		{"bench", "corpus", "--bogus"},
	} {
		if code, _, errs := runCmd(t, args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d (stderr %q)", args, code, exitUsage, errs)
		}
	}
}

func TestParseSizes(t *testing.T) {
	for _, test := range []struct {
		in   string
		want []int
	}{
		{"10000,100000", []int{10000, 100000}},
		{"100_000", []int{100000}},
		{" 300 , 5", []int{300, 5}},
	} {
		got, err := parseSizes(test.in)
		if err != nil || !reflect.DeepEqual(got, test.want) {
			t.Errorf("parseSizes(%q) = %v, %v; want %v", test.in, got, err, test.want)
		}
	}
}

// TestBenchQueryMix checks the mix is fixed for a seed and has the shape
// DESIGN.md asks for; every query is a valid API request and a valid
// plain Bleve request.
func TestBenchQueryMix(t *testing.T) {
	a, b := benchQueryMix(2026, 500), benchQueryMix(2026, 500)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different query mix")
	}
	if reflect.DeepEqual(a, benchQueryMix(2027, 500)) {
		t.Error("seeds 2026 and 2027 give the same mix")
	}
	phrases, filtered := 0, 0
	langs := map[string]int{}
	kinds := map[string]bool{}
	for i, q := range a {
		langs[q.UI]++
		if q.Phrase {
			phrases++
		} else if n := len(strings.Fields(q.Text)); n < 1 || n > 3 {
			t.Errorf("query %d %q has %d words, want 1–3", i, q.Text, n)
		}
		if q.Filtered() {
			filtered++
		}
		for kind, on := range map[string]bool{
			"city": len(q.Cities) > 0, "theme": len(q.Themes) > 0, "lang": len(q.Langs) > 0,
			"country": len(q.Countries) > 0, "year": q.YearFrom != 0,
		} {
			kinds[kind] = kinds[kind] || on
		}
		r, err := search.ParseRequest(q.values(), "")
		if err != nil {
			t.Fatalf("query %d %s: %v", i, q.values().Encode(), err)
		}
		if r.Size != 10 || r.UI != q.UI {
			t.Errorf("query %d: size %d, ui %q; want 10, %q", i, r.Size, r.UI, q.UI)
		}
		for _, hl := range []bool{false, true} {
			if err := bleveRequest(q, hl).Validate(); err != nil {
				t.Errorf("query %d: plain Bleve request: %v", i, err)
			}
		}
	}
	if share := float64(phrases) / 500; share < 0.10 || share > 0.20 {
		t.Errorf("%.0f%% phrases, want about 15%%", 100*share)
	}
	if share := float64(filtered) / 500; share < 0.35 || share > 0.45 {
		t.Errorf("%.0f%% filtered, want about 40%%", 100*share)
	}
	if len(kinds) != 5 {
		t.Errorf("filters used: %v; want city, theme, lang, country and year", kinds)
	}
	for _, l := range []string{"en", "fr", "de"} {
		if langs[l] < 160 {
			t.Errorf("%d queries in %s, want about a third", langs[l], l)
		}
	}
}

// --bleve=false leaves Bleve alone out: its columns say n/a, casebook's
// are measured.
func TestBenchWithoutBleve(t *testing.T) {
	if testing.Short() {
		t.Skip("imports and serves 200 practices")
	}
	header, row, errs := benchTable(t, "--n", "200", "--queries", "20", "--passes", "1", "--bleve=false", "--dir", filepath.Join(t.TempDir(), "work"))
	for i, h := range header {
		bleveColumn := strings.Contains(h, "Bleve")
		if got := row[i]; bleveColumn != strings.Contains(got, "n/a") {
			t.Errorf("column %q = %q; want n/a exactly in the Bleve columns", h, got)
		}
	}
	if !strings.Contains(errs, "Bleve alone skipped") {
		t.Errorf("stderr does not say Bleve alone was skipped:\n%s", errs)
	}
}

// TestAnswerHash: a timed pass accepts an answer without decoding it only
// when it equals the warm-up's answer, took_ms aside.
func TestAnswerHash(t *testing.T) {
	base := `{"query":"wohnen","total":12,"page":1,"size":10,"took_ms":1.25,"hits":[{"id":"a","title":"Wohnen"}],"facets":{"city":[]}}`
	same := []string{
		`{"query":"wohnen","total":12,"page":1,"size":10,"took_ms":0.5,"hits":[{"id":"a","title":"Wohnen"}],"facets":{"city":[]}}`,
		`{"query":"wohnen","total":12,"page":1,"size":10,"took_ms":117,"hits":[{"id":"a","title":"Wohnen"}],"facets":{"city":[]}}`,
	}
	differ := []string{
		`{"query":"wohnen","total":13,"page":1,"size":10,"took_ms":1.25,"hits":[{"id":"a","title":"Wohnen"}],"facets":{"city":[]}}`,
		`{"query":"wohnen","total":12,"page":1,"size":10,"took_ms":1.25,"hits":[{"id":"b","title":"Wohnen"}],"facets":{"city":[]}}`,
		`{"query":"wohnen","total":12,"page":1,"size":10,"took_ms":1.25,"hits":[{"id":"a","title":"Wohnen"}],"facets":{}}`,
		`{"error":"bad request"}`,
	}
	want := answerHash([]byte(base))
	if want == 0 {
		t.Fatal("hash 0: means no answer known")
	}
	for _, s := range same {
		if got := answerHash([]byte(s)); got != want {
			t.Errorf("answer differing only in took_ms hashes differently: %s", s)
		}
	}
	for _, s := range differ {
		if got := answerHash([]byte(s)); got == want {
			t.Errorf("different answer hashes the same: %s", s)
		}
	}
}

// benchTable runs `casebook bench` with args, which must succeed and print
// a one-row table, and returns the cells of its header and of its row, and
// its standard error.
func benchTable(t *testing.T, args ...string) (header, row []string, stderr string) {
	t.Helper()
	code, out, errs := runCmd(t, append([]string{"bench"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header, a rule and one row, got:\n%s", out)
	}
	return cells(lines[0]), cells(lines[2]), errs
}
