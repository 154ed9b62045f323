package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

// Scale benchmark settings (issue 7, DESIGN.md "Targets").
const (
	scaleSeed      = 2026 // corpus seed
	scaleQuerySeed = 7    // query-mix seed
	scaleQueries   = 500
	scaleBatch     = 1000 // practices per Upsert call
)

// BenchmarkScale imports CASEBOOK_BENCH_N generated practices into a fresh
// on-disk index, serves it over loopback HTTP and runs the 500-query mix
// sequentially from one client. Each b.Loop iteration is one pass of the
// mix; p50/p99 are over every request of every timed pass. Run with e.g.
//
//	CASEBOOK_BENCH_N=10000 go test ./cmd/casebook -run '^$' -bench '^BenchmarkScale$' -benchtime 1x -timeout 2h
func BenchmarkScale(b *testing.B) {
	raw := os.Getenv("CASEBOOK_BENCH_N")
	if raw == "" {
		b.Skip("set CASEBOOK_BENCH_N (e.g. 10000 or 100000) to run the scale benchmark")
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		b.Fatalf("CASEBOOK_BENCH_N=%q: want a positive number", raw)
	}
	ctx := b.Context()
	dir := filepath.Join(b.TempDir(), "index")

	docsPerSec, indexMB := scaleImport(ctx, b, dir, n)

	ix, err := indexer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	srv, err := server.New(server.Config{Engine: search.New(ix), Index: ix, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			b.Error(err)
		}
	}()

	base := "http://" + ln.Addr().String() + "/api/v1/search?"
	queries := scaleQueryMix(scaleQuerySeed, scaleQueries)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}

	// One untimed pass warms the caches of the OS and of the process.
	zero := 0
	for _, q := range queries {
		_, total := scaleGet(ctx, b, client, base+q)
		if total == 0 {
			zero++
		}
	}
	var lat []time.Duration
	for b.Loop() {
		for _, q := range queries {
			d, _ := scaleGet(ctx, b, client, base+q)
			lat = append(lat, d)
		}
	}
	// Reported after b.Loop, which resets the metrics reported before it.
	b.ReportMetric(docsPerSec, "import_docs/s")
	b.ReportMetric(indexMB, "index_MB")
	slices.Sort(lat)
	b.ReportMetric(quantileMS(lat, 0.50), "p50_ms")
	b.ReportMetric(quantileMS(lat, 0.99), "p99_ms")
	b.ReportMetric(quantileMS(lat, 1), "max_ms")
	b.ReportMetric(float64(zero), "zero_hit_queries")
	if rss, err := vmRSS(); err != nil {
		b.Logf("RSS not measured: %v", err)
	} else {
		b.ReportMetric(rss, "rss_MB")
	}
}

