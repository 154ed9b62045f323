package crawler_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/crawlertest"
	"github.com/casebook-project/casebook/indexer"
)

func res(patterns ...string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, p := range patterns {
		out = append(out, regexp.MustCompile(p))
	}
	return out
}

// events collects what a crawl reported.
type events struct {
	all []crawler.Event
}

func (e *events) add(ev crawler.Event) { e.all = append(e.all, ev) }

func (e *events) urls(kind crawler.EventKind) []string {
	var out []string
	for _, ev := range e.all {
		if ev.Kind == kind {
			out = append(out, ev.URL)
		}
	}
	slices.Sort(out)
	return out
}

func (e *events) practice(url string) *indexer.Practice {
	for _, ev := range e.all {
		if ev.Kind == crawler.EventPractice && ev.URL == url {
			return ev.Practice
		}
	}
	return nil
}

func (e *events) reason(kind crawler.EventKind, url string) error {
	for _, ev := range e.all {
		if ev.Kind == kind && ev.URL == url {
			return ev.Err
		}
	}
	return nil
}

func networkSite(t *testing.T) *crawlertest.Site {
	t.Helper()
	a, err := txtar.ParseFile("testdata/sites/network.txtar")
	if err != nil {
		t.Fatal(err)
	}
	huge := "<!DOCTYPE html><html lang=en><head><title>A very long report</title></head><body><main><h1>A very long report</h1>" +
		strings.Repeat("<p>Paragraph after paragraph of the annual report of the integration council.</p>\n", 200) + "</main></body></html>"
	a.Files = append(a.Files, txtar.File{Name: "/practices/huge", Data: []byte(huge)})
	return crawlertest.ServeArchive(t, a)
}

func networkSource(site *crawlertest.Site) crawler.Source {
	return crawler.Source{
		Name:      "network",
		Network:   "Test Network",
		StartURLs: []string{site.URL + "/practices"},
		Include:   res(`^/practices/[^/]+$`),
		Follow:    res(`^/practices(\?page=\d+)?$`),
		Exclude:   res(`^/practices/excluded`),
		Fields:    crawler.Fields{Title: "h1", Summary: ".summary", Body: ".content", City: ".city", Themes: ".tags a"},
	}
}

