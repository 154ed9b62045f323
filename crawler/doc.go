// Package crawler fetches the pages of member sites and turns practice pages
// into indexer.Practice values with the raw words the page used.
//
// A crawl of one Source runs in this order: robots.txt of every host named by
// the source's start URLs and sitemaps (a 5xx or unreachable robots.txt fails
// the whole source before any page is requested); the sitemaps (configured
// ones and robots.txt Sitemap: lines); then a breadth-first walk from the
// start URLs that follows links of start pages and of pages matching the
// source's follow patterns, and the hreflang alternates of practice pages.
// A page is fetched only when it is a start URL or matches include or
// follow, is on one of the source's hosts, is not excluded, is allowed by
// robots.txt and lies within MaxDepth and MaxPages. URLs are compared in
// their NormalizeURL form, and a practice is emitted once per canonical URL. Requests to one host run one at a time with at
// least the source's delay (or robots.txt Crawl-delay, capped at 30 s)
// between them; Config.Concurrency pages are fetched at once across hosts.
//
// Every connection is checked at dial time: unless
// Config.AllowPrivateNetworks is set, loopback, private, link-local, CGNAT,
// multicast and unspecified addresses (and their IPv6 forms) are refused,
// which covers redirects and DNS rebinding as well.
//
// What issue 3 deepens is left out on purpose and documented here: no
// retries or Retry-After handling (a robots.txt answering 429 fails the
// source like a 5xx), no conditional GET, robots.txt is fetched once per
// Crawl (not cached across crawls), sitemaps listed in robots.txt are read
// only when they are on the source's own hosts, and no repeated-path trap
// detection beyond MaxDepth and MaxPages.
//
// Extract turns one parsed page into a practice: configured CSS selectors
// first, then schema.org JSON-LD, OpenGraph/meta tags and main-content
// extraction for the fields still empty.
package crawler

import "errors"

// Errors carried by Event.Err and by Crawl's error. Branch on them with
// errors.Is.
var (
	// ErrPrivateAddress: a connection to a loopback, private, link-local or
	// otherwise non-public address was refused.
	ErrPrivateAddress = errors.New("crawler: refusing to connect to a private or local network address (set crawler.allow_private_networks: true to crawl such hosts)")
	// ErrDisallowed: robots.txt forbids the URL for our user agent.
	ErrDisallowed = errors.New("crawler: disallowed by robots.txt")
	// ErrRobotsUnavailable: robots.txt answered 5xx or 429, or could not be
	// fetched; the host is not crawled at all.
	ErrRobotsUnavailable = errors.New("crawler: robots.txt unavailable")
	// ErrTooLarge: the body exceeds Config.MaxPageBytes (or a sitemap cap).
	ErrTooLarge = errors.New("crawler: page too large")
	// ErrNotHTML: the answer is not an HTML page.
	ErrNotHTML = errors.New("crawler: not an HTML page")
	// ErrNoIndex: the page asks not to be indexed (meta robots or X-Robots-Tag).
	ErrNoIndex = errors.New("crawler: noindex")
	// ErrScheme: a URL that is not http or https.
	ErrScheme = errors.New("crawler: only http and https URLs are crawled")
	// ErrTooManyRedirects: more than 5 redirects.
	ErrTooManyRedirects = errors.New("crawler: more than 5 redirects")
	// ErrOffSite: a redirect left the source's hosts.
	ErrOffSite = errors.New("crawler: redirected to another site")
	// ErrExcluded: the URL (after redirects) matches an exclude pattern.
	ErrExcluded = errors.New("crawler: excluded by the source's exclude patterns")
	// ErrStatus: the server answered with a non-2xx status.
	ErrStatus = errors.New("crawler: unexpected HTTP status")
)
