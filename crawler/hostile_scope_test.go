package crawler_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/crawler"
)

// Redirect loops and endless redirect chains fail after 5 hops, are not
// retried, and cost at most 6 requests each.
func TestHostileRedirectLoops(t *testing.T) {
	site := serveHostile(t, []string{"/loop/a", "/self", "/spiral/1", "/query?n=1"},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Path == "/loop/a":
				http.Redirect(w, r, "/loop/b", http.StatusFound)
			case r.URL.Path == "/loop/b":
				http.Redirect(w, r, "/loop/a", http.StatusMovedPermanently)
			case r.URL.Path == "/self":
				http.Redirect(w, r, "/self", http.StatusTemporaryRedirect)
			case strings.HasPrefix(r.URL.Path, "/spiral/"):
				n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/spiral/"))
				http.Redirect(w, r, "/spiral/"+strconv.Itoa(n+1), http.StatusFound)
			case r.URL.Path == "/query":
				n, _ := strconv.Atoi(r.URL.Query().Get("n"))
				http.Redirect(w, r, "/query?n="+strconv.Itoa(n+1), http.StatusPermanentRedirect)
			}
		}))
	o := crawlHostile(t, site, crawler.Config{}, crawler.Source{})
	for _, test := range []struct{ start, prefix string }{
		{"/loop/a", "/loop/"}, {"/self", "/self"}, {"/spiral/1", "/spiral/"}, {"/query?n=1", "/query"},
	} {
		o.wantOutcome(t, test.start, crawler.EventFailed, crawler.ErrTooManyRedirects)
		if n := site.count(test.prefix); n != 1+crawler.MaxRedirectsForTest {
			t.Errorf("%s: %d requests, want %d", test.start, n, 1+crawler.MaxRedirectsForTest)
		}
	}
}

// With allow_private_networks false, a member site (reached by name, its
// own ip:port allowlisted as in ssrf_crawl_test.go) redirects to loopback,
// private, link-local (cloud metadata) and unspecified addresses: every
// redirect is refused, internal services see no connection, and the good
// page is still indexed.
func TestHostileRedirectsToPrivateAddresses(t *testing.T) {
	targets, services := ssrfSetup(t)
	targets = append(targets,
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.1/admin",
		"http://[fd00::1]/admin",
		"http://localhost:"+services[1].port+"/admin")
	var site *hostileSite
	var links []string
	for i := range targets {
		links = append(links, "/r/"+strconv.Itoa(i))
	}
	site = serveHostile(t, links, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if err != nil || i >= len(targets) {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, targets[i], http.StatusFound)
	}))
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(site.URL, "http://"))
	origin := "http://site.test:" + port
	c := crawler.New(crawler.Config{Resolver: &resolver{names: map[string][]string{
		"site.test": {"127.0.0.1"}, "internal.test": {"127.0.0.2"}, "localhost": {"127.0.0.1"},
	}}})
	allowSite(t, c, site.URL)
	var w tripwire
	w.install(t, c)
	var got events
	if err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{origin + "/start"}}, got.add); err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if got.practice(origin+"/good") == nil {
		t.Errorf("the good page is not a practice")
	}
	if n := site.count("/r/"); n != len(targets) {
		t.Errorf("%d redirecting pages requested, want %d", n, len(targets))
	}
	for i, tg := range targets {
		u := fmt.Sprintf("%s/r/%d", origin, i)
		err := got.reason(crawler.EventSkipped, u)
		if err == nil {
			err = got.reason(crawler.EventFailed, u)
		}
		if !errors.Is(err, crawler.ErrOffSite) && !errors.Is(err, crawler.ErrPrivateAddress) {
			t.Errorf("redirect to %s: %v, want refused", tg, err)
		}
	}
	for _, ev := range got.all {
		if ev.Kind == crawler.EventPractice && !strings.HasPrefix(ev.URL, origin) {
			t.Errorf("practice from %s indexed", ev.URL)
		}
	}
	noHits(t, services)
}

