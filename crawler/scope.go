package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
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

// enqueue queues a normalised page URL found at depth when it is in scope.
func (r *run) enqueue(s string, depth int) {
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
	if err := r.check(u); err != nil {
		if errors.Is(err, ErrDisallowed) {
			r.seen[s] = true
			r.emit(Event{Kind: EventSkipped, URL: s, Err: fmt.Errorf("%s: %w", s, err)})
		}
		return
	}
	r.seen[s] = true
	r.queued++
	h := r.hosts[u.Host]
	h.queue = append(h.queue, task{kind: taskPage, url: s, depth: depth})
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
