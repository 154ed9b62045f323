package crawler_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/crawlertest"
	"github.com/casebook-project/casebook/indexer"
)

func page(title, head string) string {
	return `<!DOCTYPE html><html lang="en"><head><title>` + title + `</title>` + head + `</head><body><main><h1>` + title + `</h1><p>The city opened a welcome desk for newcomers.</p></main></body></html>`
}

// Sitemap xhtml:link alternates become the translations of pages that name
// none themselves, and are crawled like hreflang links.
func TestCrawlSitemapAlternates(t *testing.T) {
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte(`-- /robots.txt --
User-agent: *
Sitemap: {{base}}/sitemap.xml
-- /sitemap.xml --
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>{{base}}/en/desk</loc>
  <xhtml:link rel="alternate" hreflang="en" href="{{base}}/en/desk"/>
  <xhtml:link rel="alternate" hreflang="fr" href="{{base}}/fr/guichet"/>
  <xhtml:link rel="alternate" hreflang="de-DE" href="{{base}}/de/schalter?utm_source=sitemap"/>
  <xhtml:link rel="alternate" hreflang="x-default" href="{{base}}/desk"/></url>
<url><loc>{{base}}/en/own</loc>
  <xhtml:link rel="alternate" hreflang="fr" href="{{base}}/fr/propre"/></url>
</urlset>
-- /en/desk --
`+page("Welcome desk", "")+`
-- /fr/guichet --
`+page("Guichet d'accueil", "")+`
-- /de/schalter --
`+page("Willkommensschalter", "")+`
-- /en/own --
`+page("Own alternates", `<link rel="alternate" hreflang="es" href="/es/propio">`)+`
-- /fr/propre --
`+page("Alternatives propres", "")+`
-- /es/propio --
`+page("Propio", "")+`
`)))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	var got events
	if err := c.Crawl(t.Context(), crawler.Source{Name: "s", Sitemaps: []string{site.URL + "/sitemap.xml"}}, got.add); err != nil {
		t.Fatal(err)
	}
	b := site.URL
	for _, test := range []struct {
		url  string
		want []indexer.Translation
	}{
		{"/en/desk", []indexer.Translation{{Lang: "fr", URL: b + "/fr/guichet"}, {Lang: "de", URL: b + "/de/schalter"}}},
		{"/fr/guichet", []indexer.Translation{{Lang: "en", URL: b + "/en/desk"}, {Lang: "de", URL: b + "/de/schalter"}}},
		{"/de/schalter", []indexer.Translation{{Lang: "en", URL: b + "/en/desk"}, {Lang: "fr", URL: b + "/fr/guichet"}}},
		// The page's own hreflang wins over the sitemap's.
		{"/en/own", []indexer.Translation{{Lang: "es", URL: b + "/es/propio"}}},
	} {
		p := got.practice(b + test.url)
		if p == nil {
			t.Errorf("%s: no practice; practices %v", test.url, got.urls(crawler.EventPractice))
			continue
		}
		if diff := cmp.Diff(test.want, p.Translations); diff != "" {
			t.Errorf("%s translations (-want +got):\n%s", test.url, diff)
		}
	}
	if n := site.Count("/desk"); n != 0 {
		t.Errorf("x-default alternate fetched %d times", n)
	}
}

