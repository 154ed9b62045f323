package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/casebook-project/casebook/cmd/casebook/benchcorpus"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

// benchClients is how many HTTP clients send the mix at once.
const benchClients = 2

// benchSettings says what one benchmark run measures.
type benchSettings struct {
	N       int    // practices generated and imported
	Queries int    // size of the query mix
	Seed    int64  // corpus seed; the query mix uses it too
	Passes  int    // timed passes of the mix (after one warm-up pass)
	Dir     string // fresh directory for the corpus file and the index
	Log     *slog.Logger
	Reuse   bool // Dir holds the index of an earlier run: search it, do not import
	// Facets is the facets parameter of every query: the facets counted
	// ("" counts every facet).
	Facets string
	// NoBleve skips timing the queries on Bleve alone (its columns are n/a).
	NoBleve bool
}

// benchImported records an import in the work directory, so that a later
// run with --reuse can search the same index.
type benchImported struct {
	N             int     `json:"n"`
	Seed          int64   `json:"seed"`
	ImportSeconds float64 `json:"import_s"`
	IndexMB       float64 `json:"index_mb"`
}

const benchImportedFile = "imported.json"

// latency is a latency distribution in milliseconds.
type latency struct {
	P50 float64 `json:"p50_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// benchFigures are the raw figures of one run (the --json output).
type benchFigures struct {
	N              int      `json:"n"`
	Queries        int      `json:"queries"`
	Passes         int      `json:"timed_passes"`
	Seed           int64    `json:"seed"`
	ImportSeconds  float64  `json:"import_s"`
	ImportDocsPerS float64  `json:"import_docs_per_s"`
	IndexMB        float64  `json:"index_mb"`
	WarmSeconds    float64  `json:"warm_s"` // Engine.Warm after opening the index
	InProcess      latency  `json:"in_process"`
	HTTP           latency  `json:"http"`
	HTTPReqPerS    float64  `json:"http_req_per_s"`
	HTTPClients    int      `json:"http_clients"`
	Facets         string   `json:"facets"`     // the facets counted ("all": every facet)
	HTTPAnswers200 int      `json:"http_200"`   // answers checked: 200, hits and exactly the facets asked for (warm-up included)
	RSSMB          *float64 `json:"rss_mb"`     // median resident memory during the timed HTTP passes; nil where /proc/self/status has no VmRSS
	RSSMaxMB       *float64 `json:"rss_max_mb"` // the highest sample
	Bleve          latency  `json:"bleve"`
	BleveHighlight latency  `json:"bleve_highlight"`
	ZeroHitQueries int      `json:"zero_hit_queries"`       // casebook found nothing
	BleveZeroHits  int      `json:"bleve_zero_hit_queries"` // the plain Bleve request found nothing
	// Bleve alone is timed on its own index, with term vectors (its
	// phrase queries and highlighter read them): its import and size.
	BleveImportDocsPerS float64 `json:"bleve_import_docs_per_s,omitempty"`
	BleveIndexMB        float64 `json:"bleve_index_mb,omitempty"`
}

// runBenchmark generates s.N practices, imports them into a fresh index
// under s.Dir, serves it and measures the query mix in process, over HTTP
// and with Bleve alone.
func runBenchmark(ctx context.Context, s benchSettings) (*benchFigures, error) {
	f := &benchFigures{N: s.N, Queries: s.Queries, Passes: s.Passes, Seed: s.Seed, HTTPClients: benchClients, Facets: cmp.Or(s.Facets, "all")}
	log := s.Log
	corpus := filepath.Join(s.Dir, "corpus.jsonl")
	dir := filepath.Join(s.Dir, "index")

	if s.Reuse {
		var rec benchImported
		data, err := os.ReadFile(filepath.Join(s.Dir, benchImportedFile))
		if err == nil {
			err = json.Unmarshal(data, &rec)
		}
		if err != nil {
			return nil, fmt.Errorf("--reuse: no finished import in %s: %w", s.Dir, err)
		}
		if rec.N != s.N || rec.Seed != s.Seed {
			return nil, fmt.Errorf("--reuse: %s holds %d practices of seed %d, not %d of seed %d", s.Dir, rec.N, rec.Seed, s.N, s.Seed)
		}
		f.ImportSeconds, f.IndexMB = rec.ImportSeconds, rec.IndexMB
		f.ImportDocsPerS = float64(s.N) / rec.ImportSeconds
		log.Info("reusing the index of an earlier run", "index", dir)
	} else {
		if err := benchGenerateAndImport(ctx, s, corpus, dir, f); err != nil {
			return nil, err
		}
	}

	ix, err := indexer.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	defer ix.Close()
	tuneGC() // as serve does
	eng := search.New(ix)
	eng.SetLogger(log)
	// Every timed query is computed: answers to repeated requests are not
	// taken from the result cache (the timed passes repeat the warm-up's
	// mix). The per-word cache stays on, warmed by the warm-up pass.
	eng.DisableResultCache()
	// As `casebook serve` does at start-up: build the engine's in-memory
	// copy of the index before the first search.
	start := time.Now()
	if err := eng.Warm(ctx); err != nil {
		return nil, fmt.Errorf("warm the engine: %w", err)
	}
	f.WarmSeconds = time.Since(start).Seconds()
	debug.FreeOSMemory() // as serve does after warming
	log.Info("engine warmed", "took_s", f.WarmSeconds)
	mix := benchQueryMix(uint64(s.Seed), s.Queries)
	for i := range mix {
		mix[i].Facets = s.Facets
	}
	reqs := make([]search.Request, len(mix))
	for i, q := range mix {
		if reqs[i], err = search.ParseRequest(q.values(), ""); err != nil {
			return nil, fmt.Errorf("query %d (%s): %w", i+1, q.values().Encode(), err)
		}
	}

	log.Info("in process", "queries", len(mix), "passes", s.Passes)
	zero := 0
	f.InProcess, err = timePasses(ctx, s.Passes, len(reqs), func(ctx context.Context, i int, warm bool) error {
		res, err := eng.Search(ctx, reqs[i])
		if err != nil {
			return fmt.Errorf("search %s: %w", mix[i].values().Encode(), err)
		}
		if warm && res.Total == 0 {
			zero++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.ZeroHitQueries = zero
	log.Info("in process done", "p50_ms", f.InProcess.P50, "p99_ms", f.InProcess.P99, "zero_hit_queries", zero)

	log.Info("over HTTP", "clients", benchClients)
	if err := benchHTTP(ctx, s, eng, ix, mix, f); err != nil {
		return nil, err
	}

	if s.NoBleve {
		log.Info("Bleve alone skipped (--bleve=false)")
		return f, nil
	}
	bix, err := benchBleveIndex(ctx, s, corpus, f)
	if err != nil {
		return nil, err
	}
	defer bix.Close()
	bx := bix.Bleve()
	for _, hl := range []bool{false, true} {
		log.Info("Bleve alone", "highlight", hl)
		breqs := make([]*bleve.SearchRequest, len(mix))
		for i, q := range mix {
			breqs[i] = bleveRequest(q, hl)
		}
		zero := 0
		lat, err := timePasses(ctx, s.Passes, len(breqs), func(ctx context.Context, i int, warm bool) error {
			res, err := bx.SearchInContext(ctx, breqs[i])
			if err != nil {
				return fmt.Errorf("bleve search %s: %w", mix[i].values().Encode(), err)
			}
			if warm && res.Total == 0 {
				zero++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if hl {
			f.BleveHighlight = lat
		} else {
			f.Bleve = lat
			f.BleveZeroHits = zero
		}
	}
	return f, nil
}

// benchBleveIndexFile records the import of the index Bleve alone is
// timed on, for --reuse.
const benchBleveIndexFile = "imported-bleve.json"

// benchBleveIndex opens the index Bleve alone is timed on, importing the
// corpus into it first unless an earlier run did. casebook's own index
// keeps no term vectors (its positions are stored compactly, for its
// in-memory copy), so Bleve alone would match no phrase there and could
// not highlight: it gets an index with term vectors, as Bleve needs.
func benchBleveIndex(ctx context.Context, s benchSettings, corpus string, f *benchFigures) (*indexer.Index, error) {
	dir := filepath.Join(s.Dir, "index-bleve")
	recFile := filepath.Join(s.Dir, benchBleveIndexFile)
	var rec benchImported
	data, err := os.ReadFile(recFile)
	if err == nil {
		err = json.Unmarshal(data, &rec)
	}
	if err != nil || rec.N != s.N || rec.Seed != s.Seed {
		s.Log.Info("importing the index for Bleve alone (with term vectors)", "index", dir)
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove %s: %w", dir, err)
		}
		keep := indexer.KeepTermVectors
		indexer.KeepTermVectors = true
		secs, err := benchImport(ctx, corpus, dir, s.N)
		indexer.KeepTermVectors = keep
		if err != nil {
			return nil, fmt.Errorf("index for Bleve alone: %w", err)
		}
		size, err := dirSize(dir)
		if err != nil {
			return nil, err
		}
		rec = benchImported{N: s.N, Seed: s.Seed, ImportSeconds: secs, IndexMB: float64(size) / (1 << 20)}
		data, err := json.Marshal(rec)
		if err != nil {
			return nil, fmt.Errorf("record the import: %w", err)
		}
		if err := os.WriteFile(recFile, data, 0o644); err != nil {
			return nil, fmt.Errorf("record the import: %w", err)
		}
	}
	f.BleveImportDocsPerS = float64(s.N) / rec.ImportSeconds
	f.BleveIndexMB = rec.IndexMB
	s.Log.Info("index for Bleve alone", "import_docs_per_s", int(f.BleveImportDocsPerS), "index_mb", int(f.BleveIndexMB))
	ix, err := indexer.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if !ix.TermVectors() {
		ix.Close()
		return nil, fmt.Errorf("index for Bleve alone %s keeps no term vectors: remove it", dir)
	}
	return ix, nil
}

// benchGenerateAndImport writes the corpus, imports it into a fresh index,
// fills the import figures and records the import for --reuse.
func benchGenerateAndImport(ctx context.Context, s benchSettings, corpus, dir string, f *benchFigures) error {
	log := s.Log
	log.Info("generating corpus", "seed", s.Seed, "file", corpus)
	if err := writeCorpus(ctx, corpus, s.N, s.Seed); err != nil {
		return err
	}
	log.Info("importing", "index", dir)
	secs, err := benchImport(ctx, corpus, dir, s.N)
	if err != nil {
		return err
	}
	f.ImportSeconds = secs
	f.ImportDocsPerS = float64(s.N) / secs
	size, err := dirSize(dir)
	if err != nil {
		return err
	}
	f.IndexMB = float64(size) / (1 << 20)
	log.Info("imported", "docs_per_s", int(f.ImportDocsPerS), "index_mb", int(f.IndexMB))

	rec, err := json.Marshal(benchImported{N: s.N, Seed: s.Seed, ImportSeconds: f.ImportSeconds, IndexMB: f.IndexMB})
	if err != nil {
		return fmt.Errorf("record the import: %w", err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, benchImportedFile), rec, 0o644); err != nil {
		return fmt.Errorf("record the import: %w", err)
	}
	return nil
}

// writeCorpus writes the corpus as JSON Lines to file.
func writeCorpus(ctx context.Context, file string, n int, seed int64) error {
	out, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("create corpus: %w", err)
	}
	if _, err := benchcorpus.WriteJSONL(ctx, out, n, seed); err != nil {
		out.Close()
		return fmt.Errorf("write corpus %s: %w", file, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write corpus %s: %w", file, err)
	}
	return nil
}

// benchImport imports the JSON Lines of corpus into a fresh index at dir
// the way `casebook import` does, and closes it: the time returned runs
// from opening the file until the index is flushed and closed.
func benchImport(ctx context.Context, corpus, dir string, want int) (float64, error) {
	prev := debug.SetGCPercent(-1) // read the setting (and put it back at once)
	debug.SetGCPercent(prev)
	tuneImportGC() // as `casebook import` does
	defer debug.SetGCPercent(prev)
	start := time.Now()
	in, err := os.Open(corpus)
	if err != nil {
		return 0, fmt.Errorf("open corpus: %w", err)
	}
	defer in.Close()
	ix, err := indexer.Open(dir)
	if err != nil {
		return 0, fmt.Errorf("open index %s: %w", dir, err)
	}
	var bad error
	n, err := indexer.ImportJSONL(ctx, ix, in, func(line int, err error) {
		bad = errors.Join(bad, fmt.Errorf("line %d: %w", line, err))
	})
	if err != nil {
		ix.Close()
		return 0, fmt.Errorf("%s: %w", corpus, err)
	}
	if err := ix.Close(); err != nil {
		return 0, fmt.Errorf("close index: %w", err)
	}
	secs := time.Since(start).Seconds()
	if bad != nil {
		return 0, fmt.Errorf("imported %d of %d generated practices: %w", n, want, bad)
	}
	if n != want {
		return 0, fmt.Errorf("imported %d of %d generated practices", n, want)
	}
	return secs, nil
}

// timePasses calls do for every query index once untimed (warm is true),
// then passes times timed, and returns the distribution of the timed calls.
func timePasses(ctx context.Context, passes, n int, do func(ctx context.Context, i int, warm bool) error) (latency, error) {
	for i := range n {
		if err := do(ctx, i, true); err != nil {
			return latency{}, err
		}
	}
	lat := make([]time.Duration, 0, passes*n)
	for range passes {
		for i := range n {
			start := time.Now()
			if err := do(ctx, i, false); err != nil {
				return latency{}, err
			}
			lat = append(lat, time.Since(start))
		}
	}
	return distribution(lat), nil
}

// benchHTTP serves eng with the real server on 127.0.0.1:0 and sends the
// mix from benchClients clients at once: one warm-up pass, then s.Passes
// timed ones. It fills the HTTP figures and the resident memory, read
// while the server still serves, after the mix.
func benchHTTP(ctx context.Context, s benchSettings, eng *search.Engine, ix *indexer.Index, mix []benchQuery, f *benchFigures) error {
	srv, err := server.New(server.Config{Engine: eng, Index: ix, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	defer func() {
		stop()
		<-served
	}()

	base := "http://" + ln.Addr().String() + "/api/v1/search?"
	urls := make([]string, len(mix))
	for i, q := range mix {
		urls[i] = base + q.values().Encode()
	}
	want := search.Facets
	switch s.Facets {
	case "":
	case "none":
		want = nil
	default:
		want = strings.Split(s.Facets, ",")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}
	defer client.CloseIdleConnections()
	// The warm-up pass decodes and checks every answer and keeps a hash of
	// it; a timed pass compares each answer's hash with the warm-up's
	// (took_ms aside) and decodes only an answer that differs. The client
	// shares the 2 cores with the server: decoding every answer (~6% of
	// the CPU) slowed the server it was timing.
	seen := make([]uint64, len(urls))
	var mu sync.Mutex
	get := func(ctx context.Context, i int, warm bool) (time.Duration, error) {
		var known uint64
		if !warm {
			known = seen[i]
		}
		took, sum, err := benchGet(ctx, client, urls[i], want, known)
		if err != nil {
			return 0, err
		}
		mu.Lock()
		f.HTTPAnswers200++
		if warm {
			seen[i] = sum
		}
		mu.Unlock()
		return took, nil
	}

	if _, _, err := httpPass(ctx, len(urls), true, get); err != nil { // warm-up
		return err
	}
	// Resident memory while serving: sampled through the timed passes (a
	// single reading lands anywhere between two garbage collections).
	samples := sampleRSS(sctx, 50*time.Millisecond)
	var all []time.Duration
	var wall time.Duration
	for range s.Passes {
		lat, d, err := httpPass(ctx, len(urls), false, get)
		if err != nil {
			return err
		}
		all = append(all, lat...)
		wall += d
	}
	f.HTTP = distribution(all)
	f.HTTPReqPerS = float64(len(all)) / wall.Seconds()
	if rss := samples(); len(rss) > 0 {
		slices.Sort(rss)
		med, top := rss[len(rss)/2], rss[len(rss)-1]
		f.RSSMB, f.RSSMaxMB = &med, &top
		if !s.Reuse {
			// The import ran in this process and left some of its memory
			// behind (about 15 MB at 10,000 practices, 60 at 100,000).
			s.Log.Info("resident memory measured in the process that imported; --reuse measures a process that only serves, as `casebook serve` does", "rss_mb", int(med))
		}
	} else {
		s.Log.Info("resident memory not measured: no VmRSS in /proc/self/status")
	}
	select {
	case err := <-served:
		return fmt.Errorf("server stopped: %w", err)
	default:
	}
	return nil
}

// httpPass sends each of the n requests once, benchClients at a time, and
// returns the latency of each request and the wall time of the pass.
func httpPass(ctx context.Context, n int, warm bool, get func(ctx context.Context, i int, warm bool) (time.Duration, error)) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		mu    sync.Mutex
		lat   = make([]time.Duration, 0, n)
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range benchClients {
		wg.Go(func() {
			for i := range next {
				d, err := get(ctx, i, warm)
				mu.Lock()
				if err != nil && first == nil {
					first = err
					cancel()
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	wall := time.Since(start)
	if first != nil {
		return nil, 0, first
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	return lat, wall, nil
}

// benchGet runs one search over HTTP and reads the whole answer. It returns
// the answer's hash (answerHash); an answer whose hash is not known (0: none
// known yet) is decoded and checked: a 200 JSON answer with exactly the
// facets wanted.
func benchGet(ctx context.Context, client *http.Client, u string, want []string, known uint64) (time.Duration, uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("request %s: %w", u, err)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("GET %s: %w", u, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start) // until the whole answer is read; checking it is the client's own work
	if err != nil {
		return 0, 0, fmt.Errorf("GET %s: read answer: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s: %s: %s", u, resp.Status, body)
	}
	sum := answerHash(body)
	if known != 0 && sum == known {
		return took, sum, nil
	}
	var res struct {
		Hits   []json.RawMessage          `json:"hits"`
		Facets map[string]json.RawMessage `json:"facets"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return 0, 0, fmt.Errorf("GET %s: answer: %w", u, err)
	}
	for _, facet := range want {
		if _, ok := res.Facets[facet]; !ok {
			return 0, 0, fmt.Errorf("GET %s: answer without facet %q", u, facet)
		}
	}
	if len(res.Facets) != len(want) {
		return 0, 0, fmt.Errorf("GET %s: answer with %d facets, want %d (%v)", u, len(res.Facets), len(want), want)
	}
	return took, sum, nil
}

