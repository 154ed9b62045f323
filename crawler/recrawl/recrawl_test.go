package recrawl_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/crawlertest"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
)

// page is a practice page of the fake member site.
func page(title, body string) string {
	return fmt.Sprintf(`<!doctype html><html lang="en"><head><title>%[1]s</title></head>
<body><nav><a href="/list">All practices</a></nav>
<main><h1>%[1]s</h1><div class="body"><p>%[2]s</p></div>
<p class="city">Lisbon</p><ul class="tags"><li>Housing</li></ul></main>
<footer>City of Lisbon · Praça do Município</footer></body></html>`, title, body)
}

// site builds the archive: robots.txt, a listing linking to linked, and pages.
func site(robots string, linked []string, pages map[string]string, headers map[string]string) *txtar.Archive {
	a := &txtar.Archive{}
	add := func(name, data string) { a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(data)}) }
	add("/robots.txt", robots)
	var list strings.Builder
	list.WriteString(`<html lang="en"><body><h1>Good practices</h1><ul>`)
	for _, l := range linked {
		fmt.Fprintf(&list, `<li><a href="%s">%s</a></li>`, l, l)
	}
	list.WriteString(`</ul></body></html>`)
	add("/list", list.String())
	for path, html := range pages {
		add(path, html)
	}
	for path, h := range headers {
		add("HEADERS "+path, h)
	}
	return a
}

// lisbonSource is the configured source of the fake member site at base:
// its listing /list links to the practices under /p/.
func lisbonSource(base string) crawler.Source {
	return crawler.Source{
		Name:      "lisbon",
		Network:   "Intercultural Cities",
		StartURLs: []string{base + "/list"},
		Include:   []*regexp.Regexp{regexp.MustCompile(`^/p/`)},
		Follow:    []*regexp.Regexp{regexp.MustCompile(`^/list$`)},
		Fields:    crawler.Fields{Title: "h1", Body: ".body", City: ".city", Themes: ".tags li"},
	}
}

const body = "The city opened a housing advice desk for newcomers in the Mouraria district, with mediators who speak Bengali, Nepali and Portuguese, and a fund that guarantees the first rent."

