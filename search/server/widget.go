package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// widgetJS is the embeddable <casebook-search> element (CONTRACT §6).
//
//go:embed assets/widget.js
var widgetJS []byte

// The widget's two representations (plain and gzip) and their strong
// validators, computed once: the file never changes while a binary runs.
var (
	widgetGzip     = gzipBytes(widgetJS)
	widgetETag     = etagOf(widgetJS)
	widgetGzipETag = strings.TrimSuffix(widgetETag, `"`) + `-gz"`
)

// WidgetCacheControl lets browsers and proxies keep widget.js for an hour
// and revalidate it with its ETag afterwards.
const WidgetCacheControl = "public, max-age=3600, must-revalidate"

// widget serves GET /widget.js: a JavaScript file any site may load with
// <script src>. It answers 304 to a matching If-None-Match, gzip when
// the client accepts it, and CORS for the allowed origins (for pages that
// load it with crossorigin or fetch it).
func (s *Server) widget(c *gin.Context) {
	h := c.Writer.Header()
	body, etag := widgetJS, widgetETag
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		body, etag = widgetGzip, widgetGzipETag
		h.Set("Content-Encoding", "gzip")
	}
	h.Add("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
	h.Set("Cache-Control", WidgetCacheControl)
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	s.widgetCORS(c)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", body)
}

// widgetCORS allows the configured origins to read widget.js: "*" gives a
// literal "*", an allowed origin is echoed with Vary: Origin.
func (s *Server) widgetCORS(c *gin.Context) {
	h := c.Writer.Header()
	if s.anyOrig {
		h.Set("Access-Control-Allow-Origin", "*")
		return
	}
	h.Add("Vary", "Origin")
	if o := c.GetHeader("Origin"); o != "" && s.origins[o] {
		h.Set("Access-Control-Allow-Origin", o)
	}
}

// etagMatches reports whether an If-None-Match header names etag, with
// the weak comparison RFC 9110 prescribes for If-None-Match.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	zw.Write(b)                                              // writes to memory: no error
	zw.Close()
	return buf.Bytes()
}
