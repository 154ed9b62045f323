package crawler

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// maxLinksPerPage caps the links taken from one page (distinct, in
// document order); the rest of a page's links are ignored.
const maxLinksPerPage = 1000

// maxHrefLength bounds the hrefs resolved at all; enqueue skips normalised
// URLs over maxURLLength with a reason.
const maxHrefLength = 16 << 10

// pageLinks returns the normalised http(s) links of a page, in document
// order, without duplicates.
func pageLinks(doc *goquery.Document, pageURL *url.URL) []string {
	base := baseURL(doc, pageURL)
	seen := map[string]bool{}
	var out []string
	doc.Find("a[href], area[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		href, _ := s.Attr("href")
		n, ok := resolve(base, href)
		if ok && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
		return len(out) < maxLinksPerPage
	})
	return out
}

// baseURL honours <base href>.
func baseURL(doc *goquery.Document, pageURL *url.URL) *url.URL {
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := pageURL.Parse(strings.TrimSpace(href)); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
			return b
		}
	}
	return pageURL
}

// resolve makes href absolute against base and normalises it; false for
// empty, fragment-only, non-http(s) or malformed references.
func resolve(base *url.URL, href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || len(href) > maxHrefLength {
		return "", false
	}
	u, err := base.Parse(href)
	if err != nil {
		return "", false
	}
	n, err := normalize(u)
	if err != nil {
		return "", false
	}
	return n, true
}

// robotsDirectives reads <meta name="robots"> (or our agent's name) and
// X-Robots-Tag headers meant for every agent or for ours.
func robotsDirectives(doc *goquery.Document, hdr http.Header, agent string) (noindex, nofollow bool) {
	apply := func(v string) {
		for _, tok := range strings.Split(strings.ToLower(v), ",") {
			switch strings.TrimSpace(tok) {
			case "noindex":
				noindex = true
			case "nofollow":
				nofollow = true
			case "none":
				noindex, nofollow = true, true
			}
		}
	}
	doc.Find("meta[name][content]").Each(func(_ int, s *goquery.Selection) {
		name := strings.ToLower(strings.TrimSpace(s.AttrOr("name", "")))
		if name == "robots" || name == agent {
			apply(s.AttrOr("content", ""))
		}
	})
	for _, v := range hdr.Values("X-Robots-Tag") {
		if name, rest, ok := strings.Cut(v, ":"); ok {
			name = strings.ToLower(strings.TrimSpace(name))
			if !strings.ContainsAny(name, " ,") && !headerDirective[name] {
				if name != agent {
					continue
				}
				v = rest
			}
		}
		apply(v)
	}
	return noindex, nofollow
}

// headerDirective lists X-Robots-Tag directives that take a value after a
// colon, so that they are not mistaken for a user agent name.
var headerDirective = map[string]bool{
	"unavailable_after": true, "max-snippet": true, "max-image-preview": true, "max-video-preview": true,
}
