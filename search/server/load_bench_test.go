package server_test

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casebook-project/casebook/search/server"
)

// loadClients is how many clients BenchmarkLoad runs at once.
const loadClients = 16

// loadQueries mixes what visitors send: words in three languages, a
// phrase, filters, facet browsing, deep pages, type-ahead and bad input.
var loadQueries = []string{
	"/api/v1/search?q=Wohnen&ui=de",
	"/api/v1/search?q=housing+refugees",
	"/api/v1/search?q=%22one-stop+shop%22&lang=en",
	"/api/v1/search?q=int%C3%A9gration&ui=fr&city=Lisbon",
	"/api/v1/search?theme=housing-urban&theme=refugees&sort=newest",
	"/api/v1/search?q=a~2+e*&size=100",
	"/api/v1/search?page=10&size=100",
	"/api/v1/suggest?q=lis&ui=fr",
	"/api/v1/facets?ui=de",
	"/api/v1/search?size=abc", // 400 is the right answer, not an error
}

// BenchmarkLoad runs loadClients concurrent clients over loopback HTTP
// against Serve (real router, real index) for b.N requests in all, and
// reports errors (transport failures and 5xx; must be 0) and latency
// percentiles. It is bounded by b.N: go test -run=- -bench=Load
// -benchtime=2000x ./search/server.
func BenchmarkLoad(b *testing.B) {
	addr := serveTCP(b, server.Config{})
	tr := &http.Transport{MaxIdleConnsPerHost: loadClients}
	b.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	base := "http://" + addr
	for _, q := range loadQueries { // warm up and check every query
		res, err := client.Get(base + q)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			b.Fatalf("%s: %d", q, res.StatusCode)
		}
	}

	var (
		next   atomic.Int64
		errs   atomic.Int64
		mu     sync.Mutex
		lat    = make([]time.Duration, 0, b.N)
		wg     sync.WaitGroup
		target = int64(b.N)
	)
	b.ResetTimer()
	for range loadClients {
		wg.Go(func() {
			var mine []time.Duration
			for {
				i := next.Add(1) - 1
				if i >= target {
					break
				}
				u := base + loadQueries[i%int64(len(loadQueries))]
				start := time.Now()
				res, err := client.Get(u)
				if err != nil {
					errs.Add(1)
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mine = append(mine, time.Since(start))
				if err != nil || res.StatusCode >= 500 {
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()

	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(errs.Load()), "errors")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(loadClients, "clients")
	if n := errs.Load(); n > 0 {
		b.Errorf("%d of %d requests failed", n, b.N)
	}
}
