package crawler

import (
	"net/netip"
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
)