func TestRunAddsUpdatesRemovesAndKeeps(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	robots := "User-agent: *\nAllow: /\n"
	pages := map[string]string{
		"/p/a": page("Advice desk A", body),
		"/p/b": page("Practice B", body),
		"/p/c": page("Practice C", body),
		"/p/d": page("Practice D", body),
	}
	fake := crawlertest.ServeArchive(t, site(robots, []string{"/p/a", "/p/b", "/p/c", "/p/d"}, pages, nil))
	src := lisbonSource(fake.URL)
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond})
	ctx := t.Context()

	sum, err := recrawl.Run(ctx, c, ix, []crawler.Source{src}, recrawl.Options{})
	if err != nil || !sum.OK {
		t.Fatalf("first run: %v %+v", err, sum)
	}
	if want := (recrawl.Counts{Fetched: 5, Added: 4}); sum.Total != want {
		t.Errorf("first run counts = %+v, want %+v", sum.Total, want)
	}

	// The site changes: A is edited, B answers 404, C is no longer linked,
	// D answers 503 for now, E is new.
	pages["/p/a"] = page("Advice desk A, extended to Arroios", body)
	pages["/p/e"] = page("Practice E", body)
	delete(pages, "/p/b")
	fake.Replace(site(robots, []string{"/p/a", "/p/b", "/p/d", "/p/e"}, pages, map[string]string{"/p/d": "Status: 503"}))

	var progress int
	sum, err = recrawl.Run(ctx, c, ix, []crawler.Source{src}, recrawl.Options{
		Progress: func(r *recrawl.SourceReport) { progress++ },
	})
	if err != nil || !sum.OK {
		t.Fatalf("second run: %v %+v", err, sum)
	}
	// Fetched: robots is not a page; /list, A, E (B 404 and D 503 failed).
	want := recrawl.Counts{Fetched: 3, Added: 1, Updated: 1, Removed: 2, Failed: 2}
	if sum.Total != want {
		t.Errorf("second run counts = %+v, want %+v", sum.Total, want)
	}
	if progress == 0 {
		t.Error("Progress was never called")
	}
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("index holds %d practices, want 3 (A, D kept despite 503, E)", n)
	}
	if got := titles(t, ix, fake.URL, "/p/a", "/p/d", "/p/e"); got != "Advice desk A, extended to Arroios|Practice D|Practice E" {
		t.Errorf("titles = %q", got)
	}
	if len(sum.Sources[0].Errors) != 2 {
		t.Errorf("errors = %+v, want the 404 and the 503 with their URLs", sum.Sources[0].Errors)
	}

	// robots.txt answers 503: the source fails as a whole and keeps
	// everything. A new Crawler (a new casebook process): c would reuse the
	// robots.txt it read less than 24 hours ago.
	fake.Replace(site(robots, nil, nil, map[string]string{"/robots.txt": "Status: 503"}))
	c = crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond})
	sum, err = recrawl.Run(ctx, c, ix, []crawler.Source{src}, recrawl.Options{})
	if !errors.Is(err, recrawl.ErrSourcesFailed) || sum.OK || sum.Sources[0].Error == "" {
		t.Errorf("robots 503 run: err %v, summary %+v; want ErrSourcesFailed with a reason", err, sum)
	}
	if sum.Total.Removed != 0 {
		t.Errorf("robots 503 run removed %d practices", sum.Total.Removed)
	}
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("after a failed run the index holds %d practices, want 3", n)
	}

	// A canceled run removes nothing either.
	fake.Replace(site(robots, nil, nil, nil)) // an empty listing: would remove all if complete
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := recrawl.Run(canceled, c, ix, []crawler.Source{src}, recrawl.Options{}); err == nil {
		t.Error("canceled run returned no error")
	}
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("after a canceled run the index holds %d practices, want 3", n)
	}
}

func titles(t *testing.T, ix *indexer.Index, base string, paths ...string) string {
	t.Helper()
	var out []string
	for _, p := range paths {
		doc, err := ix.Get(t.Context(), indexer.IDForURL(base+p))
		if err != nil {
			t.Fatalf("Get %s: %v", p, err)
		}
		out = append(out, doc.Title)
	}
	return strings.Join(out, "|")
}

