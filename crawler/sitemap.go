package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

const (
	// maxSitemapBytes caps a sitemap, compressed or not (sitemaps.org: 50 MB).
	maxSitemapBytes = 50 << 20
	// maxSitemapURLs caps the <loc> entries read from one sitemap.
	maxSitemapURLs = 50000
	// maxSitemaps caps the sitemaps read for one source (index children included).
	maxSitemaps = 200
)

// sitemapDoc is what one sitemap lists.
type sitemapDoc struct {
	Index   bool           // a sitemapindex: entries are sitemaps
	Entries []sitemapEntry // in document order
}

// sitemapEntry is one <url> (or <sitemap>) of a sitemap.
type sitemapEntry struct {
	Loc        string      // raw <loc>, trimmed
	Lastmod    time.Time   // zero when absent or unreadable; a date alone means the end of that day (UTC)
	Alternates []alternate // <xhtml:link rel="alternate" hreflang href>, x-default left out
}

// alternate is one hreflang alternate named by a sitemap.
type alternate struct {
	Lang string // hreflang as written, lowercased
	Href string // raw href, trimmed
}

// maxAlternates caps the alternates read for one sitemap entry.
const maxAlternates = 50

// parseSitemap reads a urlset or sitemapindex document. It stops after max
// entries. On malformed XML it returns the entries read so far with the
// error.
func parseSitemap(r io.Reader, max int) (sitemapDoc, error) {
	var doc sitemapDoc
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = true
	root := ""
	var (
		field string // "loc" or "lastmod" while inside one
		text  strings.Builder
		cur   *sitemapEntry
	)
	flush := func() bool {
		if cur != nil && cur.Loc != "" {
			doc.Entries = append(doc.Entries, *cur)
		}
		cur = nil
		return len(doc.Entries) >= max
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root == "" {
				return doc, errors.New("sitemap: empty document")
			}
			flush()
			return doc, nil
		}
		if err != nil {
			return doc, fmt.Errorf("sitemap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = t.Name.Local
				switch root {
				case "urlset":
				case "sitemapindex":
					doc.Index = true
				default:
					return doc, fmt.Errorf("sitemap: root element <%s> is neither urlset nor sitemapindex", root)
				}
				continue
			}
			xhtml := strings.Contains(t.Name.Space, "xhtml")
			switch {
			case (t.Name.Local == "url" || t.Name.Local == "sitemap") && !xhtml:
				if flush() {
					return doc, nil
				}
				cur = &sitemapEntry{}
			case (t.Name.Local == "loc" || t.Name.Local == "lastmod") && !xhtml:
				if cur == nil { // a <loc> outside <url>: still an entry
					cur = &sitemapEntry{}
				}
				field = t.Name.Local
				text.Reset()
			case t.Name.Local == "link" && xhtml && cur != nil && len(cur.Alternates) < maxAlternates:
				if a, ok := xhtmlAlternate(t); ok {
					cur.Alternates = append(cur.Alternates, a)
				}
			}
		case xml.CharData:
			if field != "" && text.Len() < 8192 {
				text.Write(t)
			}
		case xml.EndElement:
			if field != "" && t.Name.Local == field {
				v := strings.TrimSpace(text.String())
				switch field {
				case "loc":
					cur.Loc = v
				case "lastmod":
					cur.Lastmod = parseLastmod(v)
				}
				field = ""
			}
			if (t.Name.Local == "url" || t.Name.Local == "sitemap") && !strings.Contains(t.Name.Space, "xhtml") {
				if flush() {
					return doc, nil
				}
			}
		}
	}
}

func xhtmlAlternate(t xml.StartElement) (alternate, bool) {
	var rel, lang, href string
	for _, a := range t.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "rel":
			rel = strings.ToLower(a.Value)
		case "hreflang":
			lang = strings.ToLower(strings.TrimSpace(a.Value))
		case "href":
			href = strings.TrimSpace(a.Value)
		}
	}
	if !strings.Contains(" "+rel+" ", " alternate ") || lang == "" || lang == "x-default" || href == "" {
		return alternate{}, false
	}
	return alternate{Lang: lang, Href: href}, true
}

// parseLastmod reads a W3C datetime. A date alone (or a year and month)
// is taken as the end of that period, so that a page changed later that
// day is not mistaken for unchanged.
func parseLastmod(v string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.AddDate(0, 0, 1).Add(-time.Second)
	}
	if t, err := time.Parse("2006-01", v); err == nil {
		return t.AddDate(0, 1, 0).Add(-time.Second)
	}
	return time.Time{}
}

var gzipMagic = []byte{0x1f, 0x8b}

// fetchSitemap gets and parses one sitemap, gunzipping it when the
// Content-Type, the extension or the first bytes say gzip. Entries read
// before an error are returned with it, and so is the HTTP status when
// there was an answer.
func (c *Crawler) fetchSitemap(ctx context.Context, rawURL string) (sitemapDoc, int, error) {
	doc, resp, err := c.readSitemap(ctx, rawURL)
	status := 0
	if resp != nil {
		status = resp.Status
	}
	return doc, status, err
}

func (c *Crawler) readSitemap(ctx context.Context, rawURL string) (sitemapDoc, *response, error) {
	resp, err := c.fetch.get(ctx, request{url: rawURL, accept: "application/xml,text/xml;q=0.9,*/*;q=0.5", limit: maxSitemapBytes, truncate: true})
	if err != nil {
		return sitemapDoc{}, resp, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return sitemapDoc{}, resp, fmt.Errorf("sitemap %s: HTTP %d: %w", rawURL, resp.Status, ErrStatus)
	}
	body := resp.Body
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	gz := mt == "application/gzip" || mt == "application/x-gzip" ||
		strings.HasSuffix(strings.ToLower(resp.URL.Path), ".gz") || bytes.HasPrefix(body, gzipMagic)
	var r io.Reader = bytes.NewReader(body)
	if gz && bytes.HasPrefix(body, gzipMagic) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return sitemapDoc{}, resp, fmt.Errorf("sitemap %s: %w", rawURL, err)
		}
		defer zr.Close()
		r = io.LimitReader(zr, maxSitemapBytes)
	}
	doc, err := parseSitemap(r, maxSitemapURLs)
	if err != nil {
		return doc, resp, fmt.Errorf("sitemap %s: %w", rawURL, err)
	}
	return doc, resp, nil
}
