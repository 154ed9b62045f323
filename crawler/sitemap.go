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
	Index bool     // a sitemapindex: Locs are sitemaps
	Locs  []string // raw <loc> values, trimmed
}

// parseSitemap reads a urlset or sitemapindex document. It stops after max
// <loc> entries. On malformed XML it returns the entries read so far with
// the error.
func parseSitemap(r io.Reader, max int) (sitemapDoc, error) {
	var doc sitemapDoc
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = true
	root := ""
	var inLoc bool
	var loc strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root == "" {
				return doc, errors.New("sitemap: empty document")
			}
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
			if t.Name.Local == "loc" && (t.Name.Space == "" || !strings.Contains(t.Name.Space, "xhtml")) {
				inLoc = true
				loc.Reset()
			}
		case xml.CharData:
			if inLoc && loc.Len() < 8192 {
				loc.Write(t)
			}
		case xml.EndElement:
			if inLoc && t.Name.Local == "loc" {
				inLoc = false
				if s := strings.TrimSpace(loc.String()); s != "" {
					doc.Locs = append(doc.Locs, s)
					if len(doc.Locs) >= max {
						return doc, nil
					}
				}
			}
		}
	}
}

var gzipMagic = []byte{0x1f, 0x8b}

// fetchSitemap gets and parses one sitemap, gunzipping it when the
// Content-Type, the extension or the first bytes say gzip. Entries read
// before an error are returned with it.
func (c *Crawler) fetchSitemap(ctx context.Context, rawURL string) (sitemapDoc, error) {
	resp, err := c.fetch.get(ctx, rawURL, "application/xml,text/xml;q=0.9,*/*;q=0.5", maxSitemapBytes, true, nil)
	if err != nil {
		return sitemapDoc{}, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return sitemapDoc{}, fmt.Errorf("sitemap %s: HTTP %d: %w", rawURL, resp.Status, ErrStatus)
	}
	body := resp.Body
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	gz := mt == "application/gzip" || mt == "application/x-gzip" ||
		strings.HasSuffix(strings.ToLower(resp.URL.Path), ".gz") || bytes.HasPrefix(body, gzipMagic)
	var r io.Reader = bytes.NewReader(body)
	if gz && bytes.HasPrefix(body, gzipMagic) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return sitemapDoc{}, fmt.Errorf("sitemap %s: %w", rawURL, err)
		}
		defer zr.Close()
		r = io.LimitReader(zr, maxSitemapBytes)
	}
	doc, err := parseSitemap(r, maxSitemapURLs)
	if err != nil {
		return doc, fmt.Errorf("sitemap %s: %w", rawURL, err)
	}
	return doc, nil
}
