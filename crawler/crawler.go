package crawler

import (
	"log/slog"
	"time"

	"github.com/casebook-project/casebook/indexer"
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "casebook/1.0 (+https://github.com/casebook-project/casebook)"

// Crawler crawls sources. It is safe for concurrent use; each Crawl call
// has its own queue and politeness state.
type Crawler struct {
	cfg   Config
	log   *slog.Logger
	fetch *fetcher
	agent string // robots.txt product token, e.g. "casebook"
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
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Crawler{
		cfg:   cfg,
		log:   cfg.Logger,
		fetch: newFetcher(cfg),
		agent: productToken(cfg.UserAgent),
	}
}

// EventKind says what happened to a URL.
type EventKind int

// The kinds of Event.
const (
	EventFetched  EventKind = iota + 1 // a 2xx HTML page was fetched
	EventPractice                      // a practice was extracted (Event.Practice)
	EventSkipped                       // not fetched or not indexed on purpose (robots, not HTML, too large, noindex)
	EventFailed                        // fetching or extracting failed (Event.Status 404/410: the page is gone)
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
	}
	return "unknown"
}

// Event reports one URL's outcome to Crawl's caller.
type Event struct {
	Kind     EventKind
	URL      string
	Status   int               // HTTP status when known (Failed: 404/410 means gone)
	Practice *indexer.Practice // EventPractice: raw values as the page says them, URL = canonical
	Err      error             // Skipped/Failed: the reason
}
