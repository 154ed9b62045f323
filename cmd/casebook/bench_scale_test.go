package main

import (
	"log/slog"
	"os"
	"strconv"
	"testing"
)

// BenchmarkScale runs what `casebook bench --n $CASEBOOK_BENCH_N` runs for
// one N (generate, import, serve, the 500-query mix in process, over HTTP
// with two clients and with Bleve alone) and reports its figures as
// benchmark metrics. Each b.Loop iteration is one whole run:
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
	var f *benchFigures
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		f, err = runBenchmark(b.Context(), benchSettings{
			N: n, Queries: benchDefaultQueries, Seed: benchDefaultSeed, Passes: benchDefaultPasses,
			Dir: dir, Log: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// Reported after b.Loop, which resets the metrics reported before it.
	for _, m := range []struct {
		v    float64
		unit string
	}{
		{f.ImportDocsPerS, "import_docs/s"}, {f.IndexMB, "index_MB"},
		{f.InProcess.P50, "inproc_p50_ms"}, {f.InProcess.P99, "inproc_p99_ms"},
		{f.HTTP.P50, "http_p50_ms"}, {f.HTTP.P99, "http_p99_ms"}, {f.HTTPReqPerS, "http_req/s"},
		{f.Bleve.P50, "bleve_p50_ms"}, {f.Bleve.P99, "bleve_p99_ms"},
		{f.BleveHighlight.P50, "bleve_hl_p50_ms"}, {f.BleveHighlight.P99, "bleve_hl_p99_ms"},
		{float64(f.ZeroHitQueries), "zero_hit_queries"},
	} {
		b.ReportMetric(m.v, m.unit)
	}
	if f.RSSMB != nil {
		b.ReportMetric(*f.RSSMB, "rss_MB")
	}
}
