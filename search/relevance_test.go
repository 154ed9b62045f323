package search_test

// The judged relevance suite (issue 4): queries in English, French and
// German over the demo corpus, with graded judgements written from the
// texts (testdata/relevance/). TestRelevance crawls the demo sites exactly
// as `casebook demo` does, runs every query through ParseRequest and
// Engine.Search, and computes nDCG@10 and MRR per category. Run it with
//
//	go test ./search -run TestRelevance -v
//
// The table it logs is the one the README quotes.

import (
	"bufio"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// relCutoff is the depth of nDCG and MRR: the first result page.
const relCutoff = 10

// relCategories are the query categories, in the order the table lists them.
var relCategories = []string{
	"monolingual", "morphology", "typos", "cross-language",
	"city", "filtered", "phrase", "exclusion",
}

// relMinQueries is how many queries each category must have at least.
var relMinQueries = map[string]int{"cross-language": 15}

const relMinPerCategory = 8

// relThresholds are the nDCG@10 floors below which the suite fails ("all"
// is every query). They were set from measurement: the measured value minus
// 0.03 (rounded down), but never above the targets (0.85 overall,
// 0.75 across languages and with typos; 0.85 for the categories without a
// target of their own). Morphology measured less than 0.03 above 0.85, so
// its floor sits just below it; exclusion rose to 0.92 once excluded city
// names excluded the city in every language.
var relThresholds = map[string]float64{
	"all":            0.85,
	"monolingual":    0.85,
	"morphology":     0.82,
	"typos":          0.75,
	"cross-language": 0.75,
	"city":           0.85,
	"filtered":       0.85,
	"phrase":         0.85,
	"exclusion":      0.85,
}

// relQuery is one line of queries.tsv with its judgements.
type relQuery struct {
	ID       string
	Category string
	UI       string
	Q        string
	Filters  url.Values     // lang, city, theme, country… as URL parameters
	Grades   map[string]int // "site/group" -> 1, 2 or 3
	Reasons  map[string]string
}

// relCorpus is what demo.Load says about the practices: every translation
// group ("site/group") and which slug belongs to which group.
type relCorpus struct {
	bySlug map[string]string          // "site/slug" -> "site/group"
	langs  map[string]map[string]bool // group -> languages it is written in
	cities map[string]map[string]bool // group -> English city names
	themes map[string]map[string]bool // group -> theme ids
}

func relLoadCorpus(t *testing.T) relCorpus {
	t.Helper()
	pages, err := demo.Load()
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	c := relCorpus{
		bySlug: map[string]string{},
		langs:  map[string]map[string]bool{},
		cities: map[string]map[string]bool{},
		themes: map[string]map[string]bool{},
	}
	add := func(m map[string]map[string]bool, g, v string) {
		if m[g] == nil {
			m[g] = map[string]bool{}
		}
		m[g][v] = true
	}
	for _, p := range pages {
		g := p.Site + "/" + p.Group
		key := p.Site + "/" + p.Slug
		if old, ok := c.bySlug[key]; ok && old != g {
			t.Fatalf("slug %s belongs to groups %s and %s", key, old, g)
		}
		c.bySlug[key] = g
		add(c.langs, g, p.Lang)
		for _, city := range p.Cities {
			if ct, ok := indexer.LookupCity(city); ok {
				add(c.cities, g, ct.Name)
			}
		}
		for _, th := range p.Themes {
			if id, ok := indexer.LookupTheme(th); ok {
				add(c.themes, g, id)
			}
		}
	}
	return c
}

// relLoadSuite reads queries.tsv and judgements.tsv. Lines starting with
// "#" and blank lines are comments.
func relLoadSuite(t *testing.T) []*relQuery {
	t.Helper()
	dir := filepath.Join("testdata", "relevance")
	var qs []*relQuery
	byID := map[string]*relQuery{}
	relReadTSV(t, filepath.Join(dir, "queries.tsv"), 5, func(n int, f []string) {
		// id, category, ui, q, filters[, note]
		filters, err := url.ParseQuery(strings.TrimPrefix(f[4], "-"))
		if err != nil {
			t.Fatalf("queries.tsv:%d: filters %q: %v", n, f[4], err)
		}
		q := &relQuery{ID: f[0], Category: f[1], UI: f[2], Q: f[3], Filters: filters,
			Grades: map[string]int{}, Reasons: map[string]string{}}
		if byID[q.ID] != nil {
			t.Fatalf("queries.tsv:%d: duplicate id %s", n, q.ID)
		}
		byID[q.ID] = q
		qs = append(qs, q)
	})
	relReadTSV(t, filepath.Join(dir, "judgements.tsv"), 3, func(n int, f []string) {
		// id, site/group, grade[, reason]
		q := byID[f[0]]
		if q == nil {
			t.Fatalf("judgements.tsv:%d: unknown query %s", n, f[0])
		}
		g, err := strconv.Atoi(f[2])
		if err != nil || g < 1 || g > 3 {
			t.Fatalf("judgements.tsv:%d: grade %q must be 1, 2 or 3", n, f[2])
		}
		if _, dup := q.Grades[f[1]]; dup {
			t.Fatalf("judgements.tsv:%d: %s judged twice for %s", n, f[1], q.ID)
		}
		q.Grades[f[1]] = g
		if len(f) > 3 {
			q.Reasons[f[1]] = f[3]
		}
	})
	return qs
}

func relReadTSV(t *testing.T, path string, min int, fn func(line int, fields []string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < min {
			t.Fatalf("%s:%d: want at least %d tab-separated fields, got %d", path, n, min, len(fields))
		}
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		fn(n, fields)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestRelevanceJudgements checks the suite itself: enough queries per
// category, every judged group exists, every query has at least one
// clearly relevant practice, and a judged practice can pass the query's
// filters (a practice the filters rule out cannot be expected).
func TestRelevanceJudgements(t *testing.T) {
	c := relLoadCorpus(t)
	qs := relLoadSuite(t)
	count := map[string]int{}
	langs := map[string]int{}
	for _, q := range qs {
		count[q.Category]++
		langs[q.UI]++
		if !slices.Contains(relCategories, q.Category) {
			t.Errorf("query %s: unknown category %q", q.ID, q.Category)
		}
		if !slices.Contains(search.UILanguages, q.UI) {
			t.Errorf("query %s: ui %q is not an interface language", q.ID, q.UI)
		}
		if q.Q == "" {
			t.Errorf("query %s: empty query", q.ID)
		}
		best := 0
		for g, grade := range q.Grades {
			best = max(best, grade)
			if c.langs[g] == nil {
				t.Errorf("query %s: judged %s is not a translation group of the demo corpus", q.ID, g)
				continue
			}
			if q.Reasons[g] == "" {
				t.Errorf("query %s: judged %s without a reason", q.ID, g)
			}
			if why := relFilteredOut(c, q.Filters, g); why != "" {
				t.Errorf("query %s: judged %s cannot pass the filters: %s", q.ID, g, why)
			}
		}
		if best < 2 {
			t.Errorf("query %s (%q): no practice judged 2 or 3", q.ID, q.Q)
		}
		if _, err := search.ParseRequest(relParams(q), ""); err != nil {
			t.Errorf("query %s: ParseRequest: %v", q.ID, err)
		}
	}
	for _, cat := range relCategories {
		want := max(relMinPerCategory, relMinQueries[cat])
		if count[cat] < want {
			t.Errorf("category %s has %d queries, want at least %d", cat, count[cat], want)
		}
	}
	for _, l := range search.UILanguages {
		if langs[l] == 0 {
			t.Errorf("no query in %s", l)
		}
	}
	t.Logf("%d queries: %v; by language %v", len(qs), count, langs)
}

// relFilteredOut says why group g cannot match the lang/city/theme filters
// of v ("" when it can).
func relFilteredOut(c relCorpus, v url.Values, g string) string {
	check := func(param string, have map[string]bool, norm func(string) string) string {
		vals := v[param]
		if len(vals) == 0 {
			return ""
		}
		for _, s := range vals {
			if have[norm(s)] {
				return ""
			}
		}
		return fmt.Sprintf("%s=%v", param, vals)
	}
	if why := check("lang", c.langs[g], strings.ToLower); why != "" {
		return why
	}
	if why := check("city", c.cities[g], func(s string) string {
		if ct, ok := indexer.LookupCity(s); ok {
			return ct.Name
		}
		return s
	}); why != "" {
		return why
	}
	return check("theme", c.themes[g], func(s string) string {
		if id, ok := indexer.LookupTheme(s); ok {
			return id
		}
		return s
	})
}

// relParams is the query as the search API receives it.
func relParams(q *relQuery) url.Values {
	v := url.Values{}
	for k, vals := range q.Filters {
		v[k] = slices.Clone(vals)
	}
	v.Set("q", q.Q)
	v.Set("size", strconv.Itoa(relCutoff))
	if v.Get("ui") == "" {
		v.Set("ui", q.UI)
	}
	return v
}

// relDCG is the discounted cumulative gain of grades in rank order, with
// the exponential gain 2^grade − 1 and the log2(rank+1) discount.
func relDCG(grades []int) float64 {
	var dcg float64
	for i, g := range grades {
		if i >= relCutoff {
			break
		}
		dcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	return dcg
}

// relNDCG is nDCG@10 of the grades returned, against the ideal ordering of
// every judged grade.
func relNDCG(got []int, judged map[string]int) float64 {
	ideal := make([]int, 0, len(judged))
	for _, g := range judged {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := relDCG(ideal)
	if idcg == 0 {
		return 0
	}
	return relDCG(got) / idcg
}

// relRR is the reciprocal rank of the first result graded 2 or more.
func relRR(got []int) float64 {
	for i, g := range got {
		if i >= relCutoff {
			break
		}
		if g >= 2 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

func TestRelevanceMetrics(t *testing.T) {
	judged := map[string]int{"a": 3, "b": 2, "c": 1}
	tests := []struct {
		name     string
		got      []int
		wantNDCG float64
		wantRR   float64
	}{
		{"ideal order", []int{3, 2, 1}, 1, 1},
		{"nothing relevant", []int{0, 0, 0}, 0, 0},
		{"no results", nil, 0, 0},
		{"best answer second", []int{0, 3, 2, 1}, (7/math.Log2(3) + 3/2.0 + 1/math.Log2(5)) / (7 + 3/math.Log2(3) + 1/2.0), 0.5},
		{"only a partial answer", []int{1}, 1 / (7 + 3/math.Log2(3) + 1/2.0), 0},
		{"beyond the cutoff", append(make([]int, relCutoff), 3), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := relNDCG(tt.got, judged); math.Abs(got-tt.wantNDCG) > 1e-9 {
				t.Errorf("nDCG = %.6f, want %.6f", got, tt.wantNDCG)
			}
			if got := relRR(tt.got); math.Abs(got-tt.wantRR) > 1e-9 {
				t.Errorf("RR = %.6f, want %.6f", got, tt.wantRR)
			}
		})
	}
}

// relOutcome is one query's measured result.
type relOutcome struct {
	q      *relQuery
	groups []string // the groups of the hits, in rank order
	grades []int
	ndcg   float64
	rr     float64
}

// TestRelevance crawls the demo sites into a fresh index, runs every query
// and fails when a category's nDCG@10 falls below its threshold.
func TestRelevance(t *testing.T) {
	c := relLoadCorpus(t)
	qs := relLoadSuite(t)
	ctx := t.Context()

	ix, origins := relDemoIndex(t, c)
	engine := search.New(ix)

	var outs []relOutcome
	repeated := 0
	for _, q := range qs {
		req, err := search.ParseRequest(relParams(q), "")
		if err != nil {
			t.Fatalf("query %s: ParseRequest: %v", q.ID, err)
		}
		res, err := engine.Search(ctx, req)
		if err != nil {
			t.Fatalf("query %s (%q): Search: %v", q.ID, q.Q, err)
		}
		o := relOutcome{q: q}
		seen := map[string]bool{}
		for _, h := range res.Hits {
			g := relGroupOf(t, c, origins, h.URL)
			o.groups = append(o.groups, g)
			grade := q.Grades[g]
			if seen[g] {
				grade = 0 // a practice shown twice counts once
				repeated++
			}
			seen[g] = true
			o.grades = append(o.grades, grade)
		}
		o.ndcg = relNDCG(o.grades, q.Grades)
		o.rr = relRR(o.grades)
		outs = append(outs, o)
	}

	if repeated > 0 {
		t.Logf("%d hits repeated a practice already shown for the same query (translations not grouped); they count 0", repeated)
	}
	table, means := relTable(outs)
	t.Logf("relevance over %d queries (nDCG@10, MRR with the first result graded ≥ 2):\n%s", len(outs), table)
	t.Logf("worst queries:\n%s", relWorst(outs, 10))
	for _, cat := range append([]string{"all"}, relCategories...) {
		if floor, ok := relThresholds[cat]; ok && means[cat] < floor {
			t.Errorf("%s: nDCG@10 %.3f is below the threshold %.2f", cat, means[cat], floor)
		}
	}
}

// relGroupOf maps a hit's URL to its translation group.
func relGroupOf(t *testing.T, c relCorpus, origins map[string]string, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("hit URL %q: %v", raw, err)
	}
	site := origins[u.Scheme+"://"+u.Host]
	slug := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), ".html")
	slug = slug[strings.LastIndexByte(slug, '/')+1:]
	g, ok := c.bySlug[site+"/"+slug]
	if !ok {
		t.Fatalf("hit URL %q is no demo practice page", raw)
	}
	return g
}

// relTable renders the per-category means as a markdown table and returns
// the nDCG means by category ("all" for every query).
func relTable(outs []relOutcome) (string, map[string]float64) {
	type acc struct {
		n         int
		ndcg, mrr float64
	}
	by := map[string]*acc{"all": {}}
	for _, o := range outs {
		for _, k := range []string{o.q.Category, "all"} {
			if by[k] == nil {
				by[k] = &acc{}
			}
			by[k].n++
			by[k].ndcg += o.ndcg
			by[k].mrr += o.rr
		}
	}
	var b strings.Builder
	b.WriteString("| category | queries | nDCG@10 | MRR | threshold |\n|---|---:|---:|---:|---:|\n")
	means := map[string]float64{}
	for _, cat := range append(slices.Clone(relCategories), "all") {
		a := by[cat]
		if a == nil || a.n == 0 {
			continue
		}
		means[cat] = a.ndcg / float64(a.n)
		name := cat
		if cat == "all" {
			name = "**overall**"
		}
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %.2f |\n", name, a.n, means[cat], a.mrr/float64(a.n), relThresholds[cat])
	}
	return b.String(), means
}

// relWorst lists the n queries with the lowest nDCG@10, what came back
// (group:grade) and the relevant practices that did not.
func relWorst(outs []relOutcome, n int) string {
	sorted := slices.Clone(outs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ndcg < sorted[j].ndcg })
	var b strings.Builder
	for _, o := range sorted[:min(n, len(sorted))] {
		fmt.Fprintf(&b, "- %s [%s, ui=%s] %q", o.q.ID, o.q.Category, o.q.UI, o.q.Q)
		if len(o.q.Filters) > 0 {
			fmt.Fprintf(&b, " %s", o.q.Filters.Encode())
		}
		fmt.Fprintf(&b, ": nDCG %.3f, RR %.2f\n    got:", o.ndcg, o.rr)
		if len(o.groups) == 0 {
			b.WriteString(" nothing")
		}
		for i, g := range o.groups {
			fmt.Fprintf(&b, " %d.%s:%d", i+1, g, o.grades[i])
		}
		var missed []string
		for g, grade := range o.q.Grades {
			if grade >= 2 && !slices.Contains(o.groups, g) {
				missed = append(missed, fmt.Sprintf("%s:%d (%s)", g, grade, o.q.Reasons[g]))
			}
		}
		sort.Strings(missed)
		if len(missed) > 0 {
			fmt.Fprintf(&b, "\n    missed: %s", strings.Join(missed, "; "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// relDemoIndex crawls the demo sites into a fresh index and returns it
// with the origin of each site ("http://127.0.0.1:port" -> site name).
func relDemoIndex(t *testing.T, c relCorpus) (*indexer.Index, map[string]string) {
	t.Helper()
	ctx := t.Context()
	running, err := demo.Start(ctx)
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	t.Cleanup(running.Close)
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatalf("indexer.Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	sum, err := recrawl.Run(ctx, crawler.New(crawler.Config{AllowPrivateNetworks: true}), ix, running.Sources(), recrawl.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("crawling the demo sites: %v", err)
	}
	if n, err := ix.Count(ctx); err != nil || n != uint64(len(c.bySlug)) {
		t.Fatalf("index holds %d practices (err %v) after a crawl of %+v; want every demo page (%d)", n, err, sum.Total, len(c.bySlug))
	}
	origins := map[string]string{} // "http://127.0.0.1:port" -> site
	for _, s := range running.Sites() {
		origins[running.URL(s.Name)] = s.Name
	}
	return ix, origins
}
