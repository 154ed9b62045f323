package crawler_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/casebook-project/casebook/crawler"
)

// hostileText is the paragraph hostile pages carry when they are usable.
const hostileText = "The district opens its community kitchen to newcomers every Thursday evening."

// servePages serves path -> (Content-Type, body); a Content-Type of "-"
// sends none at all.
func servePages(pages map[string][2]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pg, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if pg[0] == "-" {
			w.Header()["Content-Type"] = nil // no sniffing by the server either
		} else {
			w.Header().Set("Content-Type", pg[0])
		}
		_, _ = w.Write([]byte(pg[1]))
	})
}

func pagePaths(pages map[string][2]string) []string {
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out
}

// Deeply nested and malformed HTML: no panic, no hang; a page the parser
// accepts is a practice with its title and text, the one it refuses
// (100,000 nested divs: more than the 512 open elements x/net/html
// allows) fails with a message naming the HTML parser.
func TestHostileMalformedHTML(t *testing.T) {
	const html = "text/html; charset=utf-8"
	pages := map[string][2]string{
		"/nested-100k": {html, "<html><head><title>Deep</title></head><body>" + strings.Repeat("<div>", 100000) + "<p>" + hostileText + "</p>" + strings.Repeat("</div>", 100000)},
		"/nested-400":  {html, "<html lang=en><head><title>Deep but fine</title></head><body>" + strings.Repeat("<div>", 400) + "<p>" + hostileText + "</p>" + strings.Repeat("</div>", 400)},
		"/unclosed-formatting": {html, "<html lang=en><head><title>Formatting soup</title></head><body><p>" + hostileText + "</p>" +
			strings.Repeat("<b><i><u><a href=/x>", 100) + "text" + strings.Repeat("</b></i>", 3000)},
		"/unclosed": {html, "<html lang=en><head><title>Never closed</title><body><h1>Never closed</h1><p>" + hostileText +
			"<div><ul><li>one<li>two<table><tr><td>cell<td>cell"},
		"/unclosed-title":  {html, "<html><head><title>Runaway title <p>" + strings.Repeat(hostileText+" ", 200)},
		"/unclosed-script": {html, "<html lang=en><head><title>Runaway script</title></head><body><h1>Runaway script</h1><p>" + hostileText + "</p><script>var s = \"" + strings.Repeat("x", 50000)},
		"/stray-ends":      {html, "</html></body></div></p><html lang=en></html><title>Stray ends</title></head></head><p>" + hostileText + "</p></div></div></span></table>"},
		"/nul-and-controls": {html, "<html lang=en><head><title>Nul\x00 and\x01 controls</title></head><body><h1>Nul\x00 and\x01 controls</h1><p>\x00" +
			hostileText + "\x07\x1b</p></body></html>"},
		"/attribute-soup": {html, `<html lang=en><head><title>Attribute soup</title><meta name=description content="unterminated><link rel=canonical href=">` +
			`<body <<<><a href="/x"" class='"'>x</a><p =a =b ` + strings.Repeat(`a=1 `, 5000) + `>` + hostileText + `</p>`},
		"/empty":  {html, ""},
		"/binary": {html, "<html><head><title>Binary tail</title></head><body><h1>Binary tail</h1><p>" + hostileText + "</p>" + string(bytes.Repeat([]byte{0xff, 0xfe, 0x00, 0x81}, 5000))},
	}
	site := serveHostile(t, pagePaths(pages), servePages(pages))
	o := crawlHostile(t, site, crawler.Config{}, crawler.Source{})

	ev := o.wantOutcome(t, "/nested-100k", crawler.EventFailed, nil)
	if !strings.Contains(ev.Err.Error(), "html") {
		t.Errorf("100k nested divs: %v, want the parser's reason", ev.Err)
	}
	for path, title := range map[string]string{
		"/nested-400":          "Deep but fine",
		"/unclosed-formatting": "Formatting soup",
		"/unclosed":            "Never closed",
		"/unclosed-script":     "Runaway script",
		"/stray-ends":          "Stray ends",
		"/nul-and-controls":    "Nul and\x01 controls",
		"/attribute-soup":      "Attribute soup",
		"/binary":              "Binary tail",
	} {
		p := o.got.practice(site.URL + path)
		if p == nil {
			t.Errorf("%s: not a practice: %v", path, o.event(t, path))
			continue
		}
		if p.Title != title {
			t.Errorf("%s: title %q, want %q", path, p.Title, title)
		}
		if !strings.Contains(p.Body, hostileText) {
			t.Errorf("%s: body lost the page's text: %.200q", path, p.Body)
		}
	}
	// A title that swallows the page is cut to the field cap.
	if p := o.got.practice(site.URL + "/unclosed-title"); p == nil || !strings.HasPrefix(p.Title, "Runaway title") {
		t.Errorf("/unclosed-title: %v", p)
	}
	o.wantOutcome(t, "/empty", crawler.EventFailed, nil) // no title: nothing to index
}

