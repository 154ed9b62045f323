package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/casebook-project/casebook/indexer"
)

// Bounds of the document gauges.
const (
	indexCountsEvery   = 5 * time.Second // at most one count of the index per this long
	indexCountsTimeout = 5 * time.Second
	maxValues          = 1000      // series per source or language beyond these are summed under "other" (languages are ISO 639-1 codes: fewer)
	unknownLabel       = "unknown" // documents without a language
	otherLabel         = "other"
)

// indexCollector exports the documents of the index, in total, per source
// and per language, counted at scrape time with one size-0 faceted search
// and reused while the index generation is unchanged and for at least
// indexCountsEvery, so frequent scrapes cost nothing more during a crawl.
type indexCollector struct {
	ix  *indexer.Index
	log *slog.Logger

	total, bySource, byLang *prometheus.Desc

	mu     sync.Mutex
	at     time.Time
	gen    uint64
	counts *docCounts
}

type docCounts struct {
	total            uint64
	bySource, byLang map[string]float64
}

func newIndexCollector(ix *indexer.Index, log *slog.Logger) *indexCollector {
	return &indexCollector{
		ix:  ix,
		log: log,
		total: prometheus.NewDesc("casebook_index_documents",
			"Practices in the served index.", nil, nil),
		bySource: prometheus.NewDesc("casebook_index_documents_per_source",
			"Practices in the served index, by source.", []string{"source"}, nil),
		byLang: prometheus.NewDesc("casebook_index_documents_per_language",
			`Practices in the served index, by language (ISO 639-1; "unknown" when undetected).`, []string{"lang"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.total
	ch <- c.bySource
	ch <- c.byLang
}

// Collect implements prometheus.Collector. When the index cannot be
// counted, the scrape goes on without these series and a warning is logged.
func (c *indexCollector) Collect(ch chan<- prometheus.Metric) {
	dc, err := c.current()
	if err != nil {
		c.log.Warn("metrics: count documents", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.total, prometheus.GaugeValue, float64(dc.total))
	for v, n := range dc.bySource {
		ch <- prometheus.MustNewConstMetric(c.bySource, prometheus.GaugeValue, n, v)
	}
	for v, n := range dc.byLang {
		ch <- prometheus.MustNewConstMetric(c.byLang, prometheus.GaugeValue, n, v)
	}
}

func (c *indexCollector) current() (*docCounts, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gen := c.ix.Generation()
	if c.counts != nil && (gen == c.gen || time.Since(c.at) < indexCountsEvery) {
		return c.counts, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), indexCountsTimeout)
	defer cancel()
	dc, err := countDocuments(ctx, c.ix)
	if err != nil {
		return nil, err
	}
	c.counts, c.gen, c.at = dc, gen, time.Now()
	return dc, nil
}

// countDocuments counts every practice by source and language with one
// indexer.CountBy (a size-0 search with two term facets).
func countDocuments(ctx context.Context, ix *indexer.Index) (*docCounts, error) {
	t, err := ix.CountBy(ctx, maxValues, indexer.FieldSource, indexer.FieldLang)
	if err != nil {
		return nil, fmt.Errorf("count documents by source and language: %w", err)
	}
	dc := &docCounts{total: t.Total, bySource: map[string]float64{}, byLang: map[string]float64{}}
	for field, out := range map[string]map[string]float64{indexer.FieldSource: dc.bySource, indexer.FieldLang: dc.byLang} {
		vc := t.Fields[field]
		for v, n := range vc.Values {
			out[v] += float64(n)
		}
		if vc.Missing > 0 {
			out[unknownLabel] += float64(vc.Missing)
		}
		if vc.Other > 0 {
			out[otherLabel] += float64(vc.Other)
		}
	}
	return dc, nil
}
