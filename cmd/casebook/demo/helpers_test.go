package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
)

// testContent is the sample content under testdata/content.
func testContent(t *testing.T) fs.FS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata"), "content", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile("testdata/" + name)
		fsys[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// addPages adds n generated pages to a site of fsys, for paging tests.
func addPages(fsys fs.FS, site, lang string, n int) fs.FS {
	m := fsys.(fstest.MapFS)
	for i := range n {
		m[fmt.Sprintf("content/%s/extra-%02d.%s.md", site, i, lang)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"title: Extra practice %02d\nsummary: Generated for a paging test.\ncities: Oslo\ncountry: Norway\nthemes: Youth\nperiod:\npublished: 2019-01-%02d\ngroup: extra-%02d\n---\nText %d.\n",
			i, i%28+1, i, i)}
	}
	return m
}

// serve starts the sites built from fsys on loopback.
func serve(t *testing.T, fsys fs.FS) *Running {
	t.Helper()
	pages, err := LoadFS(fsys, "content")
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	sites, err := Build(pages)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	r, err := start(t.Context(), sites)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(r.Close)
	return r
}

// siteBase returns a site's shared state (pages, URL scheme).
func siteBase(t *testing.T, r *Running, name string) *base {
	t.Helper()
	for _, s := range r.Sites() {
		if s.Name == name {
			return s.Handler.(interface{ practiceBase() *base }).practiceBase()
		}
	}
	t.Fatalf("no site %q", name)
	return nil
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, url string, header ...string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return response{res.StatusCode, res.Header, body}
}

// getOK fetches url and fails the test unless it answers 200.
func getOK(t *testing.T, url string) response {
	t.Helper()
	res := get(t, url)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", url, res.status)
	}
	return res
}

func getDoc(t *testing.T, url string) *goquery.Document {
	t.Helper()
	res := getOK(t, url)
	if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(res.body))
	if err != nil {
		t.Fatalf("GET %s: parse HTML: %v", url, err)
	}
	return doc
}

type sitemapDoc struct {
	XMLName xml.Name
	URLs    []sitemapURL `xml:"url"`
	Maps    []sitemapURL `xml:"sitemap"`
}

// sitemapLocs fetches a sitemap (following a sitemap index, gunzipping
// .gz files) and returns every page it lists.
func sitemapLocs(t *testing.T, url string) []sitemapURL {
	t.Helper()
	res := getOK(t, url)
	body := res.body
	if strings.HasSuffix(url, ".gz") {
		if ct := res.header.Get("Content-Type"); ct != "application/gzip" {
			t.Errorf("GET %s: Content-Type %q, want application/gzip", url, ct)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("GET %s: gunzip: %v", url, err)
		}
	} else if ct := res.header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	var doc sitemapDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("GET %s: parse sitemap: %v", url, err)
	}
	switch doc.XMLName.Local {
	case "urlset":
		return doc.URLs
	case "sitemapindex":
		var out []sitemapURL
		for _, m := range doc.Maps {
			if m.Lastmod == "" {
				t.Errorf("sitemap index %s: %s has no lastmod", url, m.Loc)
			}
			out = append(out, sitemapLocs(t, m.Loc)...)
		}
		return out
	}
	t.Fatalf("GET %s: root element %q", url, doc.XMLName.Local)
	return nil
}

// texts returns the trimmed text of every match.
func texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// selectField applies a crawler selector ("sel" or "sel@attr").
func selectField(doc *goquery.Document, spec string) []string {
	sel, attr := spec, ""
	if i := strings.LastIndexByte(spec, '@'); i > 0 && !strings.ContainsAny(spec[i:], `]"' `) {
		sel, attr = spec[:i], spec[i+1:]
	}
	if attr == "" {
		return texts(doc.Find(sel))
	}
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		if v, ok := s.Attr(attr); ok {
			out = append(out, v)
		}
	})
	return out
}

// hreflangs returns the page's alternates as "lang href" strings, sorted.
func hreflangs(doc *goquery.Document) []string {
	var out []string
	doc.Find(`link[rel="alternate"][hreflang]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("hreflang", "")+" "+s.AttrOr("href", ""))
	})
	slices.Sort(out)
	return out
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func matchesAny(res []*regexp.Regexp, s string) bool {
	return slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(s) })
}
