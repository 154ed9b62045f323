package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

// Hostile strings a member site (or an import file) could carry.
const (
	xssTitle   = `<script>alert("title")</script><img src=x onerror=alert(1)> Hostile housing`
	xssCity    = `<script>alert("city")</script>`
	xssCity2   = `Lyon" onmouseover="alert(4)`
	xssNetwork = `<b onclick=alert(8)>Net</b>`
)

// xssPractices are practices whose every text field tries markup and
// whose links use javascript:, data: and attribute-breaking URLs.
func xssPractices() []indexer.Practice {
	return []indexer.Practice{
		{
			// The indexer refuses a javascript: practice URL (see
			// TestXSSPracticeURLRefused) and drops such translations; the
			// outputs filter them again for indexes written before.
			ID: "hostile-js", URL: "", Source: "icc", Network: xssNetwork,
			Title:        xssTitle,
			Summary:      `<a href="javascript:alert(2)">click</a> housing summary`,
			Body:         "Hostile housing body <svg onload=alert(3)> \"><script>alert(9)</script> '-alert(1)-' </mark><mark> javascript:alert(1)\n\n## <i>heading</i>\n\n- <iframe src=javascript:alert(1)>",
			Cities:       []string{xssCity, xssCity2},
			Country:      "FR",
			Themes:       []string{"housing-urban"},
			Lang:         "en",
			Year:         2020,
			Translations: []indexer.Translation{{Lang: "fr", URL: "javascript:alert(6)"}, {Lang: "de", URL: "data:text/html,<script>alert(7)</script>"}},
		},
		{
			ID: "hostile-quote", URL: `https://example.org/a"onmouseover="alert(10)`, Source: "icc", Network: "Intercultural Cities",
			Title: `Hostile housing "quoted" ' title`, Body: "Hostile housing with a quoting URL.", Cities: []string{"Paris"}, Lang: "en",
			Translations: []indexer.Translation{{Lang: "fr", URL: "JaVaScRiPt:alert(11)"}, {Lang: "de", URL: "https://example.org/de/ok"}},
		},
	}
}

// xssHandler serves the hostile practices from an index of their own.
func xssHandler(t testing.TB, origins ...string) (http.Handler, *indexer.Index) {
	t.Helper()
	ix, err := indexer.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Upsert(context.Background(), xssPractices()); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{Engine: search.New(ix), AllowedOrigins: origins, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler(), ix
}

// checkInert parses an HTML page and fails on anything a hostile string
// could have turned into: a script other than the page's own, event
// handler attributes, elements the page never writes, or a link or source
// that is not a same-origin path or http(s). It returns the page's text.
func checkInert(t *testing.T, where, page string, ownScripts ...string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	var text strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "img", "svg", "iframe", "object", "embed", "b", "i":
				t.Errorf("%s: a <%s> element made it into the page", where, n.Data)
			case "script":
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				if !contains(ownScripts, src) || n.FirstChild != nil {
					t.Errorf("%s: script src=%q with content %v", where, src, n.FirstChild != nil)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s=%q>", where, n.Data, a.Key, a.Val)
				}
				if a.Key == "href" || a.Key == "src" || a.Key == "action" {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if !(strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "#")) {
						t.Errorf("%s: <%s %s=%q> is not a path or http(s) link", where, n.Data, a.Key, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return text.String()
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestXSSPages: hostile titles, snippets, city names, networks and URLs are
// text in the search page and the practice page, and links are http(s).
func TestXSSPages(t *testing.T) {
	h, _ := xssHandler(t)
	fetch := func(target string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		return rec.Body.String()
	}
	for _, target := range []string{"/?q=hostile+housing", "/?q=alert+script", "/?city=" + strings.ReplaceAll(xssCity, " ", "+"), "/?q=%3Cscript%3E&network=%3Cb%3E"} {
		text := checkInert(t, target, fetch(target), "/static/page.js")
		if target == "/?q=hostile+housing" {
			for _, want := range []string{`<script>alert("title")</script>`, xssCity, `Lyon" onmouseover`, xssNetwork} {
				if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) { // cities are title-cased
					t.Errorf("%s: the text %q is not shown as text", target, want)
				}
			}
		}
	}
	for _, id := range []string{"hostile-js", "hostile-quote"} {
		page := fetch("/p/" + id)
		text := checkInert(t, "/p/"+id, page)
		if id == "hostile-js" {
			if !strings.Contains(text, `<script>alert(9)</script>`) || !strings.Contains(strings.ToLower(text), xssCity) || !strings.Contains(text, "<iframe src=javascript:alert(1)>") {
				t.Errorf("/p/%s: hostile body or city not shown as text", id)
			}
			if strings.Contains(page, `class="original"`) {
				t.Errorf("/p/%s links its javascript: URL", id)
			}
		}
		if id == "hostile-quote" && !strings.Contains(page, `href="https://example.org/de/ok"`) {
			t.Errorf("/p/%s lost its https translation", id)
		}
	}
}

// TestXSSAPI: the API never hands an embedding page a non-http(s) link, and
// *_html fields hold only text and <mark>.
func TestXSSAPI(t *testing.T) {
	h, _ := xssHandler(t)
	get := func(target string) []byte {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	httpOnly := func(where, u string) {
		if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			t.Errorf("%s: link %q is not http(s)", where, u)
		}
	}
	var res search.Result
	if err := json.Unmarshal(get("/api/v1/search?q=hostile+housing"), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("%d hits; want both hostile practices", len(res.Hits))
	}
	for _, hit := range res.Hits {
		httpOnly(hit.ID+" url", hit.URL)
		for _, tr := range hit.Translations {
			httpOnly(hit.ID+" translation", tr.URL)
		}
		for name, frag := range map[string]string{"title_html": hit.TitleHTML, "snippet_html": hit.SnippetHTML} {
			nodes, err := html.ParseFragment(strings.NewReader(frag), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range nodes {
				if n.Type == html.ElementNode && (n.Data != "mark" || len(n.Attr) > 0 || n.FirstChild != nil && n.FirstChild.Type != html.TextNode) {
					t.Errorf("%s %s holds <%s>: %q", hit.ID, name, n.Data, frag)
				}
			}
		}
	}
	for _, id := range []string{"hostile-js", "hostile-quote"} {
		var p indexer.Practice
		if err := json.Unmarshal(get("/api/v1/practices/"+id), &p); err != nil {
			t.Fatal(err)
		}
		httpOnly(id+" url", p.URL)
		for _, tr := range p.Translations {
			httpOnly(id+" translation", tr.URL)
		}
		if id == "hostile-js" && (p.URL != "" || len(p.Translations) != 0 || p.Title != xssTitle) {
			t.Errorf("practice %s: url %q, translations %v, title %q; want no links and the title as stored", id, p.URL, p.Translations, p.Title)
		}
	}
}

// A practice whose own link is javascript: or data: never enters the index.
func TestXSSPracticeURLRefused(t *testing.T) {
	ix, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, u := range []string{"javascript:alert(5)", "data:text/html,<script>alert(7)</script>", "vbscript:msgbox(1)"} {
		err := ix.Upsert(t.Context(), []indexer.Practice{{URL: u, Title: "Hostile"}})
		if !errors.Is(err, indexer.ErrInvalid) {
			t.Errorf("Upsert of a practice at %q: %v, want ErrInvalid", u, err)
		}
	}
	if n, _ := ix.Count(t.Context()); n != 0 {
		t.Errorf("index holds %d practices after refused upserts", n)
	}
}
