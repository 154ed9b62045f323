package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// work runs one task on a worker goroutine. It only reads the run's
// immutable parts (source, hosts and their robots rules).
func (r *run) work(ctx context.Context, h *host, t task) result {
	res := result{host: h, task: t}
	switch t.kind {
	case taskSitemap:
		doc, err := r.c.fetchSitemap(ctx, t.url)
		res.sitemap = doc
		if err != nil {
			res.events = append(res.events, Event{Kind: EventFailed, URL: t.url, Err: err})
		} else {
			res.ok = true
		}
	default:
		r.workPage(ctx, t, &res)
	}
	res.finished = time.Now()
	return res
}

func (r *run) workPage(ctx context.Context, t task, res *result) {
	fail := func(kind EventKind, u string, status int, err error) {
		res.events = append(res.events, Event{Kind: kind, URL: u, Status: status, Err: err})
	}
	p, err := r.c.fetch.page(ctx, t.url)
	if err != nil {
		status := 0
		if p != nil {
			status = p.Status
		}
		kind := EventFailed
		if errors.Is(err, ErrNotHTML) || errors.Is(err, ErrTooLarge) {
			kind = EventSkipped
		}
		fail(kind, t.url, status, err)
		return
	}
	final, err := normalize(p.URL)
	if err != nil {
		fail(EventFailed, t.url, p.Status, err)
		return
	}
	finalURL, _ := url.Parse(final)
	if final != t.url {
		if err := r.check(finalURL); err != nil {
			fail(EventSkipped, t.url, p.Status, fmt.Errorf("redirected to %s: %w", final, err))
			return
		}
	}
	res.finalURL = final
	res.status = p.Status
	res.events = append(res.events, Event{Kind: EventFetched, URL: final, Status: p.Status})
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML))
	if err != nil {
		fail(EventFailed, final, p.Status, fmt.Errorf("parse %s: %w", final, err))
		return
	}
	res.ok = true
	noindex, nofollow := robotsDirectives(doc, p.Header, r.c.agent)
	pq := pathQuery(finalURL)
	follow := matchAny(r.src.Follow, pq)
	practice := !t.start && !follow
	if len(r.src.Include) > 0 {
		practice = matchAny(r.src.Include, pq)
	}
	if (t.start || follow) && !nofollow {
		res.links = pageLinks(doc, finalURL)
	}
	if !practice {
		return
	}
	if noindex {
		fail(EventSkipped, final, p.Status, fmt.Errorf("%s: %w", final, ErrNoIndex))
		return
	}
	pr, err := Extract(final, doc, p.Header, r.src)
	if err != nil {
		fail(EventFailed, final, p.Status, err)
		return
	}
	res.practice = &pr
	if !nofollow {
		// Translations are practices too, even when only hreflang names them.
		for _, tr := range pr.Translations {
			res.links = append(res.links, tr.URL)
		}
	}
}
