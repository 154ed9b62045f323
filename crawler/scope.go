package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casebook-project/casebook/indexer"
)

// check says why u may not be fetched: another host, excluded, or
// disallowed by robots.txt.
func (r *run) check(u *url.URL) error {
	h, ok := r.hosts[u.Host]
	if !ok {
		return ErrOffSite
	}
	if matchAny(r.src.Exclude, pathQuery(u)) {
		return ErrExcluded
	}
	if !h.robots.allowed(u) {
		return ErrDisallowed
	}
	return nil
}

// Trap limits: URLs that a crawler-trap (a calendar, a relative-link loop,
// a faceted search) produces without end are not fetched.
const (
	// maxURLLength: longer URLs are skipped.
	maxURLLength = 2048
	// maxSegmentRepeats: a run of path segments repeated more often in a
	// row ("/a/b/a/b/a/b" repeats "a/b" three times) is skipped.
	maxSegmentRepeats = 2
	// maxQueryVariants: distinct query strings queued for one path; the
	// rest are skipped (one skipped event per path says so).
	maxQueryVariants = 50
)

// enqueue queues a normalised page URL found at depth when it is in scope.
// A known page whose sitemap lastmod is not newer than its last fetch is
// reported unchanged instead of being queued.
func (r *run) enqueue(s string, depth int, lastmod time.Time) {
	if r.seen[s] || depth > r.maxDepth || r.queued >= r.maxPages {
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		return
	}
	pq := pathQuery(u)
	wanted := len(r.src.Include) == 0 || matchAny(r.src.Include, pq) || matchAny(r.src.Follow, pq)
	if !wanted {
		return
	}
	skip := func(err error) {
		r.seen[s] = true
		if err != nil {
			r.emit(Event{Kind: EventSkipped, URL: s, Err: fmt.Errorf("%s: %w", s, err)})
		}
	}
	if err := r.check(u); err != nil {
		if errors.Is(err, ErrDisallowed) {
			skip(err)
		}
		return
	}
	if report, err := r.trap(u, s); err != nil {
		if !report {
			err = nil
		}
		skip(err)
		return
	}
	h := r.hosts[u.Host]
	if h.gaveUp != nil {
		r.seen[s] = true
		r.emit(Event{Kind: EventFailed, URL: s, Err: h.gaveUp})
		return
	}
	r.seen[s] = true
	r.queued++
	if st, ok := r.unchangedSince(s, lastmod); ok {
		r.emit(Event{Kind: EventUnchanged, URL: s})
		for _, a := range st.Alternates { // its translations are still practices
			r.enqueue(a, depth+1, time.Time{})
		}
		return
	}
	h.queue = append(h.queue, task{kind: taskPage, url: s, depth: depth})
}

// unchangedSince reports whether the index knows s from a fetch no older
// than lastmod (never with Options.Full or without a lastmod).
func (r *run) unchangedSince(s string, lastmod time.Time) (indexer.FetchState, bool) {
	if r.opts.Full || r.opts.Known == nil || lastmod.IsZero() {
		return indexer.FetchState{}, false
	}
	st, ok := r.opts.Known(s)
	return st, ok && !st.Fetched.IsZero() && !lastmod.After(st.Fetched)
}

// trap says why u (normalised: s) looks like a crawler trap; report is
// false for a refusal already reported for the same path.
func (r *run) trap(u *url.URL, s string) (report bool, err error) {
	if len(s) > maxURLLength {
		return true, fmt.Errorf("%w: URL longer than %d characters", ErrTrap, maxURLLength)
	}
	if seg, n := repeatedSegments(u.EscapedPath()); n > maxSegmentRepeats {
		return true, fmt.Errorf("%w: path repeats %q %d times", ErrTrap, seg, n)
	}
	if u.RawQuery == "" {
		return false, nil
	}
	key := u.Scheme + "://" + u.Host + u.EscapedPath()
	n := r.variants[key]
	switch {
	case n < maxQueryVariants:
		r.variants[key] = n + 1
		return false, nil
	case n == maxQueryVariants:
		r.variants[key] = n + 1
		return true, fmt.Errorf("%w: more than %d query variants of %s; further ones are ignored", ErrTrap, maxQueryVariants, u.EscapedPath())
	}
	return false, ErrTrap
}

// maxRepeatSpan bounds the length of the segment run repeatedSegments
// looks for.
const maxRepeatSpan = 8

// repeatedSegments finds the run of path segments repeated most often in a
// row and how often: "/a/b/a/b/a/b/c" -> "a/b", 3. Runs of up to
// maxRepeatSpan segments are considered.
func repeatedSegments(path string) (string, int) {
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	best, bestN := "", 1
	for span := 1; span <= maxRepeatSpan && 2*span <= len(segs); span++ {
		for i := 0; i+2*span <= len(segs); i++ {
			n := 1
			for j := i + span; j+span <= len(segs) && slices.Equal(segs[i:i+span], segs[j:j+span]); j += span {
				n++
			}
			if n > bestN {
				best, bestN = strings.Join(segs[i:i+span], "/"), n
			}
		}
	}
	return best, bestN
}

// pathQuery is what include/follow/exclude patterns are matched against:
// the path, plus "?" and the query when there is one.
func pathQuery(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re != nil && re.MatchString(s) {
			return true
		}
	}
	return false
}