// A second crawl asks with the validators it stored and skips pages whose
// sitemap lastmod is older than the last fetch: everything is unchanged
// and kept. Full refetches everything; a changed page is updated.
func TestRunIncremental(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	robots := "User-agent: *\nAllow: /\nSitemap: {{base}}/sitemap.xml\n"
	pages := map[string]string{
		"/p/a":         page("Advice desk A", body),
		"/p/b":         page("Practice B", body),
		"/p/c":         page("Practice C", body),
		"/sitemap.xml": `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{base}}/p/c</loc><lastmod>2020-01-01</lastmod></url></urlset>`,
	}
	headers := map[string]string{
		"/p/a": `ETag: "a1"`,
		"/p/b": "Last-Modified: Wed, 01 Jan 2020 10:00:00 GMT",
	}
	fake := crawlertest.ServeArchive(t, site(robots, []string{"/p/a", "/p/b"}, pages, headers))
	src := lisbonSource(fake.URL)
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	ctx := t.Context()
	run := func(name string, opts recrawl.Options, want recrawl.Counts) {
		t.Helper()
		sum, err := recrawl.Run(ctx, c, ix, []crawler.Source{src}, opts)
		if err != nil || !sum.OK {
			t.Fatalf("%s: %v %+v", name, err, sum)
		}
		if sum.Total != want {
			t.Errorf("%s: counts %+v, want %+v", name, sum.Total, want)
		}
	}

	run("first crawl", recrawl.Options{}, recrawl.Counts{Fetched: 4, Added: 3})
	if n := len(fake.Conditional()); n != 0 {
		t.Errorf("first crawl sent %d conditional requests, want 0", n)
	}

	before := len(fake.Requests())
	run("second crawl", recrawl.Options{}, recrawl.Counts{Fetched: 1, Unchanged: 3})
	var cond []string
	for _, r := range fake.Requests()[before:] {
		switch {
		case r.Header.Get("If-None-Match") != "":
			cond = append(cond, r.Path+" If-None-Match: "+r.Header.Get("If-None-Match")+" -> "+fmt.Sprint(r.Status))
		case r.Header.Get("If-Modified-Since") != "":
			cond = append(cond, r.Path+" If-Modified-Since: "+r.Header.Get("If-Modified-Since")+" -> "+fmt.Sprint(r.Status))
		}
	}
	wantCond := []string{
		`/p/a If-None-Match: "a1" -> 304`,
		"/p/b If-Modified-Since: Wed, 01 Jan 2020 10:00:00 GMT -> 304",
	}
	if strings.Join(cond, "\n") != strings.Join(wantCond, "\n") {
		t.Errorf("conditional requests of the second crawl:\n%s\nwant:\n%s", strings.Join(cond, "\n"), strings.Join(wantCond, "\n"))
	}
	if n := fake.Count("/p/c"); n != 1 {
		t.Errorf("/p/c (sitemap lastmod 2020) requested %d times in two crawls, want 1", n)
	}
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("index holds %d practices after the unchanged crawl, want 3", n)
	}

	before = len(fake.Requests())
	run("full crawl", recrawl.Options{Full: true}, recrawl.Counts{Fetched: 4, Unchanged: 3})
	for _, r := range fake.Requests()[before:] {
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			t.Errorf("full crawl sent a conditional request for %s", r.Path)
		}
	}
	if n := fake.Count("/p/c"); n != 2 {
		t.Errorf("/p/c requested %d times after a full crawl, want 2", n)
	}

	// A changes, with a new ETag: the conditional request gets a 200.
	pages["/p/a"] = page("Advice desk A, extended to Arroios", body)
	headers["/p/a"] = `ETag: "a2"`
	fake.Replace(site(robots, []string{"/p/a", "/p/b"}, pages, headers))
	run("after an edit", recrawl.Options{}, recrawl.Counts{Fetched: 2, Updated: 1, Unchanged: 2})
	if got := titles(t, ix, fake.URL, "/p/a"); got != "Advice desk A, extended to Arroios" {
		t.Errorf("title after the edit = %q", got)
	}
	run("after the edit, again", recrawl.Options{}, recrawl.Counts{Fetched: 1, Unchanged: 3})
}

