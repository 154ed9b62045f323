package crawler_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/crawlertest"
)

// internalService is a listener standing for a service a crawler must
// never reach; it counts every connection and request.
type internalService struct {
	hits atomic.Int32
	port string
}

func listenInternal(t *testing.T, addr string) *internalService {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	s := &internalService{}
	_, s.port, _ = net.SplitHostPort(ln.Addr().String())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`<html><head><title>Internal admin</title></head><body>secret</body></html>`))
	}), ConnState: func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.hits.Add(1)
		}
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// resolver maps test names; a name with several answers gives them one
// lookup after the other, then keeps the last.
type resolver struct {
	mu    sync.Mutex
	names map[string][]string
	calls map[string]int
}

func (r *resolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	answers, ok := r.names[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host (test resolver)", Name: host, IsNotFound: true}
	}
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	i := min(r.calls[host], len(answers)-1)
	r.calls[host]++
	return []net.IPAddr{{IP: net.ParseIP(answers[i])}}, nil
}

// tripwire records every address the crawler dials and fails the test if
// one is not on this machine.
type tripwire struct {
	mu    sync.Mutex
	dials []string
}

func (w *tripwire) install(t *testing.T, c *crawler.Crawler) {
	crawler.OnDialForTest(c, func(network, address string) {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !(ap.Addr().Unmap().IsLoopback() || ap.Addr().IsUnspecified()) {
			t.Errorf("tripwire: dial %s %s leaves this machine", network, address)
		}
		w.mu.Lock()
		w.dials = append(w.dials, address)
		w.mu.Unlock()
	})
}

func (w *tripwire) dialed(port string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range w.dials {
		if strings.HasSuffix(d, ":"+port) {
			return true
		}
	}
	return false
}

// ssrfSetup starts the internal services and returns the hostile URLs,
// each naming an internal service in another spelling.
func ssrfSetup(t *testing.T) (targets []string, services []*internalService) {
	two := listenInternal(t, "127.0.0.2:0") // another loopback address
	one := listenInternal(t, "127.0.0.1:0") // loopback, a port no allowlist names
	six := listenInternal(t, "[::1]:0")     // IPv6 loopback
	targets = []string{
		"http://127.0.0.2:" + two.port + "/admin",
		"http://[::ffff:127.0.0.2]:" + two.port + "/admin",
		"http://internal.test:" + two.port + "/admin",
		"http://2130706433:" + one.port + "/admin",
		"http://0x7f.1:" + one.port + "/admin",
		"http://127.1:" + one.port + "/admin",
		"http://0.0.0.0:" + one.port + "/admin",
		"http://[::1]:" + six.port + "/admin",
	}
	return targets, []*internalService{two, one, six}
}

func noHits(t *testing.T, services []*internalService) {
	t.Helper()
	for _, s := range services {
		if n := s.hits.Load(); n != 0 {
			t.Errorf("internal service on port %s got %d connections, want 0", s.port, n)
		}
	}
}

func allowSite(t *testing.T, c *crawler.Crawler, rawURL string) {
	t.Helper()
	ap, err := netip.ParseAddrPort(strings.TrimPrefix(rawURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	crawler.AllowAddrsForTest(c, ap)
}

// Each hostile spelling of an internal address, as a start URL, is refused
// at dial time: the guard, not a failed lookup, stops it.
func TestSSRFDirect(t *testing.T) {
	targets, services := ssrfSetup(t)
	res := &resolver{names: map[string][]string{"internal.test": {"127.0.0.2"}}}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			c := crawler.New(crawler.Config{Resolver: res})
			var w tripwire
			w.install(t, c)
			err := c.Crawl(t.Context(), crawler.Source{Name: "evil", StartURLs: []string{target}}, nil)
			if !errors.Is(err, crawler.ErrPrivateAddress) {
				t.Errorf("Crawl error %v, want ErrPrivateAddress", err)
			}
			_, port, _ := strings.Cut(strings.TrimPrefix(target, "http://"), "]:")
			if i := strings.LastIndex(target, ":"); i > 0 {
				port = strings.TrimSuffix(target[i+1:], "/admin")
			}
			if !w.dialed(port) {
				t.Errorf("no dial attempt to port %s: something other than the dial guard stopped it", port)
			}
		})
	}
	noHits(t, services)
}

