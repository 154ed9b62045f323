package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/search"
)

// Defaults of `casebook bench` (DESIGN.md "Targets").
const (
	benchDefaultN       = "10000,100000"
	benchDefaultQueries = 500
	// benchDefaultFacets are the facets DESIGN.md's peers count.
	benchDefaultFacets = "city,theme,lang"
	benchDefaultSeed   = 2026
	benchDefaultPasses = 1
)

const benchCorpusUsage = "bench corpus [--n 10000] [--seed 2026] [--out FILE]"

// runBench is `casebook bench`: for each N, generate the corpus, import it
// into a fresh index, serve it and measure the query mix in process, over
// HTTP and with Bleve alone; print a Markdown table, one row per N.
// `casebook bench corpus` only writes the corpus as JSON Lines.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "corpus" {
		return runBenchCorpus(ctx, args[1:], stdout)
	}
	fs := newFlags("bench")
	var ns, dir, jsonFile, facets string
	var queries, passes int
	var seed int64
	var keep, reuse bool
	withBleve := true
	fs.StringVar(&ns, "n", benchDefaultN, "comma-separated corpus sizes")
	fs.IntVar(&queries, "queries", benchDefaultQueries, "queries in the mix")
	fs.Int64Var(&seed, "seed", benchDefaultSeed, "seed of the corpus and of the query mix")
	fs.IntVar(&passes, "passes", benchDefaultPasses, "timed passes of the mix after the warm-up pass")
	fs.StringVar(&dir, "dir", "", "work directory (default: a new temporary directory)")
	fs.BoolVar(&keep, "keep", false, "keep the corpora and indexes")
	fs.BoolVar(&reuse, "reuse", false, "with --dir: search the indexes a run with --keep left there (same seed) instead of importing again; the import figures are those of that run")
	fs.StringVar(&jsonFile, "json", "", "also write the raw figures as JSON to this file")
	fs.BoolVar(&withBleve, "bleve", true, "also time the same queries on Bleve alone (the slowest part of a run)")
	fs.StringVar(&facets, "facets", benchDefaultFacets, `the facets every query counts (the search parameter facets), or "all"`)
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	sizes, err := parseSizes(ns)
	if err != nil {
		return err
	}
	if queries <= 0 {
		return usagef("--queries must be positive")
	}
	if passes <= 0 {
		return usagef("--passes must be positive")
	}
	if facets == "all" {
		facets = ""
	} else {
		r, err := search.ParseRequest(url.Values{"facets": {facets}}, "")
		if err != nil {
			return usagef("--facets %q: %v", facets, err)
		}
		facets = strings.Join(r.Counts, ",")
		if facets == "" {
			facets = "none"
		}
	}
	if reuse && dir == "" {
		return usagef("--reuse needs --dir")
	}
	if reuse {
		keep = true
	}

	if dir == "" {
		if dir, err = os.MkdirTemp("", "casebook-bench-"); err != nil {
			return fmt.Errorf("work directory: %w", err)
		}
		if !keep {
			defer os.RemoveAll(dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	var all []*benchFigures
	for _, n := range sizes {
		sub := filepath.Join(dir, strconv.Itoa(n))
		_, statErr := os.Stat(sub)
		switch {
		case reuse && statErr == nil:
		case statErr == nil:
			return fmt.Errorf("%s exists: remove it, choose another --dir or pass --reuse", sub)
		default:
			if err := os.Mkdir(sub, 0o755); err != nil {
				return fmt.Errorf("work directory: %w", err)
			}
		}
		f, err := runBenchmark(ctx, benchSettings{
			N: n, Queries: queries, Seed: seed, Passes: passes, Dir: sub, Log: log.With("n", n), Reuse: reuse, Facets: facets, NoBleve: !withBleve,
		})
		if !keep {
			os.RemoveAll(sub)
		}
		if err != nil {
			return fmt.Errorf("n=%d: %w", n, err)
		}
		all = append(all, f)
	}
	if keep {
		log.Info("kept corpora and indexes", "dir", dir)
	}
	writeBenchTable(stdout, all)
	if jsonFile != "" {
		data, err := json.MarshalIndent(all, "", "  ")
		if err != nil {
			return fmt.Errorf("figures: %w", err)
		}
		if err := os.WriteFile(jsonFile, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("write figures: %w", err)
		}
	}
	return nil
}

// runBenchCorpus is `casebook bench corpus`: the generated practices as
// JSON Lines, for `casebook import`.
func runBenchCorpus(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("bench corpus")
	var n int
	var seed int64
	var out string
	fs.IntVar(&n, "n", 10000, "number of practices")
	fs.Int64Var(&seed, "seed", benchDefaultSeed, "seed")
	fs.StringVar(&out, "out", "", "output file (default: standard output)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if n <= 0 {
		return usagef("--n must be positive")
	}
	if out == "" {
		_, err := benchcorpus.WriteJSONL(ctx, stdout, n, seed)
		return err
	}
	return writeCorpus(ctx, out, n, seed)
}

// parseSizes reads --n: comma-separated positive numbers; "_" may group
// digits (100_000).
func parseSizes(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		part = strings.ReplaceAll(strings.TrimSpace(part), "_", "")
		n, err := strconv.Atoi(part)
		if err != nil || n <= 0 {
			return nil, usagef("--n %q: want comma-separated positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// writeBenchTable prints the figures as a Markdown table, one row per N.
func writeBenchTable(w io.Writer, all []*benchFigures) {
	fmt.Fprintln(w, "| N | import docs/s | index MB | in process p50 / p99 ms | HTTP p50 / p99 ms | HTTP req/s (2 clients) | RSS MB serving, median (max) | Bleve alone p50 / p99 ms | Bleve + highlight p50 / p99 ms | in process vs Bleve p50 / p99 | HTTP vs Bleve p50 / p99 | Bleve alone import docs/s / index MB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, f := range all {
		rss := "n/a"
		if f.RSSMB != nil && f.RSSMaxMB != nil {
			rss = fmt.Sprintf("%.0f (max %.0f)", *f.RSSMB, *f.RSSMaxMB)
		}
		bleveIndex := "n/a"
		if f.BleveImportDocsPerS > 0 {
			bleveIndex = fmt.Sprintf("%s / %.0f", thousands(f.BleveImportDocsPerS), f.BleveIndexMB)
		}
		fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			thousands(float64(f.N)), thousands(f.ImportDocsPerS), f.IndexMB,
			pair(f.InProcess), pair(f.HTTP), thousands(f.HTTPReqPerS), rss,
			pair(f.Bleve), pair(f.BleveHighlight),
			ratios(f.InProcess, f.Bleve), ratios(f.HTTP, f.Bleve), bleveIndex)
	}
}

func pair(l latency) string {
	if l.P50 == 0 && l.P99 == 0 {
		return "n/a" // not measured
	}
	return ms(l.P50) + " / " + ms(l.P99)
}

// ms formats a latency with two significant digits below 10 ms.
func ms(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return thousands(v)
}

// ratios is casebook's latency as a multiple of Bleve alone's: "0.4× / 1.2×".
func ratios(l, bleve latency) string {
	r := func(a, b float64) string {
		if b <= 0 {
			return "n/a"
		}
		return strconv.FormatFloat(a/b, 'f', 2, 64) + "×"
	}
	return r(l.P50, bleve.P50) + " / " + r(l.P99, bleve.P99)
}

// thousands rounds v and groups its digits by three: 12,345.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