// The dial guard alone, with the redirect hop check out of the way, still
// refuses a redirect to an internal service: the check on hops is a
// second wall, not the only one.
func TestHostileRedirectDialGuard(t *testing.T) {
	targets, services := ssrfSetup(t)
	for _, tg := range targets {
		t.Run(tg, func(t *testing.T) {
			site := serveHostile(t, nil, http.RedirectHandler(tg, http.StatusFound))
			// Numeric spellings reach the resolver unnormalised from a
			// Location header; the system resolver (getaddrinfo) reads
			// them as inet_aton does, and so does this one.
			c := crawler.New(crawler.Config{Resolver: &resolver{names: map[string][]string{"internal.test": {"127.0.0.2"},
				"2130706433": {"127.0.0.1"}, "0x7f.1": {"127.0.0.1"}, "127.1": {"127.0.0.1"}}}})
			allowSite(t, c, site.URL)
			var w tripwire
			w.install(t, c)
			status, err := crawler.FetchPageForTest(t.Context(), c, site.URL+"/go")
			if !errors.Is(err, crawler.ErrPrivateAddress) {
				t.Errorf("redirect to %s: status %d, %v; want ErrPrivateAddress", tg, status, err)
			}
		})
	}
	noHits(t, services)
}

// A listing with 10,000 links (and hostile schemes among them) queues only
// the first 1,000 distinct links; max_pages bounds the pages fetched.
func TestHostileTenThousandLinks(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><body>`)
	for i := range 10000 {
		fmt.Fprintf(&b, `<a href="/l/%d">%d</a>`, i, i)
		if i%1000 == 0 {
			b.WriteString(`<a href="javascript:alert(1)">js</a><a href="file:///etc/passwd">f</a><a href="data:text/html,x">d</a><a href="mailto:a@b.c">m</a>`)
		}
	}
	b.WriteString(`</body></html>`)
	many := b.String()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/many" {
			_, _ = w.Write([]byte(many))
			return
		}
		http.Error(w, "gone", http.StatusGone) // cheap: the requests are what counts
	})
	for _, test := range []struct {
		name     string
		maxPages int
		want     int // requests for /l/
	}{
		{"link cap", 0, crawler.MaxLinksPerPageForTest},
		{"max_pages", 40, 40 - 3}, // /start, /good and /many count too
	} {
		t.Run(test.name, func(t *testing.T) {
			site := serveHostile(t, []string{"/many"}, handler)
			crawlHostile(t, site, crawler.Config{Concurrency: 1},
				crawler.Source{Follow: res(`^/many$`), MaxPages: test.maxPages})
			if n := site.count("/l/"); n != test.want {
				t.Errorf("%d of the 10,000 links requested, want %d", n, test.want)
			}
			if n := site.count("/l/" + strconv.Itoa(crawler.MaxLinksPerPageForTest)); n != 0 {
				t.Errorf("link %d (past the cap) requested", crawler.MaxLinksPerPageForTest)
			}
			if test.maxPages > 0 && site.pages() > test.maxPages {
				t.Errorf("%d pages requested, want at most max_pages = %d", site.pages(), test.maxPages)
			}
		})
	}
}

// One practice page floods its fields: 10,000 hreflang alternates, 10,000
// theme tags, a canonical URL of 10,000 characters. The practice keeps the
// first 50 translations and 100 themes, its own URL, and at most 50
// translation pages are requested.
func TestHostileFieldFloods(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html lang=en><head><title>Flooded</title><link rel=canonical href="/flood?x=` + strings.Repeat("y", 10000) + `">`)
	for i := range 10000 {
		fmt.Fprintf(&b, `<link rel=alternate hreflang=fr href="/alt/%d">`, i)
	}
	b.WriteString(`</head><body><h1>Flooded</h1><p>` + hostileText + `</p><ul>`)
	for i := range 10000 {
		fmt.Fprintf(&b, `<li class=tag>theme %d</li>`, i)
	}
	b.WriteString(`</ul></body></html>`)
	flood := b.String()
	site := serveHostile(t, []string{"/flood"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/flood" {
			_, _ = w.Write([]byte(flood))
			return
		}
		http.NotFound(w, r)
	}))
	o := crawlHostile(t, site, crawler.Config{}, crawler.Source{Fields: crawler.Fields{Themes: ".tag"}})
	p := o.got.practice(site.URL + "/flood")
	if p == nil {
		t.Fatalf("/flood is not a practice: %v", o.event(t, "/flood"))
	}
	if len(p.Translations) != crawler.MaxTranslationsForTest || len(p.Themes) != crawler.MaxListValuesForTest {
		t.Errorf("%d translations, %d themes; want %d and %d", len(p.Translations), len(p.Themes), crawler.MaxTranslationsForTest, crawler.MaxListValuesForTest)
	}
	if p.Themes[0] != "theme 0" {
		t.Errorf("first theme %q, want the first in the page", p.Themes[0])
	}
	if n := site.count("/alt/"); n > crawler.MaxTranslationsForTest {
		t.Errorf("%d translation pages requested, want at most %d", n, crawler.MaxTranslationsForTest)
	}
}

