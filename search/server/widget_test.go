package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

// widgetMaxGzip is the size budget of widget.js once gzipped (issue 6).
const widgetMaxGzip = 15 * 1024

// TestWidgetServed checks what a host site's browser gets from
// GET /widget.js: JavaScript with the right type, cacheable with an ETag
// that answers 304, gzip on request, and CORS only for allowed origins.
func TestWidgetServed(t *testing.T) {
	rec := get(t, "/widget.js", "Origin", "https://city.example")
	if got := rec.Code; got != http.StatusOK {
		t.Fatalf("GET /widget.js: status %d", got)
	}
	h := rec.Header()
	if got, want := h.Get("Content-Type"), "text/javascript; charset=utf-8"; got != want {
		t.Errorf("Content-Type %q, want %q", got, want)
	}
	if got := h.Get("Cache-Control"); !strings.Contains(got, "public") || !strings.Contains(got, "max-age=") {
		t.Errorf("Cache-Control %q, want public with a max-age", got)
	}
	etag := h.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{16,}"$`).MatchString(etag) {
		t.Fatalf("ETag %q, want a strong quoted hash", etag)
	}
	if got := h.Get("Access-Control-Allow-Origin"); got != "https://city.example" {
		t.Errorf("allowed origin: Access-Control-Allow-Origin %q", got)
	}
	if vary := strings.Join(h.Values("Vary"), ","); !strings.Contains(vary, "Origin") || !strings.Contains(vary, "Accept-Encoding") {
		t.Errorf("Vary %q, want Origin and Accept-Encoding", vary)
	}
	if got := h.Get("Content-Encoding"); got != "" {
		t.Errorf("Content-Encoding %q without Accept-Encoding", got)
	}
	js := rec.Body.String()
	for _, want := range []string{`customElements.define("casebook-search"`, "attachShadow", "adoptedStyleSheets", "AbortController", `"casebook-select"`, "aria-activedescendant"} {
		if !strings.Contains(js, want) {
			t.Errorf("widget.js lacks %q", want)
		}
	}
	if other := get(t, "/widget.js", "Origin", "https://evil.example"); other.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin got Access-Control-Allow-Origin %q", other.Header().Get("Access-Control-Allow-Origin"))
	}

	revalidate := []struct {
		name, ifNoneMatch string
		want              int
	}{
		{"same etag", etag, http.StatusNotModified},
		{"weak form", "W/" + etag, http.StatusNotModified},
		{"in a list", `"old", ` + etag, http.StatusNotModified},
		{"star", "*", http.StatusNotModified},
		{"other etag", `"0123456789abcdef"`, http.StatusOK},
	}
	for _, tt := range revalidate {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, "/widget.js", "If-None-Match", tt.ifNoneMatch)
			if got := rec.Code; got != tt.want {
				t.Errorf("If-None-Match %s: status %d, want %d", tt.ifNoneMatch, got, tt.want)
			}
			if tt.want == http.StatusNotModified && rec.Body.Len() != 0 {
				t.Errorf("304 with a %d-byte body", rec.Body.Len())
			}
			if got := rec.Header().Get("ETag"); got != etag {
				t.Errorf("ETag %q, want %q", got, etag)
			}
		})
	}

	gz := get(t, "/widget.js", "Accept-Encoding", "br, gzip;q=0.8")
	if got := gz.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Accept-Encoding gzip: Content-Encoding %q", got)
	}
	gzTag := gz.Header().Get("ETag")
	if gzTag == etag || gzTag == "" {
		t.Errorf("gzip ETag %q, want one differing from the plain %q", gzTag, etag)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(plain) != js {
		t.Errorf("gunzipped widget.js differs from the plain one")
	}
	if rec := get(t, "/widget.js", "Accept-Encoding", "gzip", "If-None-Match", gzTag); rec.Code != http.StatusNotModified {
		t.Errorf("gzip revalidation: status %d, want 304", rec.Code)
	}
	if rec := get(t, "/widget.js", "Accept-Encoding", "gzip;q=0"); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got gzip")
	}
}

// TestWidgetSize keeps widget.js within its budget of 15 KB gzipped.
func TestWidgetSize(t *testing.T) {
	src, err := os.ReadFile("assets/widget.js")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(src); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("widget.js: %d bytes, %d bytes gzipped (budget %d)", len(src), buf.Len(), widgetMaxGzip)
	if got := buf.Len(); got >= widgetMaxGzip {
		t.Errorf("widget.js is %d bytes gzipped, budget %d", got, widgetMaxGzip)
	}
	if served := get(t, "/widget.js", "Accept-Encoding", "gzip").Body.Len(); served >= widgetMaxGzip {
		t.Errorf("served gzip body is %d bytes, budget %d", served, widgetMaxGzip)
	}
}

// TestWidgetSourceSafety guards the rules that keep the widget safe in a
// host page: no HTML parsing into the live DOM, no eval, no inline
// styles that a strict CSP would block, and no request to another origin.
func TestWidgetSourceSafety(t *testing.T) {
	src, err := os.ReadFile("assets/widget.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"style\"", ".style.", "<style", "http://", "https://"} {
		if strings.Contains(string(src), banned) {
			t.Errorf("widget.js contains %q", banned)
		}
	}
}

// FuzzWidgetHeaders sends any If-None-Match and Accept-Encoding: the
// answer is always 200 or 304, a 200 is the whole script (gzip only when
// announced) and a 304 has no body.
func FuzzWidgetHeaders(f *testing.F) {
	f.Add(`"abc"`, "gzip")
	f.Add("*", "gzip;q=0")
	f.Add(`W/"x", "y"`, "br, GZIP ; q=0.5")
	f.Add("", "")
	src, err := os.ReadFile("assets/widget.js")
	if err != nil {
		f.Fatal(err)
	}
	plain := string(src)
	f.Fuzz(func(t *testing.T, inm, ae string) {
		rec := get(t, "/widget.js", "If-None-Match", inm, "Accept-Encoding", ae)
		switch rec.Code {
		case http.StatusNotModified:
			if rec.Body.Len() != 0 {
				t.Errorf("304 with a body")
			}
		case http.StatusOK:
			body := rec.Body.Bytes()
			if rec.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if string(body) != plain {
				t.Errorf("200 without the whole script (%d bytes)", len(body))
			}
		default:
			t.Errorf("status %d", rec.Code)
		}
	})
}