// answerHash hashes a search answer without the value of its took_ms (the
// only part of an answer that changes when the same search is repeated on
// the same index). It is never 0.
func answerHash(body []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(answerSeed)
	const key = `"took_ms":`
	if i := bytes.Index(body, []byte(key)); i >= 0 {
		i += len(key)
		j := i
		for j < len(body) && body[j] != ',' && body[j] != '}' {
			j++
		}
		h.Write(body[:i])
		h.Write(body[j:])
	} else {
		h.Write(body)
	}
	return max(h.Sum64(), 1)
}

var answerSeed = maphash.MakeSeed()

// distribution sorts lat and returns its median, 99th percentile and
// maximum (nearest rank).
func distribution(lat []time.Duration) latency {
	slices.Sort(lat)
	return latency{P50: quantileMS(lat, 0.50), P99: quantileMS(lat, 0.99), Max: quantileMS(lat, 1)}
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

// sampleRSS reads the resident memory every interval until the returned
// function is called, which returns the samples in MB (none where the
// system does not tell).
func sampleRSS(ctx context.Context, interval time.Duration) func() []float64 {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan []float64)
	go func() {
		var out []float64
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if rss, err := vmRSS(); err == nil {
				out = append(out, rss)
			}
			select {
			case <-ctx.Done():
				done <- out
				return
			case <-t.C:
			}
		}
	}()
	return func() []float64 {
		cancel()
		return <-done
	}
}

// vmRSS reads the resident set size of this process in MB (Linux only).
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
	return 0, errors.New("no VmRSS in /proc/self/status")
}
