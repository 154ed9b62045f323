package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// maxRedirects is the number of redirects followed for one request.
const maxRedirects = 5

// fetcher does the HTTP of a Crawler: one client whose dials are guarded,
// with no proxy, a per-request timeout and bodies read up to a limit.
type fetcher struct {
	client   *http.Client
	ua       string
	timeout  time.Duration
	maxBytes int64
}

func newFetcher(cfg Config) *fetcher {
	dialer := newDialer(cfg.AllowPrivateNetworks)
	tr := &http.Transport{
		Proxy:                 nil, // proxy environment variables are ignored on purpose
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
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
			return nil
		},
	}
	return &fetcher{client: client, ua: cfg.UserAgent, timeout: cfg.Timeout, maxBytes: cfg.MaxPageBytes}
}

// response is one HTTP answer with its body read (up to a limit).
type response struct {
	URL    *url.URL // after redirects
	Status int
	Header http.Header
	Body   []byte
}

// get fetches rawURL. accept decides, from the headers, whether the body is
// wanted at all (nil: always); when it returns an error the body is not
// read. A body over limit is an ErrTooLarge error, or, with truncate, cut
// at limit. Non-2xx answers are returned without error and without body.
func (f *fetcher) get(ctx context.Context, rawURL, acceptHeader string, limit int64, truncate bool, accept func(*http.Response) error) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", rawURL, err)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return nil, fmt.Errorf("get %s: %w", req.URL.Redacted(), ErrScheme)
	}
	req.Header.Set("User-Agent", f.ua)
	if acceptHeader != "" {
		req.Header.Set("Accept", acceptHeader)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", rawURL, unwrapURLError(err))
	}
	defer resp.Body.Close()
	out := &response{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return out, nil
	}
	if accept != nil {
		if err := accept(resp); err != nil {
			return out, err
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return out, fmt.Errorf("read %s: %w", rawURL, err)
	}
	if int64(len(body)) > limit {
		if !truncate {
			return out, fmt.Errorf("%s: more than %d bytes: %w", rawURL, limit, ErrTooLarge)
		}
		body = body[:limit]
	}
	out.Body = body
	return out, nil
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
	URL    *url.URL
	Status int
	Header http.Header
	HTML   []byte
}

const acceptHTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"

// page fetches an HTML page. Errors wrap ErrStatus (non-2xx; the page still
// carries the status), ErrNotHTML, ErrTooLarge, ErrPrivateAddress,
// ErrTooManyRedirects or the transport's error.
func (f *fetcher) page(ctx context.Context, rawURL string) (*page, error) {
	resp, err := f.get(ctx, rawURL, acceptHTML, f.maxBytes, false, func(r *http.Response) error {
		if ct := r.Header.Get("Content-Type"); ct != "" && !isHTMLType(ct) {
			return fmt.Errorf("%s: content type %q: %w", rawURL, ct, ErrNotHTML)
		}
		return nil
	})
	var p *page
	if resp != nil {
		p = &page{URL: resp.URL, Status: resp.Status, Header: resp.Header}
	}
	if err != nil {
		return p, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return p, fmt.Errorf("%s: HTTP %d: %w", rawURL, resp.Status, ErrStatus)
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		if sniffed := http.DetectContentType(resp.Body); !isHTMLType(sniffed) {
			return p, fmt.Errorf("%s: sniffed content type %q: %w", rawURL, sniffed, ErrNotHTML)
		}
	}
	p.HTML = decodeHTML(resp.Body, ct)
	return p, nil
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
// windows-1252 when nothing says.
func decodeHTML(body []byte, contentType string) []byte {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || (!certain && name == "windows-1252" && utf8.Valid(body)) {
		body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}