// Calendar traps: a "next month" link without end, by query (?month=N) or
// by path (/agenda/N/). The query form stops at 50 variants of the path
// even with a max_depth of 1,000; the path form stops at max_depth, and at
// max_pages when max_depth is large. Only events are practices.
func TestHostileCalendarTraps(t *testing.T) {
	calendar := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		var next string
		switch {
		case r.URL.Path == "/calendar":
			n, _ = strconv.Atoi(r.URL.Query().Get("month"))
			next = "/calendar?month=" + strconv.Itoa(n+1)
		case strings.HasPrefix(r.URL.Path, "/agenda/"):
			n, _ = strconv.Atoi(strings.Trim(strings.TrimPrefix(r.URL.Path, "/agenda/"), "/"))
			next = "/agenda/" + strconv.Itoa(n+1) + "/"
		case strings.HasPrefix(r.URL.Path, "/event/"):
			_, _ = fmt.Fprintf(w, `<html lang=en><head><title>Event %s</title></head><body><p>%s</p></body></html>`, r.URL.Path, hostileText)
			return
		default:
			http.NotFound(w, r)
			return
		}
		_, _ = fmt.Fprintf(w, `<html><body><a href="/event/%s-%d">event</a> <a href="%s">next month</a></body></html>`,
			strings.Trim(r.URL.Path, "/"), n, next)
	})
	for _, test := range []struct {
		name               string
		start              string
		prefix             string
		maxDepth, maxPages int
		want               int // requests for prefix
		trap               bool
	}{
		{"query", "/calendar?month=1", "/calendar", 1000, 0, crawler.MaxQueryVariantsForTest, true},
		{"path max_depth", "/agenda/1/", "/agenda/", 0, 0, 5, false},
		{"path max_pages", "/agenda/1/", "/agenda/", 1000, 60, 0, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			site := serveHostile(t, []string{test.start}, calendar)
			o := crawlHostile(t, site, crawler.Config{},
				crawler.Source{Follow: res(`^/(calendar|agenda)`), Include: []*regexp.Regexp{regexp.MustCompile(`^/(event|good)`)},
					MaxDepth: test.maxDepth, MaxPages: test.maxPages})
			n := site.count(test.prefix)
			if test.want > 0 && n != test.want {
				t.Errorf("%d calendar pages requested, want %d", n, test.want)
			}
			if test.maxPages > 0 && site.pages() > test.maxPages {
				t.Errorf("%d pages requested, want at most max_pages = %d", site.pages(), test.maxPages)
			}
			trapped := false
			for _, ev := range o.got.all {
				trapped = trapped || (ev.Kind == crawler.EventSkipped && errors.Is(ev.Err, crawler.ErrTrap))
				if ev.Kind == crawler.EventPractice && !strings.Contains(ev.URL, "/event/") && !strings.HasSuffix(ev.URL, "/good") {
					t.Errorf("calendar page %s indexed", ev.URL)
				}
			}
			if trapped != test.trap {
				t.Errorf("trap reported: %v, want %v", trapped, test.trap)
			}
		})
	}
}