// Lying content types: a PDF, a PNG, gzip bytes or binary junk served as
// text/html are skipped as not HTML once their first bytes are sniffed;
// HTML served as image/png or text/plain is skipped without reading its
// body; HTML with no Content-Type at all is sniffed and indexed.
func TestHostileContentTypes(t *testing.T) {
	const html = "text/html; charset=utf-8"
	page := "<html lang=en><head><title>Real page</title></head><body><h1>Real page</h1><p>" + hostileText + "</p></body></html>"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(page))
	_ = zw.Close()
	pages := map[string][2]string{
		"/pdf-as-html":    {html, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (<title>Not a page</title>) >>\nendobj\n" + strings.Repeat("\x00\x01\x02stream", 100)},
		"/png-as-html":    {html, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00<title>x</title>", 50)},
		"/gzip-as-html":   {html, gz.String()},
		"/binary-as-html": {html, "MZ\x90\x00\x03\x00\x00\x00\x04\x00" + strings.Repeat("\x00\xff<title>exe</title>", 50)},
		"/html-as-png":    {"image/png", page},
		"/html-as-text":   {"text/plain", page},
		"/html-untyped":   {"-", page},
		"/utf16-with-bom": {"text/html; charset=utf-16", "\xff\xfe" + utf16le(page)},
		"/utf16-no-bom":   {"text/html; charset=utf-16le", utf16le(page)},
	}
	site := serveHostile(t, pagePaths(pages), servePages(pages))
	o := crawlHostile(t, site, crawler.Config{}, crawler.Source{})

	for _, path := range []string{"/pdf-as-html", "/png-as-html", "/gzip-as-html", "/binary-as-html", "/html-as-png", "/html-as-text"} {
		o.wantOutcome(t, path, crawler.EventSkipped, crawler.ErrNotHTML)
	}
	for _, path := range []string{"/html-as-png", "/html-as-text"} {
		if n := o.bytes(path); n != 0 {
			t.Errorf("%s: read %d bytes of a body declared not HTML, want 0", path, n)
		}
	}
	for _, path := range []string{"/html-untyped", "/utf16-with-bom", "/utf16-no-bom"} {
		if p := o.got.practice(site.URL + path); p == nil || p.Title != "Real page" || !strings.Contains(p.Body, hostileText) {
			t.Errorf("%s: want the page indexed, got %v (event %v)", path, p, o.event(t, path))
		}
	}
}

func utf16le(s string) string {
	var b strings.Builder
	for _, r := range s { // ASCII pages only
		b.WriteByte(byte(r))
		b.WriteByte(0)
	}
	return b.String()
}

// Invalid UTF-8 and wrong or disagreeing charsets: every practice is valid
// UTF-8 (checkHostile); a page in the charset it declares reads right; a
// header and a <meta> that disagree follow the header (HTML5); bytes
// invalid in the declared UTF-8 become U+FFFD instead of reaching the
// index.
func TestHostileCharsets(t *testing.T) {
	sjis, err := japanese.ShiftJIS.NewEncoder().String("<html lang=ja><head><meta charset=shift_jis><title>東京の地域食堂</title></head><body><h1>東京の地域食堂</h1><p>毎週木曜日に新しい住民を迎えます。</p></body></html>")
	if err != nil {
		t.Fatal(err)
	}
	page := func(title string) string {
		return "<html lang=de><head><title>" + title + "</title></head><body><h1>" + title + "</h1><p>" + hostileText + "</p></body></html>"
	}
	pages := map[string][2]string{
		// windows-1252 bytes declared UTF-8: the invalid bytes become U+FFFD.
		"/latin1-declared-utf8": {"text/html; charset=utf-8", page("Stra\xdfenfest in D\xfcsseldorf")},
		// invalid sequences (a bad continuation, a surrogate, a cut
		// 4-byte form) declared UTF-8 by <meta>: one U+FFFD per run.
		"/invalid-utf8": {"text/html", "<meta charset=utf-8>" + page("Caf\xc3\x28 \xed\xa0\x80 Ende \xf0\x9f\x98")},
		// UTF-8 declared ISO-8859-1 by the header: the header wins (mojibake, still valid UTF-8).
		"/utf8-declared-latin1": {"text/html; charset=iso-8859-1", page("Düsseldorf")},
		// header windows-1252, meta UTF-8, bytes windows-1252: the header wins.
		"/header-meta-disagree": {"text/html; charset=windows-1252", "<meta charset=utf-8>" + page("Montr\xe9al")},
		"/shift-jis-meta":       {"text/html", sjis},
		"/unknown-charset":      {"text/html; charset=x-no-such-charset", page("Düsseldorf")},
		"/undeclared-latin1":    {"text/html", page("Montr\xe9al")},
		"/bom-utf8":             {"text/html; charset=iso-8859-1", "\xef\xbb\xbf" + page("Düsseldorf")}, // BOM beats header
	}
	site := serveHostile(t, pagePaths(pages), servePages(pages))
	o := crawlHostile(t, site, crawler.Config{}, crawler.Source{})

	for path, title := range map[string]string{
		"/latin1-declared-utf8": "Stra\uFFFDenfest in D\uFFFDsseldorf",
		"/invalid-utf8":         "Caf\uFFFD( \uFFFD Ende \uFFFD",
		"/utf8-declared-latin1": "DÃ¼sseldorf",
		"/header-meta-disagree": "Montréal",
		"/shift-jis-meta":       "東京の地域食堂",
		"/unknown-charset":      "Düsseldorf",
		"/undeclared-latin1":    "Montréal",
		"/bom-utf8":             "Düsseldorf",
	} {
		p := o.got.practice(site.URL + path)
		if p == nil {
			t.Errorf("%s: not a practice: %v", path, o.event(t, path))
			continue
		}
		if p.Title != title {
			t.Errorf("%s: title %q, want %q", path, p.Title, title)
		}
	}
}
