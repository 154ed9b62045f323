package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/casebook-project/casebook/crawler"
)

// Running is the set of demo sites being served on loopback.
type Running struct {
	sites   []Site
	origins map[string]string // site name -> "http://127.0.0.1:port"
	servers []*http.Server
	wg      sync.WaitGroup
	once    sync.Once
	stop    func() bool
}

// Start serves every demo site built from the embedded content on its own
// 127.0.0.1 listener with a free port. The sites stop when ctx ends or
// Close is called.
func Start(ctx context.Context) (*Running, error) {
	sites, err := contentSites()
	if err != nil {
		return nil, fmt.Errorf("demo sites: %w", err)
	}
	return start(ctx, sites)
}

func start(ctx context.Context, sites []Site) (*Running, error) {
	r := &Running{sites: sites, origins: map[string]string{}}
	var lc net.ListenConfig
	for _, s := range sites {
		ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("demo site %s: listen: %w", s.Name, err)
		}
		srv := &http.Server{
			Handler:           s.Handler,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       time.Minute,
			ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
		}
		r.servers = append(r.servers, srv)
		r.origins[s.Name] = "http://" + ln.Addr().String()
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				slog.Error("demo site stopped", "site", s.Name, "err", err)
			}
		}()
	}
	r.stop = context.AfterFunc(ctx, r.Close)
	return r, nil
}

// URL is the origin a site is served on, "http://127.0.0.1:port" (no
// trailing slash), or "" for an unknown name.
func (r *Running) URL(name string) string {
	return r.origins[name]
}

// Sites are the sites being served.
func (r *Running) Sites() []Site {
	return r.sites
}

// Sources describes every site as a crawler source: start URLs, sitemaps,
// include/follow/exclude rules matching its URL scheme, defaults and, for
// every site but hub, CSS selectors matching its templates. hub has no
// selectors so that the crawler's JSON-LD and meta fallbacks do the work.
// Delay is 0 (the crawler's own default applies).
func (r *Running) Sources() []crawler.Source {
	var out []crawler.Source
	for _, s := range r.sites {
		h, ok := s.Handler.(siteHandler)
		if !ok {
			continue
		}
		out = append(out, h.source(r.origins[s.Name]))
	}
	return out
}

// Close stops every site, waiting up to five seconds for requests in
// flight. It may be called more than once.
func (r *Running) Close() {
	r.once.Do(func() {
		if r.stop != nil {
			r.stop()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, srv := range r.servers {
			if err := srv.Shutdown(ctx); err != nil {
				srv.Close()
			}
		}
		r.wg.Wait()
	})
}
