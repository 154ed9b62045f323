package recrawl_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

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
	src := crawler.Source{
		Name:      "lisbon",
		Network:   "Intercultural Cities",
		StartURLs: []string{fake.URL + "/list"},
		Include:   []*regexp.Regexp{regexp.MustCompile(`^/p/`)},
		Follow:    []*regexp.Regexp{regexp.MustCompile(`^/list$`)},
		Fields:    crawler.Fields{Title: "h1", Body: ".body", City: ".city", Themes: ".tags li"},
	}
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
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

	// robots.txt answers 503: the source fails as a whole and keeps everything.
	fake.Replace(site(robots, nil, nil, map[string]string{"/robots.txt": "Status: 503"}))
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
