package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"log/slog"
	"net/http"
	"time"
)

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// pageURLs lists practice pages for a urlset, lastmod = published.
func (b *base) pageURLs(origin string, pages []*PracticePage) []sitemapURL {
	out := make([]sitemapURL, 0, len(pages))
	for _, p := range pages {
		out = append(out, sitemapURL{Loc: origin + b.path(p), Lastmod: p.Published.Format(time.DateOnly)})
	}
	return out
}

// newest is the latest published date among pages (the site's when none).
func (b *base) newest(pages []*PracticePage) time.Time {
	var t time.Time
	for _, p := range pages {
		if p.Published.After(t) {
			t = p.Published
		}
	}
	if t.IsZero() {
		return b.lastMod
	}
	return t
}

// serveXML serves v as an XML document, gzipped when gz is set.
func serveXML(w http.ResponseWriter, r *http.Request, v any, modified time.Time, gz bool) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		slog.ErrorContext(r.Context(), "demo: encode sitemap", "path", r.URL.Path, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	buf.WriteByte('\n')
	if !gz {
		serveBytes(w, r, "application/xml; charset=utf-8", buf.Bytes(), modified)
		return
	}
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	zw.Write(buf.Bytes())
	zw.Close()
	serveBytes(w, r, "application/gzip", zbuf.Bytes(), modified)
}

// serveText serves a plain text file such as robots.txt.
func serveText(w http.ResponseWriter, r *http.Request, text string, modified time.Time) {
	serveBytes(w, r, "text/plain; charset=utf-8", []byte(text), modified)
}