// A practice that moved with a 301 is indexed under its new URL and its old
// id is removed at the end of the (complete) crawl.
func TestRunRedirectMovesPractice(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	robots := "User-agent: *\nAllow: /\n"
	fake := crawlertest.ServeArchive(t, site(robots, []string{"/p/old"}, map[string]string{"/p/old": page("Moving practice", body)},
		map[string]string{"/p/old": `ETag: "m1"`}))
	src := lisbonSource(fake.URL)
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	if _, err := recrawl.Run(t.Context(), c, ix, []crawler.Source{src}, recrawl.Options{}); err != nil {
		t.Fatal(err)
	}
	// Same content and ETag at the new URL: the validators of /p/old must
	// not turn the moved page into a 304 for the old URL.
	fake.Replace(site(robots, []string{"/p/old"}, map[string]string{"/p/new": page("Moving practice", body)},
		map[string]string{"/p/old": "Status: 301\nLocation: /p/new", "/p/new": `ETag: "m1"`}))
	sum, err := recrawl.Run(t.Context(), c, ix, []crawler.Source{src}, recrawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (recrawl.Counts{Fetched: 2, Added: 1, Removed: 1}); sum.Total != want {
		t.Errorf("counts %+v, want %+v", sum.Total, want)
	}
	if _, err := ix.Get(t.Context(), indexer.IDForURL(fake.URL+"/p/old")); !errors.Is(err, indexer.ErrNotFound) {
		t.Errorf("old id: %v, want ErrNotFound", err)
	}
	if got := titles(t, ix, fake.URL, "/p/new"); got != "Moving practice" {
		t.Errorf("new URL title %q", got)
	}
}

// A host that keeps failing is given up after other pages succeeded: the
// source is OK but incomplete, and nothing is removed.
func TestRunHostGivenUpRemovesNothing(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	robots := "User-agent: *\nAllow: /\n"
	var linked []string
	pages := map[string]string{}
	for i := range 8 {
		p := fmt.Sprintf("/p/%d", i)
		linked = append(linked, p)
		pages[p] = page(fmt.Sprintf("Practice %d", i), body)
	}
	fake := crawlertest.ServeArchive(t, site(robots, linked, pages, nil))
	src := lisbonSource(fake.URL)
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond, Concurrency: 1})
	if _, err := recrawl.Run(t.Context(), c, ix, []crawler.Source{src}, recrawl.Options{}); err != nil {
		t.Fatal(err)
	}
	// Every practice page now answers 500; the listing still works and no
	// longer links /p/7 (which would be removed by a complete crawl).
	hdrs := map[string]string{}
	for _, p := range linked {
		hdrs[p] = "Status: 500"
	}
	fake.Replace(site(robots, linked[:7], pages, hdrs))
	sum, err := recrawl.Run(t.Context(), c, ix, []crawler.Source{src}, recrawl.Options{})
	if err != nil {
		t.Fatalf("Run: %v (a source with a working listing must not fail as a whole)", err)
	}
	rep := sum.Sources[0]
	if !rep.OK || !rep.Incomplete || !strings.Contains(rep.Error, "given up") {
		t.Errorf("report ok %v incomplete %v error %q; want ok, incomplete, naming the given-up host", rep.OK, rep.Incomplete, rep.Error)
	}
	if rep.Removed != 0 || rep.Failed != 7 {
		t.Errorf("removed %d failed %d; want 0 removed, 7 failed", rep.Removed, rep.Failed)
	}
	if n, _ := ix.Count(t.Context()); n != 8 {
		t.Errorf("index holds %d practices, want 8", n)
	}
}

// A translation that only the hreflang of an unchanged page leads to must
// survive an incremental crawl: the unchanged page is not parsed again, so
// its stored alternates have to lead the crawler there.
func TestRunKeepsTranslationsOfUnchangedPages(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	alternates := `<link rel="alternate" hreflang="en" href="/p/en"><link rel="alternate" hreflang="fr" href="/p/fr">`
	withAlternates := func(html string) string { return strings.Replace(html, "</head>", alternates+"</head>", 1) }
	pages := map[string]string{
		"/p/en": withAlternates(page("Housing advice desk", body)),
		"/p/fr": withAlternates(strings.Replace(page("Bureau de conseil logement", body), `lang="en"`, `lang="fr"`, 1)),
	}
	headers := map[string]string{"/p/en": `ETag: "en1"`, "/p/fr": `ETag: "fr1"`}
	// The listing links to the English page only.
	fake := crawlertest.ServeArchive(t, site("User-agent: *\nAllow: /\n", []string{"/p/en"}, pages, headers))
	src := lisbonSource(fake.URL)
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	for i, want := range []recrawl.Counts{
		{Fetched: 3, Added: 2},     // listing, en, fr (found through hreflang)
		{Fetched: 1, Unchanged: 2}, // listing; en and fr answer 304
	} {
		sum, err := recrawl.Run(t.Context(), c, ix, []crawler.Source{src}, recrawl.Options{})
		if err != nil || !sum.OK {
			t.Fatalf("crawl %d: %v %+v", i+1, err, sum)
		}
		if sum.Total != want {
			t.Errorf("crawl %d: counts %+v, want %+v", i+1, sum.Total, want)
		}
	}
	if n, _ := ix.Count(t.Context()); n != 2 {
		t.Errorf("index holds %d practices after the incremental crawl, want 2 (the French translation was dropped)", n)
	}
}
