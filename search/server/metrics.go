package server

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/casebook-project/casebook/search"
)

// Every series a Server exports on GET /metrics lives in its own registry
// (never the global one), so that several servers in one process and tests
// do not collide. Labels are bounded: routes are gin route templates
// ("/api/v1/practices/:id", "unmatched" for no route), methods are the
// standard ones or "other", sources are the configured ones and languages
// the index's own codes.
type metrics struct {
	reg      *prometheus.Registry
	handler  http.Handler
	token    string // MetricsToken; "" = open
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	search   prometheus.Histogram
	crawl    *crawlMetrics // nil without a job runner
}

// Latency buckets, in seconds: the search targets are p50 ≤ 2 ms and p99
// ≤ 40 ms, so the low end is fine-grained.
var latencyBuckets = []float64{.0005, .001, .002, .005, .01, .02, .04, .1, .25, .5, 1, 2.5, 5, 10}

// unmatchedRoute is the route label of requests no route matched.
const unmatchedRoute = "unmatched"

func newMetrics(cfg Config, log *slog.Logger) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg:   reg,
		token: cfg.MetricsToken,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casebook_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "casebook_http_request_duration_seconds",
			Help:    "Time from the request's arrival to the end of its answer, by route template and method.",
			Buckets: latencyBuckets,
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "casebook_http_requests_in_flight",
			Help: "HTTP requests being answered now (admin event streams included).",
		}),
		search: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "casebook_search_duration_seconds",
			Help:    "Time the search engine took per search (API and search page), errors and timeouts included.",
			Buckets: latencyBuckets,
		}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "casebook_build_info",
		Help:        "Always 1; the version label names the running build.",
		ConstLabels: prometheus.Labels{"version": cfg.Version},
	})
	build.Set(1)
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		build, m.requests, m.duration, m.inFlight, m.search,
	)
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Registry: reg, // promhttp_metric_handler_errors_total
	})
	return m
}

// instrument counts every answer by route template, method and status and
// times it. It runs outside recovery, so a panic counts as the 500 it is
// answered with.
func (s *Server) instrument(c *gin.Context) {
	m := s.metrics
	start := time.Now()
	m.inFlight.Inc()
	defer m.inFlight.Dec()
	c.Next()
	route := routeLabel(c)
	method := methodLabel(c.Request.Method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
}

// routeLabel is the gin route template that matched, never the raw path:
// a path per practice or per scanner probe would be a new series each.
func routeLabel(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return unmatchedRoute
}

// methodLabel keeps the method label bounded: a client may send any token.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// serveMetrics answers GET /metrics in the Prometheus text format. It is
// open unless Config.MetricsToken is set; then it wants that bearer token.
func (s *Server) serveMetrics(c *gin.Context) {
	m := s.metrics
	if m.token != "" {
		scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") ||
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(m.token)) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="casebook metrics"`)
			c.AbortWithStatusJSON(http.StatusUnauthorized, apiError{Error: errorBody{Code: "unauthorized",
				Message: "a metrics token is required: Authorization: Bearer <token>"}})
			return
		}
	}
	c.Header("Cache-Control", "no-store")
	m.handler.ServeHTTP(c.Writer, c.Request)
}

// runSearch asks the engine, timing the call for
// casebook_search_duration_seconds.
func (s *Server) runSearch(ctx context.Context, req search.Request) (*search.Result, error) {
	start := time.Now()
	res, err := s.engine.Search(ctx, req)
	s.metrics.search.Observe(time.Since(start).Seconds())
	return res, err
}
