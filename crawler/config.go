package crawler

import (
	"log/slog"
	"regexp"
	"time"
)

// Config holds the crawler-wide settings (CONTRACT §2 "crawler"). The zero
// value works: every zero field takes the default named beside it.
type Config struct {
	UserAgent            string        // "" = "casebook/<version> (+https://github.com/casebook-project/casebook)"
	Concurrency          int           // 0 = 4 pages fetched at once, across hosts
	Delay                time.Duration // minimum gap between requests to one host; 0 = no gap (robots.txt Crawl-delay still applies). Callers reading CONTRACT §2 pass 1s when the file omits it.
	Timeout              time.Duration // 0 = 20s per request
	MaxPageBytes         int64         // 0 = 5 MiB
	AllowPrivateNetworks bool          // false: loopback/private/link-local addresses are refused at dial time
	RetryBase            time.Duration // 0 = 1s: first backoff before retrying a 429, 503 or timeout (then doubled, with jitter)
	Resolver             Resolver      // nil = net.DefaultResolver; host names are resolved through it, every address is then checked at dial time
	Logger               *slog.Logger  // nil = slog.Default()
}

// Source is one member site (CONTRACT §2 "sources[]"), already validated:
// regexps compiled, durations parsed.
type Source struct {
	Name      string
	Network   string
	StartURLs []string
	Sitemaps  []string
	Include   []*regexp.Regexp // on URL path (+ "?" + query when present): which pages are practices; empty = every fetched HTML page that is not a follow-only listing
	Follow    []*regexp.Regexp // pages whose links are followed; empty = follow links of start URLs only
	Exclude   []*regexp.Regexp // never fetched
	MaxPages  int              // 0 = 5000
	MaxDepth  int              // 0 = 5
	Delay     time.Duration    // 0 = Config.Delay; robots.txt Crawl-delay wins when larger (capped at 30s)
	Defaults  Defaults
	Fields    Fields
}

// Defaults are used when a page does not say.
type Defaults struct {
	City    string
	Country string
	Lang    string
}

// Fields are CSS selectors (goquery). "sel@attr" reads an attribute instead
// of the text. An empty selector, or one that finds nothing, falls back to
// JSON-LD, OpenGraph/meta tags and main-content extraction.
type Fields struct {
	Title     string
	Summary   string
	Body      string
	City      string // every match is one city
	Country   string
	Themes    string // every match is one theme label
	Period    string
	Year      string // first 4-digit year found
	Published string
}
