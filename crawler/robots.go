package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

const (
	// maxRobotsBytes is how much of a robots.txt is read (RFC 9309 §2.5
	// asks for at least 500 KiB); the rest is ignored.
	maxRobotsBytes = 500 << 10
	// maxCrawlDelay caps robots.txt Crawl-delay.
	maxCrawlDelay = 30 * time.Second
	// robotsMaxAge is how long a Crawler reuses a robots.txt it fetched
	// (RFC 9309 §2.4: not more than 24 hours).
	robotsMaxAge = 24 * time.Hour
)

// robotsEntry is a cached robots.txt.
type robotsEntry struct {
	rules   *robots
	fetched time.Time
}

// robots are the rules of one host for our user agent.
type robots struct {
	group    *robotstxt.Group
	delay    time.Duration // Crawl-delay of our group, uncapped
	sitemaps []string
}

// allowed reports whether the rules allow u (its escaped path and query).
func (r *robots) allowed(u *url.URL) bool {
	if r == nil || r.group == nil {
		return true
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return r.group.Test(p)
}

// fetchRobots gets robots.txt of the host of base, or reuses the one this
// Crawler fetched less than 24 hours ago unless fresh. 2xx: the rules (the
// first 500 KiB of them); 4xx (but 429): no rules; 429, 5xx and network
// errors: ErrRobotsUnavailable, after the retries of fetcher.get, which
// wait for a 429's or 503's Retry-After before asking again. Failures are
// not cached.
func (c *Crawler) fetchRobots(ctx context.Context, base *url.URL, fresh bool) (*robots, error) {
	ru := &url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/robots.txt"}
	key := ru.String()
	if !fresh {
		c.robotsMu.Lock()
		e, ok := c.robotsCache[key]
		c.robotsMu.Unlock()
		if ok && c.now().Sub(e.fetched) < robotsMaxAge {
			return e.rules, nil
		}
	}
	resp, err := c.fetch.get(ctx, request{url: key, accept: "text/plain,*/*;q=0.5", limit: maxRobotsBytes, truncate: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrRobotsUnavailable, ru, err)
	}
	var rules *robots
	switch s := resp.Status; {
	case s >= 200 && s <= 299:
		rules = parseRobots(resp.Body, c.agent)
	case s >= 400 && s <= 499 && s != 429:
		rules = &robots{}
	default:
		return nil, fmt.Errorf("%w: %s answered HTTP %d (%d attempts)", ErrRobotsUnavailable, ru, s, resp.Attempts)
	}
	c.robotsMu.Lock()
	c.robotsCache[key] = robotsEntry{rules: rules, fetched: c.now()}
	c.robotsMu.Unlock()
	return rules, nil
}

// parseRobots reads a robots.txt body for the product token agent. It
// wraps temoto/robotstxt and first rewrites the file so that four RFC 9309
// cases the library gets wrong come out right: rules before the first
// User-agent line are dropped instead of voiding the file; an Allow and a
// Disallow of equal length allow; a group "foo" does not apply to agent
// "foobar"; non-ASCII paths are percent-encoded before matching.
func parseRobots(body []byte, agent string) *robots {
	agent = strings.ToLower(agent)
	data, err := robotstxt.FromBytes(fixRobots(body, agent))
	if err != nil {
		// Only malformed wildcard patterns get here; treat the file as
		// saying nothing rather than forbidding the site.
		return &robots{}
	}
	r := &robots{sitemaps: data.Sitemaps}
	g := data.FindGroup(agent)
	r.group = g
	r.delay = g.CrawlDelay
	return r
}

// fixRobots rewrites a robots.txt for temoto/robotstxt; see parseRobots.
// Groups for agents other than ours and "*" are renamed so that the
// library's prefix match cannot pick them.
func fixRobots(body []byte, agent string) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var out bytes.Buffer
	var agents, allows, others []string
	inRules, seenAgent := false, false
	flush := func() {
		for _, group := range [][]string{agents, allows, others} {
			for _, l := range group {
				out.WriteString(l)
				out.WriteByte('\n')
			}
		}
		agents, allows, others = nil, nil, nil
	}
	lines := strings.FieldsFunc(string(body), func(r rune) bool { return r == '\n' || r == '\r' })
	for _, line := range lines {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent", "useragent":
			if inRules {
				flush()
				inRules = false
			}
			seenAgent = true
			name := productToken(val)
			if name != "*" && name != agent {
				name = "other-agent-" + name
			}
			agents = append(agents, "User-agent: "+name)
		case "allow", "disallow":
			if !seenAgent {
				continue
			}
			inRules = true
			rule := "Disallow: "
			if key == "allow" {
				rule = "Allow: "
			}
			line = rule + encodeNonASCII(val)
			if key == "allow" {
				allows = append(allows, line)
			} else {
				others = append(others, line)
			}
		case "crawl-delay", "crawldelay":
			if !seenAgent {
				continue
			}
			if f, err := strconv.ParseFloat(val, 64); err != nil || f < 0 || f > 1e6 {
				continue
			}
			inRules = true
			others = append(others, "Crawl-delay: "+val)
		case "sitemap":
			if val != "" {
				others = append(others, "Sitemap: "+val)
			}
		}
	}
	flush()
	return out.Bytes()
}

// productToken returns the lowercase product name of a user agent
// ("casebook/1.0 (+https://…)" -> "casebook").
func productToken(ua string) string {
	ua = strings.TrimSpace(ua)
	if i := strings.IndexAny(ua, "/ \t("); i > 0 {
		ua = ua[:i]
	}
	return strings.ToLower(ua)
}

func encodeNonASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == ' ' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
