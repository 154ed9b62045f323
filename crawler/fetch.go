package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

const (
	// maxRedirects is the number of redirects followed for one request.
	maxRedirects = 5
	// maxRetries is how often a request answered 429 or 503, or ended by a
	// timeout or a reset connection, is tried again.
	maxRetries = 2
	// maxRetryAfter caps the wait a Retry-After header can ask for.
	maxRetryAfter = 5 * time.Minute
	// maxHeaderBytes caps the response headers of one answer; a server
	// that sends more is an error, not a page.
	maxHeaderBytes = 1 << 20
)

// fetcher does the HTTP of a Crawler: one client whose dials are guarded,
// with no proxy, a per-request timeout, retries with backoff and bodies
// read up to a limit.
type fetcher struct {
	client        *http.Client
	dialer        *dialer
	ua            string
	timeout       time.Duration
	maxBytes      int64
	retryBase     time.Duration
	maxRetryAfter time.Duration
	sleep         func(ctx context.Context, d time.Duration) error
}

// hopCheckKey carries, in a request's context, the check every redirect
// target must pass (the source's hosts).
type hopCheckKey struct{}

// conditionalHeaders are dropped on redirects: validators belong to the
// URL they were given for.
var conditionalHeaders = []string{"If-None-Match", "If-Modified-Since"}

func newFetcher(cfg Config) *fetcher {
	d := newDialer(cfg.AllowPrivateNetworks, cfg.Resolver)
	tr := &http.Transport{
		Proxy:                  nil, // proxy environment variables are ignored on purpose
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        60 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		// DisableCompression stays false: the transport asks for gzip and
		// decompresses it, so every limit below counts decompressed bytes.
	}
	client := &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return ErrTooManyRedirects
			}
			if s := req.URL.Scheme; s != "http" && s != "https" {
				return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), ErrScheme)
			}
			for _, h := range conditionalHeaders {
				req.Header.Del(h)
			}
			if check, ok := req.Context().Value(hopCheckKey{}).(func(*url.URL) error); ok {
				if err := check(req.URL); err != nil {
					return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
				}
			}
			return nil
		},
	}
	return &fetcher{
		client: client, dialer: d, ua: cfg.UserAgent, timeout: cfg.Timeout, maxBytes: cfg.MaxPageBytes,
		retryBase: cfg.RetryBase, maxRetryAfter: maxRetryAfter, sleep: sleepCtx,
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request says what to fetch and how.
type request struct {
	url      string
	accept   string // Accept header
	limit    int64  // body limit in (decompressed) bytes
	truncate bool   // a body over limit is cut instead of an ErrTooLarge error
	// check decides, from the headers of a 2xx answer, whether the body is
	// wanted at all (nil: always); when it returns an error the body is not
	// read.
	check func(*http.Response) error
	// ifNoneMatch and ifModifiedSince make the request conditional.
	ifNoneMatch, ifModifiedSince string
	// hop checks every redirect target (nil: any http(s) URL).
	hop func(*url.URL) error
}

// response is one HTTP answer with its body read (up to a limit).
type response struct {
	URL        *url.URL // after redirects
	Status     int
	Header     http.Header
	Body       []byte
	Sent       time.Time     // when the request that got this answer was sent
	Attempts   int           // requests made, retries included
	RetryAfter time.Duration // the last answer's Retry-After (capped), 0 when none
}

// get fetches req.url, trying again up to maxRetries times, after an
// exponential backoff with jitter or the answer's Retry-After when longer
// (capped at maxRetryAfter), when the answer is 429 or 503 or the request
// timed out or its connection was reset. Non-2xx answers are returned
// without error and without body (304 included); the response of the
// last attempt is returned either way.
func (f *fetcher) get(ctx context.Context, req request) (*response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := f.once(ctx, req)
		if resp != nil {
			resp.Attempts = attempt + 1
		}
		if attempt >= maxRetries || !retryable(resp, err) || ctx.Err() != nil {
			return resp, err
		}
		wait := f.backoff(attempt)
		if resp != nil && resp.RetryAfter > wait {
			wait = resp.RetryAfter
		}
		if serr := f.sleep(ctx, wait); serr != nil {
			return resp, err
		}
	}
}

// backoff is the wait before retry attempt+1: base·2^attempt, with jitter
// drawn from its upper half.
func (f *fetcher) backoff(attempt int) time.Duration {
	base := f.retryBase
	if base <= 0 {
		base = time.Second
	}
	d := base << attempt
	return d/2 + rand.N(d/2+1)
}

// retryable reports whether an answer or error is worth trying again.
func retryable(resp *response, err error) bool {
	if err != nil {
		return transient(err)
	}
	return resp != nil && (resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable)
}

// transient reports whether err is a timeout or a connection that broke,
// as opposed to a refusal (guard, redirects, scheme) or a bad answer.
func transient(err error) bool {
	if errors.Is(err, ErrPrivateAddress) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrScheme) ||
		errors.Is(err, ErrOffSite) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// once makes one request.
