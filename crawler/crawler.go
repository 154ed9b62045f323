package crawler

import (
	"log/slog"
	"sync"
	"time"

	"github.com/casebook-project/casebook/indexer"
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "casebook/1.0 (+https://github.com/casebook-project/casebook)"

// Crawler crawls sources. It is safe for concurrent use; each Crawl call
// has its own queue and politeness state, while robots.txt files are
// shared by the calls of one Crawler for up to 24 hours.
type Crawler struct {
	cfg   Config
	log   *slog.Logger
	fetch *fetcher
	agent string // robots.txt product token, e.g. "casebook"
	now   func() time.Time

	robotsMu    sync.Mutex
	robotsCache map[string]robotsEntry // "scheme://host/robots.txt" -> rules
}

// New returns a Crawler with cfg's zero fields set to their defaults.
func New(cfg Config) *Crawler {
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Delay < 0 {
		cfg.Delay = 0
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.MaxPageBytes <= 0 {
		cfg.MaxPageBytes = 5 << 20
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Crawler{
		cfg:         cfg,
		log:         cfg.Logger,
		fetch:       newFetcher(cfg),
		agent:       productToken(cfg.UserAgent),
		now:         time.Now,
		robotsCache: map[string]robotsEntry{},
	}
}

// Options tune one crawl. The zero value crawls everything without
// conditional requests.
type Options struct {
	// Full refetches everything: no conditional requests, no sitemap
	// lastmod shortcut, no cached robots.txt.
	Full bool
	// Known returns what the index knows of the page at url (its canonical
	// URL or the URL it was fetched from), typically indexer.Session.Known.
	// It is called from one goroutine at a time. nil: nothing is known.
	Known func(url string) (indexer.FetchState, bool)
}

// EventKind says what happened to a URL.
type EventKind int

// The kinds of Event.
const (
	EventFetched   EventKind = iota + 1 // a 2xx HTML page was fetched
	EventPractice                       // a practice was extracted (Event.Practice)
	EventSkipped                        // not fetched or not indexed on purpose (robots, not HTML, too large, noindex)
	EventFailed                         // fetching or extracting failed (Event.Status 404/410: the page is gone)
	EventUnchanged                      // a known page did not change: it answered 304, or its sitemap lastmod is not newer than the last fetch (then it was not requested)
)

func (k EventKind) String() string {
	switch k {
	case EventFetched:
		return "fetched"
	case EventPractice:
		return "practice"
	case EventSkipped:
		return "skipped"
	case EventFailed:
		return "failed"
	case EventUnchanged:
		return "unchanged"
	}
	return "unknown"
}

// Event reports one URL's outcome to Crawl's caller.
type Event struct {
	Kind     EventKind
	URL      string
	Status   int                // HTTP status when known (Failed: 404/410 means gone)
	Practice *indexer.Practice  // EventPractice: raw values as the page says them, URL = canonical
	State    indexer.FetchState // EventPractice: validators and time of the fetch, URL = the URL fetched (after redirects)
	Err      error              // Skipped/Failed: the reason
}
