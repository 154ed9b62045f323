package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/indexer"
)

// hopCheck is the check every redirect hop of a page must pass: it stays
// on the source's hosts, so a redirect never makes the crawler talk to
// another site (the dial guard still checks every address).
func (r *run) hopCheck(u *url.URL) error {
	h, err := normalHost(u.Host, u.Scheme)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrOffSite, err)
	}
	if _, ok := r.hosts[h]; !ok {
		return ErrOffSite
	}
	return nil
}

// work runs one task on a worker goroutine. It only reads the run's
// immutable parts (source, hosts and their robots rules).
func (r *run) work(ctx context.Context, h *host, t task) result {
	res := result{host: h, task: t}
	switch t.kind {
	case taskSitemap:
		doc, status, err := r.c.fetchSitemap(ctx, t.url)
		res.sitemap = doc
		if err != nil {
			res.events = append(res.events, Event{Kind: EventFailed, URL: t.url, Status: status, Err: err})
			res.transient = status >= 500 || status == 429 || (status == 0 && transient(err))
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
	req := request{url: t.url, hop: r.hopCheck}
	if k := t.known; k != nil {
		req.ifNoneMatch, req.ifModifiedSince = k.ETag, k.LastModified
	}
	p, err := r.c.fetch.page(ctx, req)
	if p != nil {
		res.retryAfter = p.RetryAfter
	}
	if err != nil {
		status := 0
		if p != nil {
			status = p.Status
		}
		kind := EventFailed
		if errors.Is(err, ErrNotHTML) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrOffSite) {
			kind = EventSkipped
		}
		res.transient = status >= 500 || status == 429 || (status == 0 && transient(err))
		fail(kind, t.url, status, err)
		return
	}
	if p.Status == http.StatusNotModified {
		res.ok = true
		res.status = p.Status
		res.events = append(res.events, Event{Kind: EventUnchanged, URL: t.url, Status: p.Status})
		if t.known != nil {
			res.links = append(res.links, t.known.Alternates...) // translations are still practices
		}
		return
	}
	final, err := normalize(p.URL)
	if err != nil {
		fail(EventFailed, t.url, p.Status, err)
		return
	}
	finalURL, _ := url.Parse(final)
	pq := pathQuery(finalURL)
	follow := matchAny(r.src.Follow, pq)
	if final != t.url {
		err := r.check(finalURL)
		if err == nil && !t.start && !follow && len(r.src.Include) > 0 && !matchAny(r.src.Include, pq) {
			err = ErrNotIncluded
		}
		if err != nil {
			fail(EventSkipped, t.url, p.Status, fmt.Errorf("redirected to %s: %w", final, err))
			return
		}
	}
	res.finalURL = final
	res.status = p.Status
	res.state = indexer.FetchState{URL: final, ETag: p.Header.Get("ETag"), LastModified: p.Header.Get("Last-Modified"), Fetched: p.Sent.UTC()}
	res.events = append(res.events, Event{Kind: EventFetched, URL: final, Status: p.Status})
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.HTML))
	if err != nil {
		fail(EventFailed, final, p.Status, fmt.Errorf("parse %s: %w", final, err))
		return
	}
	res.ok = true
	noindex, nofollow := robotsDirectives(doc, p.Header, r.c.agent)
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
	for _, tr := range pr.Translations {
		res.state.Alternates = append(res.state.Alternates, tr.URL)
	}
	if !nofollow {
		// Translations are practices too, even when only hreflang names them.
		for _, tr := range pr.Translations {
			res.links = append(res.links, tr.URL)
		}
	}
}
