// Package crawlertest serves fake member sites for crawler tests: an
// httptest server on 127.0.0.1 built from a txtar archive, logging every
// request it receives.
//
// Each archive file is one URL path ("-- /robots.txt --", "-- /en/a --",
// "-- /list?page=2 --") served with status 200 and a Content-Type taken from
// the extension (text/html; charset=utf-8 when there is none). A file named
// "HEADERS /path" sets, one "Name: value" a line, the answer's headers for
// that path; the pseudo headers "Status: 503" (status code),
// "Transcode: windows-1252" (body re-encoded from UTF-8), "Gzip: 1" (body
// gzipped), "Content-Type:" with no value (no Content-Type at all) and
// "Times: 2" (the headers of this file apply to the first 2 requests of
// the path only; later ones get the plain 200 answer) shape the answer.
// "{{base}}" in bodies and headers becomes the server's URL.
//
// Validators are honoured as a real server would: an answer with an ETag
// header is a 304 Not Modified when the request's If-None-Match names it,
// and one with Last-Modified when If-Modified-Since is not older (and no
// If-None-Match was sent).
package crawlertest

import (
	"bytes"
	"compress/gzip"
	"mime"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/tools/txtar"
)

// Request is one logged request.
type Request struct {
	Path   string // path and query as sent
	Time   time.Time
	Header http.Header // the request's headers
	Status int         // the status answered
}

// Site is a running fake site.
type Site struct {
	URL string // http://127.0.0.1:port

	srv   *httptest.Server
	files map[string][]byte
	hdrs  map[string]http.Header

	mu    sync.Mutex
	log   []Request
	times map[string]int // requests per path so far
}

// Serve starts the site of the txtar archive at file and stops it when the
// test ends.
func Serve(t testing.TB, file string) *Site {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatalf("crawlertest: %v", err)
	}
	return ServeArchive(t, a)
}

// ServeArchive is Serve for an archive already parsed.
func ServeArchive(t testing.TB, a *txtar.Archive) *Site {
	t.Helper()
	s := &Site{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL
	s.Replace(a)
	return s
}

// Replace swaps the site's content for a's, as a site changes between two
// crawls; the URL and the request log stay.
func (s *Site) Replace(a *txtar.Archive) {
	files, hdrs := map[string][]byte{}, map[string]http.Header{}
	for _, f := range a.Files {
		data := bytes.ReplaceAll(f.Data, []byte("{{base}}"), []byte(s.URL))
		if p, ok := strings.CutPrefix(f.Name, "HEADERS "); ok {
			h := http.Header{}
			for _, line := range strings.Split(string(data), "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
				}
			}
			hdrs[strings.TrimSpace(p)] = h
			continue
		}
		files[f.Name] = data
	}
	s.mu.Lock()
	s.files, s.hdrs = files, hdrs
	s.mu.Unlock()
}

// Requests returns the requests received so far, in order.
func (s *Site) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Count returns how many requests had a path starting with prefix.
func (s *Site) Count(prefix string) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// Conditional returns the requests that carried If-None-Match or
// If-Modified-Since.
func (s *Site) Conditional() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
			out = append(out, r)
		}
	}
	return out
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	key := r.URL.RequestURI()
	s.mu.Lock()
	n := len(s.log)
	s.log = append(s.log, Request{Path: key, Time: time.Now(), Header: r.Header.Clone()})
	if s.times == nil {
		s.times = map[string]int{}
	}
	s.times[key]++
	count := s.times[key]
	files, hdrs := s.files, s.hdrs
	s.mu.Unlock()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		s.log[n].Status = sw.status
		s.mu.Unlock()
	}()
	s.answer(sw, r, key, count, files, hdrs)
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Site) answer(w http.ResponseWriter, r *http.Request, key string, count int, files map[string][]byte, hdrs map[string]http.Header) {
	body, ok := files[key]
	if !ok {
		body, ok = files[r.URL.Path]
		key = r.URL.Path
	}
	h := hdrs[key]
	if t := h.Get("Times"); t != "" {
		if n, err := strconv.Atoi(t); err == nil && count > n {
			h = nil
		}
	}
	if !ok && h == nil {
		http.NotFound(w, r)
		return
	}
	status := http.StatusOK
	ct := mime.TypeByExtension(path.Ext(r.URL.Path))
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	for k, vs := range h {
		switch k {
		case "Status":
			status, _ = strconv.Atoi(vs[0])
		case "Transcode":
			if enc, _ := charset.Lookup(vs[0]); enc != nil {
				body = encodeOrKeep(enc, body)
			}
		case "Gzip":
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			_, _ = zw.Write(body)
			_ = zw.Close()
			body = b.Bytes()
		case "Content-Type":
			ct = vs[0]
		case "Times":
		default:
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
	}
	if status == http.StatusOK && notModified(r, w.Header()) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	} else {
		w.Header()["Content-Type"] = nil // no sniffing by net/http either
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func encodeOrKeep(enc encoding.Encoding, body []byte) []byte {
	out, err := enc.NewEncoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

// notModified applies RFC 9110 §13.1.1 and §13.1.3 to the answer's
// validators.
func notModified(r *http.Request, answer http.Header) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		etag := answer.Get("ETag")
		if etag == "" {
			return false
		}
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	ims, lm := r.Header.Get("If-Modified-Since"), answer.Get("Last-Modified")
	if ims == "" || lm == "" {
		return false
	}
	since, err1 := http.ParseTime(ims)
	mod, err2 := http.ParseTime(lm)
	return err1 == nil && err2 == nil && !mod.After(since)
}