func (f *fetcher) once(ctx context.Context, r request) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	if r.hop != nil {
		ctx = context.WithValue(ctx, hopCheckKey{}, r.hop)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", r.url, err)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return nil, fmt.Errorf("get %s: %w", req.URL.Redacted(), ErrScheme)
	}
	req.Header.Set("User-Agent", f.ua)
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.ifNoneMatch != "" {
		req.Header.Set("If-None-Match", r.ifNoneMatch)
	}
	if r.ifModifiedSince != "" {
		req.Header.Set("If-Modified-Since", r.ifModifiedSince)
	}
	sent := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", r.url, unwrapURLError(err))
	}
	defer resp.Body.Close()
	out := &response{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header, Sent: sent,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), sent, f.maxRetryAfter)}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return out, nil
	}
	if r.check != nil {
		if err := r.check(resp); err != nil {
			return out, err
		}
	}
	// A declared length over the limit is refused before reading a byte
	// (with no Content-Encoding, the length is that of the body we would
	// read).
	if !r.truncate && resp.ContentLength > r.limit && !resp.Uncompressed {
		return out, fmt.Errorf("%s: Content-Length %d, more than %d bytes: %w", r.url, resp.ContentLength, r.limit, ErrTooLarge)
	}
	// resp.Body is already decompressed (see newFetcher): the limit holds
	// for the bytes a gzip bomb expands to, not for the bytes on the wire.
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.limit+1))
	if err != nil {
		return out, fmt.Errorf("read %s: %w", r.url, err)
	}
	if int64(len(body)) > r.limit {
		if !r.truncate {
			return out, fmt.Errorf("%s: more than %d bytes: %w", r.url, r.limit, ErrTooLarge)
		}
		body = body[:r.limit]
	}
	out.Body = body
	return out, nil
}

// parseRetryAfter reads a Retry-After header, seconds or an HTTP date
// (relative to now), capped at limit; 0 when absent or unreadable.
func parseRetryAfter(v string, now time.Time, limit time.Duration) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(limit/time.Second) {
			return limit
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0
	}
	return min(max(d, 0), limit)
}

// unwrapURLError drops the *url.Error layer (it repeats method and URL)
// while keeping the cause for errors.Is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// page is a fetched HTML page, decoded to UTF-8.
type page struct {
	URL        *url.URL
	Status     int
	Header     http.Header
	HTML       []byte
	Sent       time.Time
	RetryAfter time.Duration
}

const acceptHTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"

// page fetches an HTML page. A 304 answer (to validators in req) returns
// the page with Status 304 and no error. Errors wrap ErrStatus (non-2xx;
// the page still carries the status), ErrNotHTML, ErrTooLarge,
// ErrPrivateAddress, ErrTooManyRedirects, ErrOffSite or the transport's
// error.
func (f *fetcher) page(ctx context.Context, req request) (*page, error) {
	rawURL := req.url
	req.accept = acceptHTML
	req.limit = f.maxBytes
	req.truncate = false
	req.check = func(r *http.Response) error {
		if ct := r.Header.Get("Content-Type"); ct != "" && !isHTMLType(ct) {
			return fmt.Errorf("%s: content type %q: %w", rawURL, ct, ErrNotHTML)
		}
		return nil
	}
	resp, err := f.get(ctx, req)
	var p *page
	if resp != nil {
		p = &page{URL: resp.URL, Status: resp.Status, Header: resp.Header, Sent: resp.Sent, RetryAfter: resp.RetryAfter}
	}
	if err != nil {
		return p, err
	}
	if resp.Status == http.StatusNotModified {
		return p, nil
	}
	if resp.Status < 200 || resp.Status > 299 {
		return p, fmt.Errorf("%s: HTTP %d: %w", rawURL, resp.Status, ErrStatus)
	}
	ct := resp.Header.Get("Content-Type")
	sniffed := http.DetectContentType(resp.Body)
	switch {
	case ct == "" && !isHTMLType(sniffed):
		return p, fmt.Errorf("%s: sniffed content type %q: %w", rawURL, sniffed, ErrNotHTML)
	case ct != "" && lyingHTML(sniffed, ct):
		return p, fmt.Errorf("%s: content type %q, but the body is %q: %w", rawURL, ct, sniffed, ErrNotHTML)
	}
	p.HTML = decodeHTML(resp.Body, ct)
	return p, nil
}

// lyingHTML reports whether a body declared HTML (contentType) is in fact
// something else: its first bytes sniff (sniffed, from
// http.DetectContentType) as a binary format — PDF, image, archive, font,
// audio, video — or hold control bytes no text has. UTF-16 declared in
// contentType is the one text that looks binary without a byte order mark.
func lyingHTML(sniffed, contentType string) bool {
	if strings.HasPrefix(sniffed, "text/") {
		return false
	}
	if sniffed == "application/octet-stream" {
		_, params, _ := mime.ParseMediaType(contentType)
		if cs := strings.ToLower(params["charset"]); strings.HasPrefix(cs, "utf-16") {
			return false
		}
	}
	return true
}

func isHTMLType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// decodeHTML converts body to UTF-8 using, in order, a byte order mark, the
// Content-Type charset and a <meta> charset declaration (HTML5 prescan);
// windows-1252 when nothing says. The result is always valid UTF-8: bytes
// that are not valid in the declared charset (a page declared UTF-8 but
// written in Latin-1, a truncated sequence) become U+FFFD.
func decodeHTML(body []byte, contentType string) []byte {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	out := body
	if name == "utf-8" || (!certain && name == "windows-1252" && utf8.Valid(body)) {
		out = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	} else if dec, err := enc.NewDecoder().Bytes(body); err == nil {
		out = dec
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out
}
