package indexer_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
)

// benchImportN is how many generated practices BenchmarkImportGenerated
// imports: CASEBOOK_BENCH_N, else 2,000.
func benchImportN(b *testing.B) int {
	if s := os.Getenv("CASEBOOK_BENCH_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("CASEBOOK_BENCH_N=%q: want a positive number", s)
		}
		return n
	}
	return 2000
}

// BenchmarkImportGenerated imports N generated practices
// (benchcorpus.Generate(N, 2026), as JSON Lines) into a fresh index with
// ImportJSONL and closes it, so the figure includes making the data
// durable. It reports practices/s and the index size on disk.
//
//	CASEBOOK_BENCH_N=10000 go test -run '^$' -bench ImportGenerated -benchtime 1x ./indexer
func BenchmarkImportGenerated(b *testing.B) {
	n := benchImportN(b)
	seq, err := benchcorpus.Generate(n, 2026)
	if err != nil {
		b.Fatal(err)
	}
	var jsonl bytes.Buffer
	enc := json.NewEncoder(&jsonl)
	for p := range seq {
		if err := enc.Encode(p); err != nil {
			b.Fatal(err)
		}
	}
	var size int64
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "index"+strconv.Itoa(i))
		ix, err := indexer.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		got, err := indexer.ImportJSONL(b.Context(), ix, bytes.NewReader(jsonl.Bytes()), func(line int, err error) {
			b.Errorf("line %d: %v", line, err)
		})
		if err != nil {
			b.Fatal(err)
		}
		if got != n {
			b.Fatalf("imported %d practices, want %d", got, n)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		size = dirSize(b, dir)
		b.StartTimer()
	}
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "practices/s")
	b.ReportMetric(cpu.Seconds()*1e6/float64(n*b.N), "cpu-µs/practice")
	b.ReportMetric(float64(size)/(1<<20), "MB")
}

func dirSize(b *testing.B, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		if testing.Verbose() {
			b.Logf("%s: %d bytes", d.Name(), info.Size())
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}
