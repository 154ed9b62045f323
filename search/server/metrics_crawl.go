package server

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/casebook-project/casebook/crawler/recrawl"
)

// crawlMetrics follow the jobs of a recrawl.Runner: it observes each job
// once it has finished, so counters move per finished job, not per page.
type crawlMetrics struct {
	pages    *prometheus.CounterVec   // source, outcome
	runs     *prometheus.CounterVec   // source, result
	jobs     *prometheus.CounterVec   // status
	duration *prometheus.HistogramVec // source
	last     *prometheus.GaugeVec     // source

	mu          sync.Mutex
	lastSuccess map[string]time.Time
}

// crawlOutcomes are the page tallies of CONTRACT §1, in that order.
var crawlOutcomes = []string{"fetched", "added", "updated", "unchanged", "removed", "failed", "skipped"}

func outcomeCounts(c recrawl.Counts) []int {
	return []int{c.Fetched, c.Added, c.Updated, c.Unchanged, c.Removed, c.Failed, c.Skipped}
}

// Crawl results of one source in one job.
const (
	crawlOK         = "ok"         // crawled completely: removals applied
	crawlIncomplete = "incomplete" // a host was given up: nothing removed
	crawlFailed     = "failed"     // failed as a whole: practices kept
	crawlCanceled   = "canceled"   // the job was canceled during this source
)

// newCrawlMetrics registers the crawl series on reg and follows jobs: every
// configured source starts at zero, the time of its last successful crawl
// comes from the job history, then from each job that finishes.
func newCrawlMetrics(reg prometheus.Registerer, jobs *recrawl.Runner) *crawlMetrics {
	m := &crawlMetrics{
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casebook_crawl_pages_total",
			Help: "Pages of finished crawl jobs, by source and outcome (fetched, added, updated, unchanged, removed, failed, skipped).",
		}, []string{"source", "outcome"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casebook_crawl_source_runs_total",
			Help: "Crawls of a source in finished jobs, by result: ok, incomplete (a host given up, nothing removed), failed (practices kept), canceled.",
		}, []string{"source", "result"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casebook_crawl_jobs_total",
			Help: "Finished crawl jobs, by status (succeeded, failed, canceled).",
		}, []string{"status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "casebook_crawl_duration_seconds",
			Help:    "Time one source took to crawl in a job, whatever its result.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400},
		}, []string{"source"}),
		last: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "casebook_crawl_last_success_timestamp_seconds",
			Help: "Unix time at which the source's last complete, successful crawl ended (absent: none on record).",
		}, []string{"source"}),
		lastSuccess: map[string]time.Time{},
	}
	reg.MustRegister(m.pages, m.runs, m.jobs, m.duration, m.last)
	for _, src := range jobs.SourceNames() {
		for _, o := range crawlOutcomes {
			m.pages.WithLabelValues(src, o)
		}
		for _, r := range []string{crawlOK, crawlIncomplete, crawlFailed} {
			m.runs.WithLabelValues(src, r)
		}
	}
	for _, st := range []recrawl.Status{recrawl.StatusSucceeded, recrawl.StatusFailed, recrawl.StatusCanceled} {
		m.jobs.WithLabelValues(string(st))
	}
	jobs.Observe(m.observe)
	for _, j := range jobs.Jobs() { // the history, newest first
		for _, rep := range j.Reports {
			if sourceResult(j, rep) == crawlOK {
				m.succeeded(rep)
			}
		}
	}
	return m
}

// observe counts one finished job.
func (m *crawlMetrics) observe(j recrawl.Job) {
	m.jobs.WithLabelValues(string(j.Status)).Inc()
	for _, rep := range j.Reports {
		for i, n := range outcomeCounts(rep.Counts) {
			m.pages.WithLabelValues(rep.Source, crawlOutcomes[i]).Add(float64(n))
		}
		m.duration.WithLabelValues(rep.Source).Observe(rep.Duration)
		res := sourceResult(j, rep)
		m.runs.WithLabelValues(rep.Source, res).Inc()
		if res == crawlOK {
			m.succeeded(rep)
		}
	}
}

// succeeded records the end of a successful crawl of a source unless a
// later one is already recorded.
func (m *crawlMetrics) succeeded(rep recrawl.SourceReport) {
	end := rep.Started.Add(time.Duration(rep.Duration * float64(time.Second)))
	m.mu.Lock()
	defer m.mu.Unlock()
	if end.After(m.lastSuccess[rep.Source]) {
		m.lastSuccess[rep.Source] = end
		m.last.WithLabelValues(rep.Source).Set(float64(end.UnixNano()) / 1e9)
	}
}

func sourceResult(j recrawl.Job, rep recrawl.SourceReport) string {
	switch {
	case rep.OK && rep.Incomplete:
		return crawlIncomplete
	case rep.OK:
		return crawlOK
	case j.Status == recrawl.StatusCanceled:
		return crawlCanceled
	}
	return crawlFailed
}