// scaleImport generates n practices and upserts them in batches, timing
// only the Upsert calls. It closes the index and returns its size on disk.
func scaleImport(ctx context.Context, b *testing.B, dir string, n int) (docsPerSec, sizeMB float64) {
	b.Helper()
	seq, err := benchcorpus.Generate(n, scaleSeed)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := indexer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	var spent time.Duration
	batch := make([]indexer.Practice, 0, scaleBatch)
	flush := func() {
		start := time.Now()
		if err := ix.Upsert(ctx, batch); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		batch = batch[:0]
	}
	for p := range seq {
		if batch = append(batch, p); len(batch) == scaleBatch {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	count, err := ix.Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	spent += time.Since(start)
	b.Logf("imported %d practices (%d in the index) in %s", n, count, spent.Round(time.Millisecond))
	size, err := dirSize(dir)
	if err != nil {
		b.Fatal(err)
	}
	return float64(n) / spent.Seconds(), float64(size) / (1 << 20)
}

// scaleGet runs one search and returns its latency (until the whole body is
// read) and the total number of matches the answer reports.
func scaleGet(ctx context.Context, b *testing.B, client *http.Client, u string) (time.Duration, uint64) {
	b.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %s: %s", u, resp.Status, body)
	}
	var res struct {
		Total  uint64         `json:"total"`
		Hits   []any          `json:"hits"`
		Facets map[string]any `json:"facets"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		b.Fatalf("GET %s: %v", u, err)
	}
	if res.Facets == nil {
		b.Fatalf("GET %s: answer without facets", u)
	}
	return d, res.Total
}

// Query vocabulary of the mix, per language: words and phrases the
// practices use.
var (
	scaleWords = map[string][]string{
		"en": {"integration", "refugees", "housing", "youth", "school", "language", "neighbourhood", "mediation",
			"employment", "culture", "women", "festival", "volunteers", "migrants", "participation", "council",
			"health", "library", "sport", "discrimination", "welcome", "training", "mentoring", "families",
			"dialogue", "racism", "asylum", "newcomers", "jobs", "intercultural", "community", "children", "rumours"},
		"fr": {"intégration", "réfugiés", "logement", "jeunes", "école", "langue", "quartier", "médiation",
			"emploi", "culture", "femmes", "festival", "bénévoles", "migrants", "participation", "conseil",
			"santé", "bibliothèque", "sport", "discrimination", "accueil", "formation", "familles", "dialogue",
			"racisme", "asile", "associations", "interculturel", "ville", "enfants", "rumeurs", "habitants"},
		"de": {"Integration", "Geflüchtete", "Wohnen", "Jugendliche", "Schule", "Sprache", "Stadtteil", "Mediation",
			"Arbeit", "Kultur", "Frauen", "Fest", "Ehrenamtliche", "Migranten", "Beteiligung", "Rat",
			"Gesundheit", "Bibliothek", "Sport", "Diskriminierung", "Willkommen", "Ausbildung", "Familien",
			"Dialog", "Rassismus", "Asyl", "Vereine", "interkulturell", "Stadt", "Kinder", "Gerüchte", "Nachbarschaft"},
	}
	scalePhrases = map[string][]string{
		"en": {"language courses", "city council", "young people", "public space", "social workers", "asylum seekers"},
		"fr": {"cours de langue", "conseil municipal", "espace public", "travailleurs sociaux", "demandeurs d'asile", "vivre ensemble"},
		"de": {"soziale Arbeit", "junge Geflüchtete", "öffentlichen Raum", "Deutsch lernen", "der Stadt", "Menschen mit Migrationsgeschichte"},
	}
)

// scaleQueryMix builds the fixed query mix of DESIGN.md "Targets" as URL
// query strings: en/fr/de in turn, 1–3 words or a phrase (one in five),
// 40% with one or two filters (city, theme, lang, years), top 10 and
// facets (the API always counts them).
func scaleQueryMix(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, seed))
	cities := indexer.Cities()
	themes := indexer.Themes()
	out := make([]string, 0, n)
	for i := range n {
		lang := benchcorpus.Langs[i%len(benchcorpus.Langs)]
		v := url.Values{"ui": {lang}, "size": {"10"}}
		if rng.IntN(5) == 0 {
			v.Set("q", `"`+scalePhrases[lang][rng.IntN(len(scalePhrases[lang]))]+`"`)
		} else {
			words := scaleWords[lang]
			k := 1 + rng.IntN(3)
			q := make([]string, k)
			for j := range q {
				q[j] = words[rng.IntN(len(words))]
			}
			v.Set("q", strings.Join(q, " "))
		}
		if rng.IntN(10) < 4 {
			for range 1 + rng.IntN(2) {
				switch rng.IntN(4) {
				case 0:
					u := rng.Float64()
					v.Add("city", cities[int(float64(len(cities))*u*u*u)%len(cities)].Name)
				case 1:
					v.Add("theme", themes[rng.IntN(len(themes))].ID)
				case 2:
					v.Add("lang", benchcorpus.Langs[rng.IntN(len(benchcorpus.Langs))])
				default:
					from := benchcorpus.FirstYear + rng.IntN(benchcorpus.LastYear-benchcorpus.FirstYear)
					v.Set("year_from", strconv.Itoa(from))
					v.Set("year_to", strconv.Itoa(from+rng.IntN(benchcorpus.LastYear-from+1)))
				}
			}
		}
		out = append(out, v.Encode())
	}
	return out
}

// quantileMS is the q-quantile (nearest rank) of sorted latencies in ms.
func quantileMS(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i]) / float64(time.Millisecond)
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	return total, nil
}

// vmRSS reads the resident set size of this process in MB (Linux).
func vmRSS() (float64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read VmRSS: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0, fmt.Errorf("parse VmRSS %q: %w", rest, err)
			}
			return kb / 1024, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("read VmRSS: %w", err)
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}