func TestCrawlNetworkSite(t *testing.T) {
	site := networkSite(t)
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, MaxPageBytes: 8192})
	var got events
	if err := c.Crawl(t.Context(), networkSource(site), got.add); err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	base := site.URL
	wantPractices := []string{
		base + "/practices/bilbao-anti-rumour",
		base + "/practices/duesseldorf-welcome",
		base + "/practices/lisbon-one-stop",
		base + "/practices/montreal-bureau-en",
		base + "/practices/montreal-bureau-fr",
	}
	if diff := cmp.Diff(wantPractices, got.urls(crawler.EventPractice)); diff != "" {
		t.Errorf("practices (-want +got):\n%s", diff)
	}
	for _, test := range []struct {
		url  string
		want error
	}{
		{base + "/practices/members-only", crawler.ErrDisallowed},
		{base + "/practices/brochure.pdf", crawler.ErrNotHTML},
		{base + "/practices/huge", crawler.ErrTooLarge},
		{base + "/practices/draft-noindex", crawler.ErrNoIndex},
		{base + "/practices/old-pilot", crawler.ErrNoIndex}, // X-Robots-Tag
	} {
		if err := got.reason(crawler.EventSkipped, test.url); !errors.Is(err, test.want) {
			t.Errorf("skipped %s: reason %v, want %v", test.url, err, test.want)
		}
	}
	if f := got.urls(crawler.EventFailed); len(f) > 0 {
		t.Errorf("failed URLs %v, want none", f)
	}
	reqs := site.Requests()
	if len(reqs) == 0 || reqs[0].Path != "/robots.txt" {
		t.Fatalf("first request %v, want /robots.txt", reqs)
	}
	for _, prefix := range []string{"/private", "/practices/members-only", "/practices/excluded", "/about", "/imprint", "/practices/never-fetched"} {
		if n := site.Count(prefix); n != 0 {
			t.Errorf("%d requests under %s, want 0", n, prefix)
		}
	}
	// The same practice under a tracking parameter, a dot segment, a
	// fragment and the sitemap is fetched once; the print view once more.
	if n := site.Count("/practices/lisbon-one-stop"); n != 2 {
		t.Errorf("%d requests for the Lisbon practice, want 2 (page and print view)", n)
	}
	// The Düsseldorf practice is linked from nowhere but the gzipped
	// sitemap named by the sitemap index named by robots.txt.
	if n := site.Count("/sitemaps/practices.xml.gz"); n != 1 {
		t.Errorf("gzipped sitemap requested %d times, want 1", n)
	}

	if p := got.practice(base + "/practices/duesseldorf-welcome"); p == nil {
		t.Error("no Düsseldorf practice")
	} else {
		if p.Title != "Willkommenskultur in Düsseldorf" || !slices.Equal(p.Cities, []string{"Düsseldorf"}) || p.Lang != "de" {
			t.Errorf("ISO-8859-1 page: title %q, cities %q, lang %q", p.Title, p.Cities, p.Lang)
		}
		if !slices.Equal(p.Themes, []string{"Willkommenskultur", "Integration"}) {
			t.Errorf("themes %q", p.Themes)
		}
	}
	if p := got.practice(base + "/practices/montreal-bureau-fr"); p == nil {
		t.Error("no Montréal practice")
	} else {
		if p.Title != "Bureau d’intégration des nouveaux arrivants à Montréal" || !slices.Equal(p.Cities, []string{"Montréal"}) {
			t.Errorf("windows-1252 page: title %q, cities %q", p.Title, p.Cities)
		}
		want := []indexer.Translation{{Lang: "en", URL: base + "/practices/montreal-bureau-en"}}
		if diff := cmp.Diff(want, p.Translations); diff != "" {
			t.Errorf("translations (-want +got):\n%s", diff)
		}
	}
	if p := got.practice(base + "/practices/lisbon-one-stop"); p == nil {
		t.Error("no Lisbon practice")
	} else if len(p.Translations) != 0 || p.Summary == "" || strings.Contains(p.Body, "cookies") {
		t.Errorf("Lisbon: translations %v, summary %q, body %q", p.Translations, p.Summary, p.Body)
	}
}

func TestCrawlRobotsUnavailable(t *testing.T) {
	for _, status := range []string{"500", "503", "429"} {
		t.Run(status, func(t *testing.T) {
			site := crawlertest.ServeArchive(t, txtar.Parse([]byte(
				"-- HEADERS /robots.txt --\nStatus: "+status+"\n-- /robots.txt --\nUser-agent: *\n-- /practices --\n<html><body>list</body></html>\n")))
			c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond})
			var got events
			err := c.Crawl(t.Context(), crawler.Source{Name: "down", StartURLs: []string{site.URL + "/practices"}}, got.add)
			if !errors.Is(err, crawler.ErrRobotsUnavailable) {
				t.Errorf("Crawl error %v, want ErrRobotsUnavailable", err)
			}
			if n := len(site.Requests()) - site.Count("/robots.txt"); n != 0 {
				t.Errorf("%d page requests, want 0", n)
			}
			want := 1 // 500 is not retried; 429 and 503 are, twice
			if status != "500" {
				want += crawler.MaxRetriesForTest
			}
			if n := site.Count("/robots.txt"); n != want {
				t.Errorf("robots.txt requested %d times, want %d", n, want)
			}
			if len(got.all) != 0 {
				t.Errorf("events %v, want none", got.all)
			}
		})
	}
}

