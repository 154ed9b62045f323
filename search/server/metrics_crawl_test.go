package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

// TestMetricsCrawl: a crawl started through the admin API and run by the
// real job runner against a member site on loopback moves the crawl
// metrics of that source only; a second server over the same runner (one
// process, its own registry) knows the last successful crawl from the job
// history.
func TestMetricsCrawl(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	heard := make(chan recrawl.Job, 1)
	f.jobs.Observe(func(j recrawl.Job) { heard <- j }) // after the server's own observer
	get := func(t *testing.T) series {
		t.Helper()
		res, body := f.do(t, http.MethodGet, "/metrics", "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /metrics = %d", res.StatusCode)
		}
		return parseMetrics(t, bytes.NewReader(body))
	}
	pages := func(src, outcome string) string {
		return fmt.Sprintf("casebook_crawl_pages_total{outcome=%q,source=%q}", outcome, src)
	}

	before := get(t)
	for _, src := range []string{"icc", "oive"} {
		for _, o := range []string{"fetched", "added", "updated", "unchanged", "removed", "failed", "skipped"} {
			if v, ok := before[pages(src, o)]; !ok || v != 0 {
				t.Errorf("before any crawl %s = %v, %v; want a 0 series", pages(src, o), v, ok)
			}
		}
	}
	if v, ok := before[`casebook_crawl_last_success_timestamp_seconds{source="icc"}`]; ok {
		t.Errorf("last success of icc before any crawl = %v; want none", v)
	}

	res, body := f.admin(t, http.MethodPost, "/api/v1/admin/crawls", `{"sources": ["icc"]}`)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST crawls = %d %s", res.StatusCode, body)
	}
	j := <-heard
	if j.Status != recrawl.StatusSucceeded || len(j.Reports) != 1 || j.Reports[0].Added == 0 {
		t.Fatalf("crawl job %+v; want icc crawled with practices added", j)
	}
	rep := j.Reports[0]
	got := get(t)
	for key, want := range map[string]float64{
		pages("icc", "fetched"):   float64(rep.Fetched),
		pages("icc", "added"):     float64(rep.Added),
		pages("icc", "unchanged"): float64(rep.Unchanged),
		pages("icc", "failed"):    float64(rep.Failed),
		pages("icc", "skipped"):   float64(rep.Skipped),
		pages("oive", "fetched"):  0,
		`casebook_crawl_source_runs_total{result="ok",source="icc"}`:     1,
		`casebook_crawl_source_runs_total{result="failed",source="icc"}`: 0,
		`casebook_crawl_jobs_total{status="succeeded"}`:                  1,
		`casebook_crawl_duration_seconds_count{source="icc"}`:            1,
	} {
		if got[key] != want {
			t.Errorf("after the crawl %s = %v; want %v", key, got[key], want)
		}
	}
	if rep.Fetched == 0 {
		t.Errorf("report says 0 pages fetched")
	}
	last := got[`casebook_crawl_last_success_timestamp_seconds{source="icc"}`]
	if lo, hi := float64(j.StartedAt.Unix()), float64(j.FinishedAt.Unix()+1); last < lo || last > hi {
		t.Errorf("last success of icc = %v; want within the job, %v..%v", last, lo, hi)
	}
	if _, ok := got[`casebook_crawl_last_success_timestamp_seconds{source="oive"}`]; ok {
		t.Errorf("oive has a last success; it was never crawled")
	}

	s2, err := server.New(server.Config{Engine: search.New(f.ix), Index: f.ix, Jobs: f.jobs, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	again := scrape(t, s2.Handler())
	if v := again[`casebook_crawl_last_success_timestamp_seconds{source="icc"}`]; v != last {
		t.Errorf("second server: last success of icc = %v; want %v from the history", v, last)
	}
	// Document counts are reused for a few seconds: the first server may
	// still show the empty index; the new one counts afresh.
	for key, want := range map[string]float64{
		`casebook_index_documents_per_source{source="icc"}`: float64(rep.Added),
		`casebook_index_documents`:                          float64(rep.Added),
	} {
		if again[key] != want {
			t.Errorf("second server: %s = %v; want %v", key, again[key], want)
		}
	}
	if v := again[pages("icc", "added")]; v != 0 {
		t.Errorf("second server counts %v added pages; want its own counters at 0", v)
	}
}
