package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/casebook-project/casebook/indexer"
)

// Crawl is CrawlWith with zero Options: every page is fetched in full.
func (c *Crawler) Crawl(ctx context.Context, src Source, emit func(Event)) error {
	return c.CrawlWith(ctx, src, Options{}, emit)
}

// CrawlWith fetches one source and reports every URL's outcome through
// emit, which is called from one goroutine at a time and never after
// CrawlWith returns. Pages opts.Known knows are asked for with their
// validators (If-None-Match, If-Modified-Since) and reported
// EventUnchanged on a 304; a sitemap entry whose lastmod is not newer than
// the known fetch time is reported EventUnchanged without a request.
//
// It returns nil only when the source was crawled completely, so the
// caller may remove practices that vanished. A non-nil error means that
// nothing may be removed. It wraps ErrIncomplete when the crawl did useful
// work but could not finish (a host was given up after repeated failures:
// ErrHostGivenUp); any other error means the source failed as a whole: a
// robots.txt that answered 5xx or 429 (after retries) or could not be
// fetched (ErrRobotsUnavailable, also wrapping ErrPrivateAddress when the
// guard refused the host), every start URL failed or was disallowed, every
// host was given up before anything succeeded, or ctx ended.
func (c *Crawler) CrawlWith(ctx context.Context, src Source, opts Options, emit func(Event)) error {
	if emit == nil {
		emit = func(Event) {}
	}
	r := &run{
		c:          c,
		src:        src,
		opts:       opts,
		emit:       emit,
		hosts:      map[string]*host{},
		seen:       map[string]bool{},
		practices:  map[string]bool{},
		alternates: map[string][]alternate{},
		variants:   map[string]int{},
		results:    make(chan result, c.cfg.Concurrency),
		maxPages:   src.MaxPages,
		maxDepth:   src.MaxDepth,
		delay:      src.Delay,
	}
	if r.maxPages <= 0 {
		r.maxPages = 5000
	}
	if r.maxDepth <= 0 {
		r.maxDepth = 5
	}
	if r.delay <= 0 {
		r.delay = c.cfg.Delay
	}
	if err := r.prepare(ctx); err != nil {
		return fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	if err := r.loop(ctx); err != nil {
		return fmt.Errorf("crawl %s: %w", src.Name, err)
	}
	switch {
	case len(r.starts) > 0 && r.startsOK == 0:
		return fmt.Errorf("crawl %s: every start URL failed (first: %v)", src.Name, r.firstStartErr)
	case len(r.starts) == 0 && r.sitemapsOK == 0:
		return fmt.Errorf("crawl %s: every sitemap failed (first: %v)", src.Name, r.firstStartErr)
	case len(r.givenUp) > 0 && r.succeeded == 0:
		return fmt.Errorf("crawl %s: %w", src.Name, errors.Join(r.givenUp...))
	case len(r.givenUp) > 0:
		return fmt.Errorf("crawl %s: %w: %w", src.Name, ErrIncomplete, errors.Join(r.givenUp...))
	}
	return nil
}

type taskKind int

const (
	taskPage taskKind = iota
	taskSitemap
)

type task struct {
	kind  taskKind
	url   string              // normalised
	depth int                 // pages: link depth; sitemaps: index nesting
	start bool                // a start URL
	known *indexer.FetchState // pages: what the index knows (validators), set at dispatch
}

// maxHostFailures is how many requests in a row (each after its retries)
// may fail with a 5xx, a 429, a timeout or a broken connection before the
// host is given up for the rest of the crawl.
const maxHostFailures = 5

// host is the politeness state of one host (host[:port]).
type host struct {
	name     string
	robots   *robots
	delay    time.Duration
	queue    []task
	busy     bool
	next     time.Time // no request starts before
	failures int       // consecutive transient failures
	gaveUp   error     // non-nil once the host is given up
}

// run is the state of one Crawl call. Only the loop goroutine touches it.
type run struct {
	c                  *Crawler
	src                Source
	opts               Options
	emit               func(Event)
	hosts              map[string]*host
	order              []*host // hosts in the order they were added, for fair dispatch
	seen               map[string]bool
	queued             int // pages queued so far (≤ maxPages)
	sitemaps           int // sitemaps queued so far
	practices          map[string]bool
	results            chan result
	inflight           int
	maxPages, maxDepth int
	delay              time.Duration
	alternates         map[string][]alternate // page URL -> hreflang alternates named by sitemaps
	variants           map[string]int         // scheme://host/path -> distinct queries queued

	starts        map[string]bool
	startsOK      int
	sitemapsOK    int
	succeeded     int // pages fetched (2xx or 304) and sitemaps read
	firstStartErr error
	givenUp       []error
}

// prepare fetches robots.txt of every host the source names, then queues
// sitemaps and start URLs.
func (r *run) prepare(ctx context.Context) error {
	r.starts = map[string]bool{}
	var starts, maps []*url.URL
	parse := func(raw string) (*url.URL, error) {
		n, err := NormalizeURL(raw)
		if err != nil {
			return nil, err
		}
		return url.Parse(n)
	}
	for _, s := range r.src.StartURLs {
		u, err := parse(s)
		if err != nil {
			return fmt.Errorf("start URL: %w", err)
		}
		starts = append(starts, u)
	}
	for _, s := range r.src.Sitemaps {
		u, err := parse(s)
		if err != nil {
			return fmt.Errorf("sitemap: %w", err)
		}
		maps = append(maps, u)
	}
	if len(starts) == 0 && len(maps) == 0 {
		return errors.New("no start URL and no sitemap")
	}
	for _, u := range append(append([]*url.URL{}, starts...), maps...) {
		if _, ok := r.hosts[u.Host]; ok {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rb, err := r.c.fetchRobots(ctx, u, r.opts.Full)
		if err != nil {
			return err
		}
		h := &host{name: u.Host, robots: rb, delay: r.delay}
		if rb.delay > h.delay {
			h.delay = rb.delay
			if h.delay > maxCrawlDelay {
				r.c.log.WarnContext(ctx, "robots.txt Crawl-delay capped", "host", u.Host, "crawl_delay", rb.delay, "cap", maxCrawlDelay)
				h.delay = maxCrawlDelay
			}
		}
		h.next = time.Now().Add(h.delay)
		r.hosts[u.Host] = h
		r.order = append(r.order, h)
	}
	for _, u := range maps {
		r.queueSitemap(u.String(), 0)
	}
	for _, h := range r.order {
		for _, s := range h.robots.sitemaps {
			if u, err := parse(s); err == nil {
				if _, ok := r.hosts[u.Host]; ok {
					r.queueSitemap(u.String(), 0)
				}
			}
		}
	}
	for _, u := range starts {
		s := u.String()
		r.starts[s] = true
		if r.seen[s] {
			continue
		}
		r.seen[s] = true
		if err := r.check(u); err != nil {
			r.startFailed(err)
			r.emit(Event{Kind: EventSkipped, URL: s, Err: err})
			continue
		}
		r.queued++
		h := r.hosts[u.Host]
		h.queue = append(h.queue, task{kind: taskPage, url: s, start: true})
	}
	return nil
}

func (r *run) startFailed(err error) {
	if r.firstStartErr == nil {
		r.firstStartErr = err
	}
}

func (r *run) queueSitemap(s string, depth int) {
	key := "sitemap " + s
	if r.seen[key] || r.sitemaps >= maxSitemaps {
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		return
	}
	h, ok := r.hosts[u.Host]
	if !ok {
		return
	}
	r.seen[key] = true
	if h.gaveUp != nil {
		r.emit(Event{Kind: EventFailed, URL: s, Err: h.gaveUp})
		return
	}
	r.sitemaps++
	h.queue = append(h.queue, task{kind: taskSitemap, url: s, depth: depth})
}

// loop dispatches queued tasks to workers, host by host, and handles their
// results until nothing is left or ctx ends.
func (r *run) loop(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wake := r.dispatch(ctx)
		if r.inflight == 0 && wake.IsZero() {
			return nil
		}
		var timerC <-chan time.Time
		if !wake.IsZero() {
			timer.Reset(time.Until(wake))
			timerC = timer.C
		}
		select {
		case res := <-r.results:
			r.inflight--
			r.handle(ctx, res)
		case <-timerC:
		case <-ctx.Done():
			for ; r.inflight > 0; r.inflight-- {
				<-r.results
			}
			return ctx.Err()
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// dispatch starts every task it may start now and returns when the next
// waiting host becomes ready (zero: no host is waiting).
func (r *run) dispatch(ctx context.Context) time.Time {
	var wake time.Time
	now := time.Now()
	for _, h := range r.order {
		if h.busy || len(h.queue) == 0 {
			continue
		}
		if r.inflight >= r.c.cfg.Concurrency {
			break
		}
		if now.Before(h.next) {
			if wake.IsZero() || h.next.Before(wake) {
				wake = h.next
			}
			continue
		}
		t := h.queue[0]
		h.queue = h.queue[1:]
		if t.kind == taskPage && r.opts.Known != nil && !r.opts.Full {
			if st, ok := r.opts.Known(t.url); ok {
				t.known = &st
			}
		}
		h.busy = true
		r.inflight++
		go func() { r.results <- r.work(ctx, h, t) }()
	}
	if r.inflight >= r.c.cfg.Concurrency {
		return time.Time{}
	}
	return wake
}

// result is what a worker found; the loop applies it.
type result struct {
	host     *host
	task     task
	finished time.Time
	events   []Event
	practice *indexer.Practice
	finalURL string
	links    []string
	sitemap  sitemapDoc
	status   int                // HTTP status of the page
	state    indexer.FetchState // page: what the fetch learnt, for EventPractice
	ok       bool               // page: 2xx HTML on the source's hosts, or 304; sitemap: parsed
	// transient: the last answer was 5xx or 429, or the request timed out
	// or its connection broke (after retries); counts toward giving up.
	transient  bool
	retryAfter time.Duration // the last answer's Retry-After
}

func (r *run) handle(ctx context.Context, res result) {
	h := res.host
	h.busy = false
	h.next = res.finished.Add(h.delay)
	if ra := res.finished.Add(res.retryAfter); ra.After(h.next) {
		h.next = ra
	}
	for _, ev := range res.events {
		r.emit(ev)
	}
	if res.ok {
		r.succeeded++
	}
	if res.transient {
		h.failures++
	} else {
		h.failures = 0
	}
	defer func() {
		if h.failures >= maxHostFailures && h.gaveUp == nil {
			r.giveUp(ctx, h)
		}
	}()
	switch res.task.kind {
	case taskSitemap:
		r.handleSitemap(res)
		return
	}
	if res.task.start {
		if res.ok {
			r.startsOK++
		} else if len(res.events) > 0 {
			r.startFailed(res.events[len(res.events)-1].Err)
		}
	}
	if res.finalURL != "" {
		r.seen[res.finalURL] = true
	}
	if p := res.practice; p != nil {
		if !r.practices[p.URL] {
			r.practices[p.URL] = true
			r.seen[p.URL] = true
			if len(p.Translations) == 0 {
				if ts := r.sitemapTranslations(p.URL, res.finalURL, res.task.url); len(ts) > 0 {
					p.Translations = ts
				}
			}
			r.emit(Event{Kind: EventPractice, URL: p.URL, Status: res.status, Practice: p, State: res.state})
		} else {
			r.c.log.DebugContext(ctx, "duplicate practice", "url", res.finalURL, "canonical", p.URL)
		}
	}
	for _, l := range res.links {
		r.enqueue(l, res.task.depth+1, time.Time{})
	}
}

// giveUp stops crawling h: every URL still queued for it, and every URL
// found for it later, is reported failed with an error naming the host.
func (r *run) giveUp(ctx context.Context, h *host) {
	h.gaveUp = fmt.Errorf("%w: %s failed %d times in a row (5xx, 429, timeouts or broken connections, each after %d retries)",
		ErrHostGivenUp, h.name, h.failures, maxRetries)
	r.givenUp = append(r.givenUp, h.gaveUp)
	r.c.log.WarnContext(ctx, "host given up", "source", r.src.Name, "host", h.name, "queued", len(h.queue))
	for _, t := range h.queue {
		r.emit(Event{Kind: EventFailed, URL: t.url, Err: h.gaveUp})
	}
	h.queue = nil
}

// sitemapTranslations returns the hreflang alternates sitemaps named for
// any of urls, deduplicated, without urls themselves.
func (r *run) sitemapTranslations(urls ...string) []indexer.Translation {
	self := map[string]bool{}
	for _, u := range urls {
		self[u] = true
	}
	var out []indexer.Translation
	for _, u := range urls {
		for _, a := range r.alternates[u] {
			lang := langCode(a.Lang)
			if lang == "" || self[a.Href] {
				continue
			}
			self[a.Href] = true
			out = append(out, indexer.Translation{Lang: lang, URL: a.Href})
		}
	}
	return out
}

// handleSitemap queues what a sitemap lists: child sitemaps of an index,
// else its pages (with their lastmod), then the hreflang alternates of
// its pages, which it also remembers as translations.
func (r *run) handleSitemap(res result) {
	if res.ok {
		r.sitemapsOK++
	}
	var alts []string
	for _, e := range res.sitemap.Entries {
		n, err := NormalizeURL(e.Loc)
		if err != nil {
			continue
		}
		if res.sitemap.Index {
			if res.task.depth < 2 {
				r.queueSitemap(n, res.task.depth+1)
			}
			continue
		}
		// Every member of the entry's group (the entry and its
		// alternates) learns the alternates; the entry's own language is
		// known only when it lists itself.
		var group []alternate
		for _, a := range e.Alternates {
			an, err := NormalizeURL(a.Href)
			if err != nil || slices.ContainsFunc(group, func(x alternate) bool { return x.Href == an }) {
				continue
			}
			group = append(group, alternate{Lang: a.Lang, Href: an})
			if an != n {
				alts = append(alts, an)
			}
		}
		members := []string{n}
		for _, a := range group {
			if a.Href != n {
				members = append(members, a.Href)
			}
		}
		for _, m := range members {
			for _, a := range group {
				if !slices.ContainsFunc(r.alternates[m], func(x alternate) bool { return x.Href == a.Href }) {
					r.alternates[m] = append(r.alternates[m], a)
				}
			}
		}
		r.enqueue(n, 1, e.Lastmod)
	}
	for _, a := range alts {
		r.enqueue(a, 1, time.Time{})
	}
}
