package crawler

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Hooks for the tests of package crawler_test.

// AllowAddrsForTest exempts exactly addrs (the fake sites' ip:port) from
// the private-network guard of c.
func AllowAddrsForTest(c *Crawler, addrs ...netip.AddrPort) { c.fetch.dialer.allow(addrs...) }

// OnDialForTest calls f with every address c dials, before the guard.
func OnDialForTest(c *Crawler, f func(network, address string)) {
	c.fetch.dialer.mu.Lock()
	c.fetch.dialer.onDial = f
	c.fetch.dialer.mu.Unlock()
}

// SetRetryAfterCapForTest shrinks the cap on Retry-After waits.
func SetRetryAfterCapForTest(c *Crawler, d time.Duration) { c.fetch.maxRetryAfter = d }

// SetClockForTest replaces the clock robots.txt caching reads.
func SetClockForTest(c *Crawler, now func() time.Time) { c.now = now }

// Limits of the crawler, for tests that go right up to them.
const (
	MaxRetriesForTest        = maxRetries
	MaxHostFailuresForTest   = maxHostFailures
	MaxQueryVariantsForTest  = maxQueryVariants
	MaxLinksPerPageForTest   = maxLinksPerPage
	MaxRobotsBytesForTest    = maxRobotsBytes
	MaxSegmentRepeatsForTest = maxSegmentRepeats
	MaxRedirectsForTest      = maxRedirects
	MaxTranslationsForTest   = maxTranslations
	MaxListValuesForTest     = maxListValues
	MaxFieldBytesForTest     = maxFieldBytes
	MaxSummaryBytesForTest   = maxSummaryBytes
	MaxURLLengthForTest      = maxURLLength
)

// FetchPageForTest fetches one page as a crawl does but with no check on
// redirect hops, so that only the dial guard stands between a redirect
// and its target. It returns the final status (0 without an answer).
func FetchPageForTest(ctx context.Context, c *Crawler, rawURL string) (int, error) {
	p, err := c.fetch.page(ctx, request{url: rawURL})
	if p == nil {
		return 0, err
	}
	return p.Status, err
}

// CountBodiesForTest makes c count the body bytes it reads (after gzip
// decoding), per request; the function returned reports the bytes read
// from every URL whose path starts with prefix.
func CountBodiesForTest(c *Crawler) func(prefix string) int64 {
	bc := &bodyCounter{next: c.fetch.client.Transport, byPath: map[string]*atomic.Int64{}}
	c.fetch.client.Transport = bc
	return bc.read
}

type bodyCounter struct {
	next   http.RoundTripper
	mu     sync.Mutex
	byPath map[string]*atomic.Int64
}

func (b *bodyCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	b.mu.Lock()
	n, ok := b.byPath[req.URL.Path]
	if !ok {
		n = &atomic.Int64{}
		b.byPath[req.URL.Path] = n
	}
	b.mu.Unlock()
	resp.Body = &countedBody{ReadCloser: resp.Body, n: n}
	return resp, nil
}

func (b *bodyCounter) read(prefix string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	var sum int64
	for p, n := range b.byPath {
		if strings.HasPrefix(p, prefix) {
			sum += n.Load()
		}
	}
	return sum
}

type countedBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *countedBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n.Add(int64(n))
	return n, err
}
