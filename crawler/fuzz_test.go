package crawler

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzResolveLink: an href found on a page, resolved against the page's
// URL, is either refused or an absolute http(s) URL that is already
// normalised, no longer than maxHrefLength allows, with a host.
func FuzzResolveLink(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://example.org/a/b", "../c?utm_source=x&b=1#frag"},
		{"https://example.org/a/b", "//other.example:80/%7Ex;jsessionid=1"},
		{"http://example.org/", "javascript:alert(1)"},
		{"http://example.org/", "http://2130706433/"},
		{"http://example.org/", "http://[::ffff:127.0.0.2]:8080/x"},
		{"https://xn--dsseldorf-q9a.example/", "/caf\xe9 bar/../%zz"},
		{"https://example.org/a/", "a/b/a/b/a/b/"},
		{"https://example.org/", " \t\nhttps://EXAMPLE.org:443/?b=2&a=1 "},
		{"https://example.org/", "https://Düsseldorf.example/x"},
		{"https://example.org/", "https://a..b/"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, base, href string) {
		b, err := url.Parse(base)
		if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" {
			return
		}
		n, ok := resolve(b, href)
		if !ok {
			return
		}
		if !utf8.ValidString(n) {
			t.Fatalf("resolve(%q, %q) = %q: not valid UTF-8", base, href, n)
		}
		u, err := url.Parse(n)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("resolve(%q, %q) = %q: not an absolute http(s) URL (%v)", base, href, n, err)
		}
		if u.Fragment != "" || strings.ContainsAny(n, " \t\n#") {
			t.Fatalf("resolve(%q, %q) = %q: fragment or white space left", base, href, n)
		}
		again, err := NormalizeURL(n)
		if err != nil || again != n {
			t.Fatalf("resolve(%q, %q) = %q, which normalises to %q, %v", base, href, n, again, err)
		}
	})
}

// FuzzDecodeHTML: whatever the bytes and whatever the Content-Type says,
// the page handed to the HTML parser is valid UTF-8, and a valid UTF-8
// page declared UTF-8 is left as it is (but its byte order mark).
func FuzzDecodeHTML(f *testing.F) {
	for _, seed := range [][2]string{
		{"<html><title>Düsseldorf</title>", "text/html; charset=utf-8"},
		{"<title>Stra\xdfe</title>", "text/html; charset=utf-8"},
		{"<meta charset=shift_jis><title>\x93\x8c\x8b\x9e</title>", "text/html"},
		{"\xff\xfe<\x00p\x00>\x00", "text/html"},
		{"<p>odd utf-16\x00", "text/html; charset=utf-16le"},
		{"<meta charset=utf-8><p>Montr\xe9al", "text/html; charset=windows-1252"},
		{"\xef\xbb\xbf<p>bom", "text/html; charset=iso-8859-1"},
		{"<p>\xed\xa0\x80 \xf0\x9f\x98", "text/html; charset=x-unknown"},
		{"<p>x", "text/html; charset="},
		{"<p>x", ";;;charset=\"utf-7\""},
	} {
		f.Add([]byte(seed[0]), seed[1])
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out := decodeHTML(body, contentType)
		if !utf8.Valid(out) {
			t.Fatalf("decodeHTML(%q, %q) = %q: not valid UTF-8", body, contentType, out)
		}
		if contentType == "text/html; charset=utf-8" && utf8.Valid(body) {
			if want := strings.TrimPrefix(string(body), "\xef\xbb\xbf"); string(out) != want {
				t.Fatalf("decodeHTML changed valid UTF-8: %q -> %q", body, out)
			}
		}
	})
}
