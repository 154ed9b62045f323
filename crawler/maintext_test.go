package crawler_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
)

// furniture is what a page shows around its content and what must never
// reach a practice's body.
const furniture = "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo], " +
	"[role=complementary], [role=dialog], [id*=cookie], [class*=cookie], [id*=consent], [class*=consent], " +
	"[id*=onetrust], [class*=share], [class*=sharing], [id*=comments], [id*=respond], [id*=bas-de-page], " +
	"[class*=portlet-column-last], [class*=partage], [class*=publication]"

// furnitureLines returns the lines of text of the page's furniture that
// are not also part of the true body (a footer may repeat the city name).
func furnitureLines(t *testing.T, doc *goquery.Document, truth string) []string {
	t.Helper()
	var out []string
	doc.Find(furniture).Each(func(_ int, s *goquery.Selection) {
		s.Find("*").AddSelection(s).Each(func(_ int, e *goquery.Selection) {
			if e.Children().Length() > 0 {
				return
			}
			line := strings.Join(strings.Fields(e.Text()), " ")
			if len(line) >= 12 && !strings.Contains(truth, line) {
				out = append(out, line)
			}
		})
	})
	return out
}

// recall is the share of truth's words found in got (counted with
// repetition, case folded).
func recall(truth, got string) float64 {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	have := map[string]int{}
	for _, w := range split(got) {
		have[w]++
	}
	want := split(truth)
	if len(want) == 0 {
		return 1
	}
	hit := 0
	for _, w := range want {
		if have[w] > 0 {
			have[w]--
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}

// TestMainContentDemo extracts every demo practice page with no selectors
// at all, the way a member site without configured fields is read: the
// body must hold the whole text of the content file and none of the
// navigation, header, footer, sidebar, forms, share buttons, comment form
// or cookie banner.
func TestMainContentDemo(t *testing.T) {
	sites, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	defer sites.Close()
	pages, err := demo.Load()
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	byTitle := map[string]demo.PracticePage{}
	for _, p := range pages {
		byTitle[p.Site+"\x00"+p.Title] = p
	}
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	checked := 0
	for _, src := range sites.Sources() {
		var found []crawler.Event
		if err := c.Crawl(t.Context(), src, func(ev crawler.Event) {
			if ev.Kind == crawler.EventPractice {
				found = append(found, ev)
			}
		}); err != nil {
			t.Fatalf("crawl %s: %v", src.Name, err)
		}
		bare := crawler.Source{Name: src.Name, Network: src.Network}
		for _, ev := range found {
			page, ok := byTitle[src.Name+"\x00"+ev.Practice.Title]
			if !ok {
				t.Errorf("%s: no content file with title %q", ev.URL, ev.Practice.Title)
				continue
			}
			resp, err := http.Get(ev.Practice.URL)
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			got, err := crawler.Extract(ev.Practice.URL, doc, resp.Header, bare)
			if err != nil {
				t.Errorf("%s: %v", page.File, err)
				continue
			}
			truth := page.BodyText()
			if r := recall(truth, got.Body); r < 0.99 {
				t.Errorf("%s: body holds %.1f%% of the page's text, want ≥ 99%%:\n%s", page.File, 100*r, got.Body)
			}
			for _, line := range furnitureLines(t, doc, truth+page.Title+page.Summary) {
				if strings.Contains(got.Body, line) {
					t.Errorf("%s: page furniture in body: %q", page.File, line)
				}
			}
			if got.Lang != page.Lang {
				t.Errorf("%s: lang %q, want %q", page.File, got.Lang, page.Lang)
			}
			checked++
		}
	}
	if checked != len(pages) {
		t.Errorf("checked %d pages, want every one of the %d content pages", checked, len(pages))
	}
}

// TestMainContentFixtures checks the furniture of the extraction fixtures
// stays out of their bodies, whatever their goldens say.
func TestMainContentFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/extract/*.html")
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".html")
		c := extractCases[name]
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := crawler.Extract(c.url, doc, c.hdr, c.src)
		if got.Body == "" {
			t.Errorf("%s: empty body", name)
		}
		for _, line := range furnitureLines(t, doc, "") {
			if strings.Contains(got.Body, line) {
				t.Errorf("%s: page furniture in body: %q", name, line)
			}
		}
	}
}