// Redirects: every hop stays on the source's hosts and the final URL must
// be in scope; a 301 within the site is indexed under the new URL.
func TestCrawlRedirectScope(t *testing.T) {
	other := crawlertest.ServeArchive(t, txtar.Parse([]byte("-- /p/elsewhere --\n"+page("Elsewhere", "")+"\n")))
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte(`-- /robots.txt --
User-agent: *
-- /list --
<a href="/p/moved">m</a> <a href="/p/login">l</a> <a href="/p/away">a</a> <a href="/p/excluded-soon">e</a>
-- HEADERS /p/moved --
Status: 301
Location: /p/new-home
-- /p/new-home --
`+page("New home", "")+`
-- HEADERS /p/login --
Status: 302
Location: /account/login
-- /account/login --
`+page("Log in", "")+`
-- HEADERS /p/away --
Status: 302
Location: `+other.URL+`/p/elsewhere
-- HEADERS /p/excluded-soon --
Status: 302
Location: /p/private/x
-- /p/private/x --
`+page("Private", "")+`
`)))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	var got events
	src := crawler.Source{Name: "s", StartURLs: []string{site.URL + "/list"}, Include: res(`^/p/`), Follow: res(`^/list$`), Exclude: res(`^/p/private/`)}
	if err := c.Crawl(t.Context(), src, got.add); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{site.URL + "/p/new-home"}, got.urls(crawler.EventPractice)); diff != "" {
		t.Errorf("practices (-want +got):\n%s", diff)
	}
	for _, test := range []struct {
		path string
		want error
	}{
		{"/p/login", crawler.ErrNotIncluded},
		{"/p/away", crawler.ErrOffSite},
		{"/p/excluded-soon", crawler.ErrExcluded},
	} {
		if err := got.reason(crawler.EventSkipped, site.URL+test.path); !errors.Is(err, test.want) {
			t.Errorf("%s: %v, want %v", test.path, err, test.want)
		}
	}
	if n := len(other.Requests()); n != 0 {
		t.Errorf("the other site got %d requests, want 0 (the hop is refused before it is made)", n)
	}
}

// Crawler traps: a relative-link loop stops after two repetitions of a
// path run, URLs over 2048 characters and the 51st query variant of a
// path are skipped with a reason and never requested.
func TestCrawlTraps(t *testing.T) {
	long := "/p/" + strings.Repeat("x", 2100)
	var (
		mu        sync.Mutex
		requested []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requested = append(requested, r.URL.RequestURI())
		mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/cal":
			var b strings.Builder
			for i := 1; i <= 60; i++ {
				fmt.Fprintf(&b, `<a href="/cal/day?d=%d">%d</a>`, i, i)
			}
			fmt.Fprintf(&b, `<a href="%s">long</a>`, long)
			_, _ = w.Write([]byte(b.String()))
		default: // every page links a/b/ relative to itself: an endless path
			_, _ = w.Write([]byte(`<html><body><a href="a/b/">deeper</a></body></html>`))
		}
	}))
	defer srv.Close()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, Concurrency: 1})
	var got events
	src := crawler.Source{Name: "s", StartURLs: []string{srv.URL + "/x/", srv.URL + "/cal"}, Follow: res(`^/x/`, `^/cal$`), MaxDepth: 20}
	if err := c.Crawl(t.Context(), src, got.add); err != nil {
		t.Fatal(err)
	}
	var loop []string
	days := 0
	mu.Lock()
	defer mu.Unlock()
	for _, p := range requested {
		switch {
		case strings.HasPrefix(p, "/x/"):
			loop = append(loop, p)
		case strings.HasPrefix(p, "/cal/day"):
			days++
		case strings.HasPrefix(p, "/p/"):
			t.Errorf("long URL requested")
		}
	}
	if diff := cmp.Diff([]string{"/x/", "/x/a/b/", "/x/a/b/a/b/"}, loop); diff != "" {
		t.Errorf("loop requests (-want +got):\n%s", diff)
	}
	if days != crawler.MaxQueryVariantsForTest {
		t.Errorf("%d query variants of /cal/day requested, want %d", days, crawler.MaxQueryVariantsForTest)
	}
	traps := map[string]bool{}
	for _, ev := range got.all {
		if ev.Kind == crawler.EventSkipped && errors.Is(ev.Err, crawler.ErrTrap) {
			traps[strings.TrimPrefix(ev.URL, srv.URL)] = true
		}
	}
	for _, want := range []string{"/x/a/b/a/b/a/b/", long, fmt.Sprintf("/cal/day?d=%d", crawler.MaxQueryVariantsForTest+1)} {
		if !traps[want] {
			t.Errorf("no trap reported for %.60s…; reported %d", want, len(traps))
		}
	}
	if len(traps) != 3 {
		t.Errorf("%d traps reported, want 3 (one per path for query variants)", len(traps))
	}
}
