// Package server serves the search API (CONTRACT §5) and the server-rendered
// search page over a search.Engine with gin.
//
// Every route is listed in one table (routes); handlers return an error
// and one function (writeError) maps errors to status codes, logging only
// the 5xx ones. Middleware is chosen explicitly: a request id, Prometheus
// instrumentation (GET /metrics), recovery answering the JSON error shape,
// a request-URI limit, request logging with slog, security headers and
// CORS for the configured origins.
package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// Config configures a Server. Engine is required; the rest may be zero.
type Config struct {
	Engine         *search.Engine
	Index          *indexer.Index // nil = Engine.Index()
	AllowedOrigins []string       // CORS for /api; "*" = any origin
	TrustedProxies []string       // whose X-Forwarded-For is believed; nil = none
	Logger         *slog.Logger   // nil = slog.Default()
	Version        string
	AdminToken     string          // bearer token of the admin API; "" = admin disabled (403)
	Jobs           *recrawl.Runner // runs the crawls started through the admin API; nil = admin disabled
	RateLimit      *RateLimit      // per-client budget of the public API; nil = no limit
	Timeouts       Timeouts        // of the http.Server run by Serve; zero fields = the defaults below
	MetricsToken   string          // bearer token GET /metrics wants; "" = open (metrics.go)
	SnapshotDir    string          // absolute directory POST /api/v1/admin/snapshots writes into; "" = disabled (403 snapshots_disabled)
}

// Timeouts bound the phases of a connection served by Serve. A zero field
// takes the default constant of the same name (ReadHeaderTimeout, ...).
type Timeouts struct {
	ReadHeader time.Duration // request line and headers
	Read       time.Duration // the whole request, body included
	Write      time.Duration // from the end of the headers to the end of the answer (event streams lift it)
	Idle       time.Duration // a keep-alive connection between requests
	Shutdown   time.Duration // in-flight requests get this long to finish once Serve's ctx ends
}

func (t Timeouts) withDefaults() Timeouts {
	or := func(d, def time.Duration) time.Duration {
		if d <= 0 {
			return def
		}
		return d
	}
	return Timeouts{
		ReadHeader: or(t.ReadHeader, ReadHeaderTimeout),
		Read:       or(t.Read, ReadTimeout),
		Write:      or(t.Write, WriteTimeout),
		Idle:       or(t.Idle, IdleTimeout),
		Shutdown:   or(t.Shutdown, ShutdownTimeout),
	}
}

// Timeouts of the http.Server run by Serve.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	ShutdownTimeout   = 15 * time.Second
	MaxHeaderBytes    = 64 << 10
	MaxRequestURI     = 8 << 10 // longer request URIs get 414
)

// Server is the HTTP side of casebook.
type Server struct {
	engine    *search.Engine
	index     *indexer.Index
	log       *slog.Logger
	origins   map[string]bool
	anyOrig   bool
	version   string
	pages     *template.Template
	router    *gin.Engine
	admin     *admin
	limiter   *clientLimiter // nil: no rate limit
	timeout   Timeouts
	metrics   *metrics
	snapshots *snapshots

	stopOnce sync.Once
	stopping chan struct{} // closed when Serve starts shutting down: event streams end
}

// New builds a Server. It fails when Engine is nil or a trusted proxy is not
// an IP address or CIDR range.
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil {
		return nil, errors.New("server: no search engine")
	}
	if cfg.SnapshotDir != "" && !filepath.IsAbs(cfg.SnapshotDir) {
		return nil, fmt.Errorf("server: snapshot directory %q is not an absolute path", cfg.SnapshotDir)
	}
	s := &Server{
		engine:    cfg.Engine,
		index:     cfg.Index,
		log:       cfg.Logger,
		origins:   map[string]bool{},
		version:   cfg.Version,
		admin:     newAdmin(cfg),
		limiter:   newClientLimiter(cfg.RateLimit),
		timeout:   cfg.Timeouts.withDefaults(),
		stopping:  make(chan struct{}),
		snapshots: &snapshots{},
	}
	if cfg.SnapshotDir != "" {
		s.snapshots.dir = filepath.Clean(cfg.SnapshotDir)
	}
	if s.index == nil {
		s.index = cfg.Engine.Index()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = slog.New(withRequestID(s.log.Handler()))
	s.metrics = newMetrics(cfg, s.log)
	s.metrics.reg.MustRegister(newIndexCollector(s.index, s.log))
	if cfg.Jobs != nil {
		s.metrics.crawl = newCrawlMetrics(s.metrics.reg, cfg.Jobs)
	}
	for _, o := range cfg.AllowedOrigins {
		if o == "*" {
			s.anyOrig = true
		}
		s.origins[o] = true
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = false
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: trusted_proxies: %w", err)
	}
	r.Use(s.requestID, s.instrument, s.recovery, s.logRequests, s.securityHeaders, s.corsPublic, s.limitRate, s.limitURI, s.limitBody, s.checkQuery)
	s.routes(r)
	s.router = r
	return s, nil
}

// routes is the one route table.
func (s *Server) routes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.GET("/search", s.handle(s.apiSearch))
	api.GET("/practices/:id", s.handle(s.apiPractice))
	api.GET("/facets", s.handle(s.apiFacets))
	api.GET("/suggest", s.handle(s.apiSuggest))
	api.GET("/openapi.json", s.openAPI)
	adm := api.Group("/admin", s.adminAuth)
	adm.POST("/crawls", s.handle(s.adminStartCrawl))
	adm.GET("/crawls", s.handle(s.adminListCrawls))
	adm.GET("/crawls/:id", s.handle(s.adminGetCrawl))
	adm.DELETE("/crawls/:id", s.handle(s.adminCancelCrawl))
	adm.GET("/crawls/:id/events", s.handle(s.adminCrawlEvents))
	adm.GET("/sources", s.handle(s.adminSources))
	adm.POST("/snapshots", s.handle(s.adminSnapshot))

	r.GET("/healthz", s.handle(s.healthz))
	r.GET("/readyz", s.handle(s.readyz))
	r.GET("/metrics", s.serveMetrics)

	r.GET("/", s.handlePage(s.searchPage))
	r.GET("/p/:id", s.handlePage(s.practicePage))
	r.GET("/admin", s.handlePage(s.adminPage))
	r.GET("/static/*file", s.static)
	r.GET("/widget.js", s.widget)

	r.NoRoute(s.notFound)
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler { return s.router }

// Serve answers HTTP on ln until ctx ends, then shuts down gracefully: it
// stops accepting connections, ends the admin event streams, and gives
// in-flight requests up to Timeouts.Shutdown to finish. It returns nil
// after a clean shutdown. Serve is meant to be called once per Server.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	t := s.timeout
	srv := &http.Server{
		Handler:           s.router,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(func() { s.stopOnce.Do(func() { close(s.stopping) }) })
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.Shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