// A missing robots.txt allows everything; a page without Content-Type is
// sniffed; a broken sitemap is reported while the start URLs are crawled.
func TestCrawlRobots404SniffingBadSitemap(t *testing.T) {
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte(
		"-- /start --\n<html lang=en><body><a href=\"/p/one\">one</a> <a href=\"/p/blob\">blob</a></body></html>\n"+
			"-- HEADERS /p/one --\nContent-Type:\n"+
			"-- /p/one --\n<!DOCTYPE html><html lang=en><head><title>One practice</title></head><body><p>Text about the practice.</p></body></html>\n"+
			"-- HEADERS /p/blob --\nContent-Type:\n"+
			"-- /p/blob --\n\x00\x01\x02binary\n"+
			"-- /sitemap.xml --\n<urlset><url><loc>/p/one</loc></url><url>\n")))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	var got events
	src := crawler.Source{Name: "s", StartURLs: []string{site.URL + "/start"}, Sitemaps: []string{site.URL + "/sitemap.xml"}}
	if err := c.Crawl(t.Context(), src, got.add); err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if diff := cmp.Diff([]string{site.URL + "/p/one"}, got.urls(crawler.EventPractice)); diff != "" {
		t.Errorf("practices (-want +got):\n%s", diff)
	}
	if err := got.reason(crawler.EventSkipped, site.URL+"/p/blob"); !errors.Is(err, crawler.ErrNotHTML) {
		t.Errorf("binary page without Content-Type: %v, want ErrNotHTML", err)
	}
	if err := got.reason(crawler.EventFailed, site.URL+"/sitemap.xml"); err == nil {
		t.Error("broken sitemap not reported")
	}
}

func TestCrawlRefusesPrivateAddressByDefault(t *testing.T) {
	site := networkSite(t)
	c := crawler.New(crawler.Config{}) // AllowPrivateNetworks false
	var got events
	err := c.Crawl(t.Context(), networkSource(site), got.add)
	if !errors.Is(err, crawler.ErrPrivateAddress) {
		t.Fatalf("Crawl error %v, want ErrPrivateAddress", err)
	}
	if !strings.Contains(err.Error(), "allow_private_networks") {
		t.Errorf("error %q does not name allow_private_networks", err)
	}
	if n := len(site.Requests()); n != 0 {
		t.Errorf("site logged %d requests, want 0", n)
	}
}

func TestCrawlEveryStartURLFails(t *testing.T) {
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte("-- /robots.txt --\nUser-agent: *\nAllow: /\n")))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	var got events
	err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{site.URL + "/gone"}}, got.add)
	if err == nil {
		t.Fatal("Crawl succeeded with its only start URL answering 404")
	}
	for _, ev := range got.all {
		if ev.Kind == crawler.EventFailed && ev.Status != 404 {
			t.Errorf("failed event status %d, want 404", ev.Status)
		}
	}
}

func TestCrawlPerHostDelay(t *testing.T) {
	const pages = "-- /list --\n<html><body><a href=\"/p/1\">1</a><a href=\"/p/2\">2</a><a href=\"/p/3\">3</a></body></html>\n" +
		"-- /p/1 --\n<html><head><title>One</title></head><body><p>One.</p></body></html>\n" +
		"-- /p/2 --\n<html><head><title>Two</title></head><body><p>Two.</p></body></html>\n" +
		"-- /p/3 --\n<html><head><title>Three</title></head><body><p>Three.</p></body></html>\n"
	for _, test := range []struct {
		name   string
		robots string
		cfg    time.Duration
		src    time.Duration
		want   time.Duration
	}{
		{"source delay overrides crawler delay", "User-agent: *\nDisallow:\n", time.Millisecond, 120 * time.Millisecond, 120 * time.Millisecond},
		{"crawler delay", "User-agent: *\nDisallow:\n", 100 * time.Millisecond, 0, 100 * time.Millisecond},
		{"Crawl-delay larger than delay", "User-agent: casebook\nCrawl-delay: 0.15\n", 0, 10 * time.Millisecond, 150 * time.Millisecond},
	} {
		t.Run(test.name, func(t *testing.T) {
			site := crawlertest.ServeArchive(t, txtar.Parse([]byte("-- /robots.txt --\n"+test.robots+pages)))
			c := crawler.New(crawler.Config{AllowPrivateNetworks: true, Delay: test.cfg, Concurrency: 4})
			src := crawler.Source{Name: "slow", StartURLs: []string{site.URL + "/list"}, Delay: test.src}
			if err := c.Crawl(t.Context(), src, func(crawler.Event) {}); err != nil {
				t.Fatal(err)
			}
			reqs := site.Requests()
			if len(reqs) != 5 {
				t.Fatalf("%d requests, want 5 (robots, list, 3 pages)", len(reqs))
			}
			for i := 1; i < len(reqs); i++ {
				if gap := reqs[i].Time.Sub(reqs[i-1].Time); gap < test.want {
					t.Errorf("gap before %s: %v, want at least %v", reqs[i].Path, gap, test.want)
				}
			}
		})
	}
}

