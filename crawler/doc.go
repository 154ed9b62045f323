// Package crawler fetches the pages of member sites and turns practice pages
// into indexer.Practice values with the raw words the page used.
//
// A crawl of one Source runs in this order: robots.txt of every host named by
// the source's start URLs and sitemaps (a 5xx or unreachable robots.txt fails
// the whole source before any page is requested); the sitemaps (configured
// ones and robots.txt Sitemap: lines); then a breadth-first walk from the
// start URLs that follows links of start pages and of pages matching the
// source's follow patterns, and the hreflang alternates of practice pages
// and of sitemap entries (xhtml:link). A page is fetched only when it is a
// start URL or matches include or follow, is on one of the source's hosts,
// is not excluded, is allowed by robots.txt, lies within MaxDepth and
// MaxPages and is not a trap (below). URLs are compared in their
// NormalizeURL form, and a practice is emitted once per canonical URL.
// Requests to one host run one at a time with at least the source's delay
// (or robots.txt Crawl-delay, capped at 30 s) between them;
// Config.Concurrency pages are fetched at once across hosts.
//
// robots.txt: at most 500 KiB of it is read (the rules in them apply), 4xx
// means no rules, 429/5xx/unreachable fails the source. A Crawler reuses a
// host's robots.txt for up to 24 hours across Crawl calls (Options.Full
// reads it again); failures are never cached.
//
// Retries: an answer 429 or 503, a timeout or a reset connection is tried
// again at most twice, after Config.RetryBase (1 s) doubled per attempt
// with jitter, or after the answer's Retry-After (seconds or HTTP date,
// capped at 5 minutes) when longer; then the URL is failed. This holds for
// robots.txt too, so a 429 with Retry-After keeps the host untouched until
// it has run out. The host's next request also waits for the last
// Retry-After. A host whose requests fail (5xx, 429, timeout, broken
// connection, each after its retries) 5 times in a row is given up: every
// URL left or later found for it is reported EventFailed with an
// ErrHostGivenUp error naming the host. The source then fails as a whole
// only when nothing succeeded; otherwise CrawlWith returns an error
// wrapping ErrIncomplete: the work done counts, but nothing may be removed.
//
// Incremental crawls (CrawlWith with Options.Known): a known page is asked
// for with If-None-Match / If-Modified-Since and a 304 is EventUnchanged;
// a sitemap entry whose lastmod (a date alone meaning the end of that day)
// is not newer than the known fetch time is EventUnchanged without a
// request. Validators are dropped on redirects. EventPractice carries the
// new FetchState (fetched URL, ETag, Last-Modified, time).
//
// Redirects: at most 5; every hop must stay on the source's hosts (another
// site is never contacted) and the final URL must not be excluded or
// disallowed and must match include or follow (ErrNotIncluded), unless the
// page is a start URL. A practice that moved is emitted under its new URL.
//
// Bodies: Config.MaxPageBytes is enforced while reading, on the
// decompressed bytes (the transport decodes gzip), so a gzip bomb stops at
// the limit + 1 and the page is skipped (ErrTooLarge).
//
// Traps (ErrTrap, reported EventSkipped, never requested): URLs longer
// than 2048 characters; paths repeating a run of up to 8 segments more
// than twice in a row ("/a/b/a/b/a/b"); more than 50 distinct query
// strings for one path (one event per path, further variants are dropped
// silently); links beyond the first 1000 distinct ones of a page are
// ignored. Start URLs are exempt.
//
// Every connection is checked at dial time, on the address actually
// dialed after resolution through Config.Resolver: unless
// Config.AllowPrivateNetworks is set, loopback, private, link-local, CGNAT,
// multicast and unspecified addresses (and their IPv6 and IPv4-mapped
// forms) are refused, which covers redirects and DNS rebinding as well.
// Numeric hosts ("2130706433", "0x7f.1", "127.1") are read as IPv4 the way
// browsers read them. Proxy environment variables are ignored.
//
// A page found unchanged (304, or a sitemap lastmod not newer than its last
// fetch) is not parsed again; the hreflang alternates stored with its fetch
// state (indexer.FetchState.Alternates) are queued instead, so translations
// that only it links to are still visited and never removed as vanished.
//
// Still left out: sitemaps listed in robots.txt are read only when they are
// on the source's own hosts.
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
	// ErrNotIncluded: a redirect ended on a page that matches neither the
	// source's include nor its follow patterns.
	ErrNotIncluded = errors.New("crawler: redirected outside the source's include and follow patterns")
	// ErrTrap: the URL looks like a crawler trap (too long, repeating path
	// segments, endless query variations).
	ErrTrap = errors.New("crawler: crawler trap")
	// ErrHostGivenUp: the host failed too many times in a row; the URLs
	// left for it are reported with this error, naming the host.
	ErrHostGivenUp = errors.New("crawler: host given up")
	// ErrIncomplete: the crawl did useful work but could not finish (see
	// CrawlWith); the source did not fail as a whole, yet nothing may be
	// removed.
	ErrIncomplete = errors.New("crawler: crawl incomplete")
)