// An allowed site (reached by name, its ip:port allowlisted) links to,
// lists in its sitemap and redirects to every hostile target: the crawl
// goes on and the internal services log nothing.
func TestSSRFFromAllowedSite(t *testing.T) {
	targets, services := ssrfSetup(t)
	var b strings.Builder
	b.WriteString("-- /robots.txt --\nUser-agent: *\nSitemap: http://site.test:{{port}}/sitemap.xml\n-- /start --\n<html><body>")
	for i, tg := range targets {
		fmt.Fprintf(&b, `<a href="%s">link</a> <a href="/r/%d">redirect</a>`, tg, i)
	}
	b.WriteString("</body></html>\n-- /sitemap.xml --\n<urlset>")
	for _, tg := range targets {
		fmt.Fprintf(&b, "<url><loc>%s</loc></url>", tg)
	}
	b.WriteString("</urlset>\n")
	for i, tg := range targets {
		fmt.Fprintf(&b, "-- HEADERS /r/%d --\nStatus: 302\nLocation: %s\n", i, tg)
	}
	a := txtar.Parse([]byte(b.String()))
	site := crawlertest.ServeArchive(t, a)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(site.URL, "http://"))
	a = txtar.Parse([]byte(strings.ReplaceAll(b.String(), "{{port}}", port)))
	site.Replace(a)

	res := &resolver{names: map[string][]string{"site.test": {"127.0.0.1"}, "internal.test": {"127.0.0.2"}}}
	c := crawler.New(crawler.Config{Resolver: res})
	allowSite(t, c, site.URL)
	var w tripwire
	w.install(t, c)
	var got events
	origin := "http://site.test:" + port
	err := c.Crawl(t.Context(), crawler.Source{Name: "site", StartURLs: []string{origin + "/start"}, Sitemaps: []string{origin + "/sitemap.xml"}}, got.add)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if site.Count("/start") != 1 || site.Count("/sitemap.xml") != 1 || site.Count("/r/") != len(targets) {
		t.Errorf("the allowed site was not crawled: %v", site.Requests())
	}
	for i := range targets {
		u := fmt.Sprintf("%s/r/%d", origin, i)
		err := got.reason(crawler.EventSkipped, u)
		if err == nil {
			err = got.reason(crawler.EventFailed, u)
		}
		if !errors.Is(err, crawler.ErrOffSite) && !errors.Is(err, crawler.ErrPrivateAddress) {
			t.Errorf("redirect %s: %v, want refused", u, err)
		}
	}
	for _, ev := range got.all {
		if ev.Kind == crawler.EventPractice && !strings.HasPrefix(ev.URL, origin) {
			t.Errorf("practice from %s indexed", ev.URL)
		}
	}
	noHits(t, services)
}

// DNS rebinding: the name resolves to the allowed address for robots.txt,
// then to an internal one; the second dial is refused.
func TestSSRFRebinding(t *testing.T) {
	var pages atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close") // every request dials anew
		if r.URL.Path == "/robots.txt" {
			_, _ = w.Write([]byte("User-agent: *\nAllow: /\n"))
			return
		}
		pages.Add(1)
		_, _ = w.Write([]byte(`<html><body>start</body></html>`))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	internal := listenInternal(t, "127.0.0.2:"+port) // same port, internal address

	res := &resolver{names: map[string][]string{"rebind.test": {"127.0.0.1", "127.0.0.2"}}}
	c := crawler.New(crawler.Config{Resolver: res})
	allowSite(t, c, srv.URL)
	var w tripwire
	w.install(t, c)
	var got events
	err := c.Crawl(t.Context(), crawler.Source{Name: "rebind", StartURLs: []string{"http://rebind.test:" + port + "/start"}}, got.add)
	if err == nil {
		t.Fatal("Crawl succeeded although its only start page resolved to 127.0.0.2")
	}
	if reason := got.reason(crawler.EventFailed, "http://rebind.test:"+port+"/start"); !errors.Is(reason, crawler.ErrPrivateAddress) {
		t.Errorf("start page: %v, want ErrPrivateAddress", reason)
	}
	res.mu.Lock()
	lookups := res.calls["rebind.test"]
	res.mu.Unlock()
	if lookups < 2 {
		t.Errorf("%d lookups, want the second dial to look up again", lookups)
	}
	if n := pages.Load(); n != 0 {
		t.Errorf("the allowed address served %d pages after rebinding, want 0", n)
	}
	noHits(t, []*internalService{internal})
}

// Proxy environment variables are ignored: a logging proxy (allowlisted,
// so only the crawler's choice keeps it out) sees no request.
func TestSSRFIgnoresProxyEnvironment(t *testing.T) {
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		http.Error(w, "proxy", http.StatusBadGateway)
	}))
	defer proxy.Close()
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"} {
		t.Setenv(k, proxy.URL)
	}
	t.Setenv("NO_PROXY", "")
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte("-- /robots.txt --\nUser-agent: *\n-- /start --\n<p>start</p>\n")))
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(site.URL, "http://"))
	c := crawler.New(crawler.Config{Resolver: &resolver{names: map[string][]string{"site.test": {"127.0.0.1"}}}})
	allowSite(t, c, site.URL)
	allowSite(t, c, proxy.URL)
	if err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{"http://site.test:" + port + "/start"}}, nil); err != nil {
		t.Fatal(err)
	}
	if n := proxied.Load(); n != 0 {
		t.Errorf("proxy saw %d requests, want 0", n)
	}
	if n := len(site.Requests()); n != 2 {
		t.Errorf("site saw %d requests, want 2 (robots.txt, /start)", n)
	}
}