func TestCrawlCanceled(t *testing.T) {
	site := networkSite(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	if err := c.Crawl(ctx, networkSource(site), func(crawler.Event) {}); !errors.Is(err, context.Canceled) {
		t.Errorf("Crawl error %v, want context.Canceled", err)
	}
}

// An endless calendar stops at MaxDepth and MaxPages.
func TestCrawlTrapLimits(t *testing.T) {
	a := &txtar.Archive{}
	for m := 1; m <= 30; m++ {
		n := strconv.Itoa(m)
		a.Files = append(a.Files,
			txtar.File{Name: "/cal?month=" + n, Data: []byte(`<html><body><a href="/event/` + n + `">Event</a> <a href="/cal?month=` + strconv.Itoa(m+1) + `">Next month</a></body></html>`)},
			txtar.File{Name: "/event/" + n, Data: []byte(`<html lang="en"><head><title>Event ` + n + `</title></head><body><p>A neighbourhood festival.</p></body></html>`)})
	}
	for _, test := range []struct {
		name      string
		maxDepth  int
		maxPages  int
		practices int
		requests  int // without robots.txt
	}{
		{"max_depth", 3, 0, 3, 7},
		{"max_pages", 0, 5, 2, 5},
	} {
		t.Run(test.name, func(t *testing.T) {
			site := crawlertest.ServeArchive(t, a)
			c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
			src := crawler.Source{Name: "cal", StartURLs: []string{site.URL + "/cal?month=1"},
				Follow: res(`^/cal`), Include: res(`^/event/`), MaxDepth: test.maxDepth, MaxPages: test.maxPages}
			var got events
			if err := c.Crawl(t.Context(), src, got.add); err != nil {
				t.Fatal(err)
			}
			if n := len(got.urls(crawler.EventPractice)); n != test.practices {
				t.Errorf("%d practices, want %d", n, test.practices)
			}
			if n := len(site.Requests()) - site.Count("/robots.txt"); n != test.requests {
				t.Errorf("%d page requests, want %d", n, test.requests)
			}
		})
	}
}

// Five redirects are followed and the page is known under its final URL;
// a sixth fails the page.
func TestCrawlRedirects(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- /start --\n<html><body><a href=\"/a1\">five</a> <a href=\"/b1\">six</a></body></html>\n")
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, "-- HEADERS /a%d --\nStatus: 301\nLocation: /a%d\n", i, i+1)
	}
	b.WriteString("-- /a6 --\n<html lang=en><head><title>Moved practice</title></head><body><p>Here now.</p></body></html>\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "-- HEADERS /b%d --\nStatus: 302\nLocation: /b%d\n", i, i+1)
	}
	b.WriteString("-- /b7 --\n<html><head><title>Too far</title></head><body></body></html>\n")
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte(b.String())))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	var got events
	if err := c.Crawl(t.Context(), crawler.Source{Name: "r", StartURLs: []string{site.URL + "/start"}}, got.add); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{site.URL + "/a6"}, got.urls(crawler.EventPractice)); diff != "" {
		t.Errorf("practices (-want +got):\n%s", diff)
	}
	if err := got.reason(crawler.EventFailed, site.URL+"/b1"); !errors.Is(err, crawler.ErrTooManyRedirects) {
		t.Errorf("six redirects: %v, want ErrTooManyRedirects", err)
	}
	if n := site.Count("/b7"); n != 0 {
		t.Errorf("/b7 requested %d times after six redirects", n)
	}
}
