package crawler_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/crawlertest"
)

const practicePage = `<!DOCTYPE html><html lang="en"><head><title>A practice</title></head><body><main><h1>A practice</h1><p>The city opened a welcome desk.</p></main></body></html>`

// gap returns the time between the first two requests for path.
func gap(t *testing.T, site *crawlertest.Site, path string) time.Duration {
	t.Helper()
	var times []time.Time
	for _, r := range site.Requests() {
		if r.Path == path {
			times = append(times, r.Time)
		}
	}
	if len(times) < 2 {
		t.Fatalf("%s requested %d times, want at least 2", path, len(times))
	}
	return times[1].Sub(times[0])
}

// 429 and 503 are tried again after Retry-After (seconds or an HTTP date)
// or a backoff, at most twice; then the page counts as failed.
func TestCrawlRetries(t *testing.T) {
	for _, test := range []struct {
		name     string
		headers  string
		requests int
		minGap   time.Duration
		failed   int // status of the failed event, 0: a practice
	}{
		{"429 Retry-After seconds", "Status: 429\nRetry-After: 1\nTimes: 1", 2, time.Second, 0},
		{"503 Retry-After date", "Status: 503\nRetry-After: {{date}}\nTimes: 2", 3, time.Second, 0},
		{"503 backoff", "Status: 503\nTimes: 1", 2, 0, 0},
		{"503 for good", "Status: 503", 1 + crawler.MaxRetriesForTest, 0, 503},
		{"500 is not retried", "Status: 500", 1, 0, 500},
		{"429 Retry-After capped", "Status: 429\nRetry-After: 3600\nTimes: 1", 2, 300 * time.Millisecond, 0},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			// An HTTP date has whole seconds: 3 s ahead is at least 2 s.
			headers := strings.ReplaceAll(test.headers, "{{date}}", time.Now().Add(3*time.Second).UTC().Format(http.TimeFormat))
			site := crawlertest.ServeArchive(t, txtar.Parse([]byte(
				"-- /robots.txt --\nUser-agent: *\nAllow: /\n-- /start --\n<a href=\"/p/a\">a</a>\n-- HEADERS /p/a --\n"+headers+"\n-- /p/a --\n"+practicePage+"\n")))
			c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: 5 * time.Millisecond})
			if strings.Contains(test.name, "capped") {
				// Retry-After: 3600 waits for the cap, shrunk from 5 min.
				crawler.SetRetryAfterCapForTest(c, 300*time.Millisecond)
			}
			var got events
			if err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{site.URL + "/start"}}, got.add); err != nil {
				t.Fatal(err)
			}
			if n := site.Count("/p/a"); n != test.requests {
				t.Errorf("%d requests for /p/a, want %d", n, test.requests)
			}
			if test.minGap > 0 {
				if g := gap(t, site, "/p/a"); g < test.minGap {
					t.Errorf("retried after %v, want at least %v", g, test.minGap)
				}
			}
			practices, failed := got.urls(crawler.EventPractice), got.all
			if test.failed == 0 && len(practices) != 1 {
				t.Errorf("practices %v, want /p/a", practices)
			}
			if test.failed != 0 {
				var status int
				for _, ev := range failed {
					if ev.Kind == crawler.EventFailed {
						status = ev.Status
					}
				}
				if status != test.failed {
					t.Errorf("failed status %d, want %d", status, test.failed)
				}
			}
		})
	}
}

// A request that times out, or whose connection is reset, is tried again.
func TestCrawlRetriesTimeoutAndReset(t *testing.T) {
	for _, mode := range []string{"timeout", "reset"} {
		t.Run(mode, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/robots.txt":
					http.NotFound(w, r)
					return
				case "/start":
					_, _ = w.Write([]byte(`<a href="/p/a">a</a>`))
					return
				}
				if hits.Add(1) == 1 {
					if mode == "timeout" {
						<-r.Context().Done()
						return
					}
					conn, _, err := w.(http.Hijacker).Hijack()
					if err != nil {
						t.Error(err)
						return
					}
					_ = conn.(*net.TCPConn).SetLinger(0) // close with RST
					_ = conn.Close()
					return
				}
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte(practicePage))
			}))
			defer srv.Close()
			c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond, Timeout: 300 * time.Millisecond})
			var got events
			if err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{srv.URL + "/start"}}, got.add); err != nil {
				t.Fatal(err)
			}
			if n := hits.Load(); n != 2 {
				t.Errorf("%d requests for /p/a, want 2", n)
			}
			if p := got.urls(crawler.EventPractice); len(p) != 1 {
				t.Errorf("practices %v, want /p/a after the retry", p)
			}
		})
	}
}

// A host that keeps failing is given up: its remaining URLs are reported
// failed with an error naming it, without a request; the crawl is
// incomplete (the listing succeeded), not failed.
func TestCrawlGivesUpFailingHost(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- /robots.txt --\nUser-agent: *\nAllow: /\n-- /start --\n")
	for i := range 10 {
		b.WriteString(`<a href="/p/` + string(rune('a'+i)) + `">x</a>`)
	}
	b.WriteString("\n")
	for i := range 10 {
		b.WriteString("-- HEADERS /p/" + string(rune('a'+i)) + " --\nStatus: 503\n")
	}
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte(b.String())))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond})
	var got events
	err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{site.URL + "/start"}}, got.add)
	if !errors.Is(err, crawler.ErrIncomplete) || !errors.Is(err, crawler.ErrHostGivenUp) {
		t.Fatalf("Crawl error %v, want ErrIncomplete and ErrHostGivenUp", err)
	}
	host := strings.TrimPrefix(site.URL, "http://")
	if !strings.Contains(err.Error(), host) {
		t.Errorf("error %q does not name the host %s", err, host)
	}
	want := crawler.MaxHostFailuresForTest * (1 + crawler.MaxRetriesForTest)
	if n := site.Count("/p/"); n != want {
		t.Errorf("%d page requests, want %d (%d pages × %d attempts)", n, want, crawler.MaxHostFailuresForTest, 1+crawler.MaxRetriesForTest)
	}
	givenUp := 0
	for _, ev := range got.all {
		if ev.Kind == crawler.EventFailed && errors.Is(ev.Err, crawler.ErrHostGivenUp) {
			givenUp++
			if !strings.Contains(ev.Err.Error(), host) {
				t.Errorf("%s: %v does not name the host", ev.URL, ev.Err)
			}
		}
	}
	if givenUp != 10-crawler.MaxHostFailuresForTest {
		t.Errorf("%d URLs reported given up, want %d", givenUp, 10-crawler.MaxHostFailuresForTest)
	}

	// Nothing succeeded at all: the source fails as a whole.
	var starts []string
	for i := range 6 {
		starts = append(starts, site.URL+"/p/"+string(rune('a'+i)))
	}
	err = c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: starts}, nil)
	if err == nil || errors.Is(err, crawler.ErrIncomplete) {
		t.Errorf("Crawl with every page failing: %v, want a failure that is not ErrIncomplete", err)
	}
}

// robots.txt answering 429 with Retry-After: no request to the host before
// it ran out, then the crawl goes on.
func TestCrawlRobots429RetryAfter(t *testing.T) {
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte(
		"-- HEADERS /robots.txt --\nStatus: 429\nRetry-After: 1\nTimes: 1\n-- /robots.txt --\nUser-agent: *\nDisallow: /private\n-- /start --\n<a href=\"/private/x\">x</a>\n")))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, RetryBase: time.Millisecond})
	var got events
	if err := c.Crawl(t.Context(), crawler.Source{Name: "s", StartURLs: []string{site.URL + "/start"}}, got.add); err != nil {
		t.Fatal(err)
	}
	reqs := site.Requests()
	if len(reqs) != 3 || reqs[0].Path != "/robots.txt" || reqs[1].Path != "/robots.txt" || reqs[2].Path != "/start" {
		t.Fatalf("requests %v, want robots.txt twice, then /start", reqs)
	}
	if g := reqs[1].Time.Sub(reqs[0].Time); g < time.Second {
		t.Errorf("robots.txt asked again after %v, want at least Retry-After 1s", g)
	}
	if !errors.Is(got.reason(crawler.EventSkipped, site.URL+"/private/x"), crawler.ErrDisallowed) {
		t.Error("rules of the retried robots.txt not applied")
	}
}

// robots.txt is read once per Crawler for up to 24 hours; Full reads it
// again.
func TestCrawlRobotsCache(t *testing.T) {
	site := crawlertest.ServeArchive(t, txtar.Parse([]byte("-- /robots.txt --\nUser-agent: *\nAllow: /\n-- /start --\n<p>start</p>\n")))
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	now := time.Now()
	crawler.SetClockForTest(c, func() time.Time { return now })
	src := crawler.Source{Name: "s", StartURLs: []string{site.URL + "/start"}}
	for i, step := range []struct {
		advance time.Duration
		full    bool
		want    int
	}{
		{0, false, 1},
		{23 * time.Hour, false, 1},
		{2 * time.Hour, false, 2}, // 25 h after the first fetch
		{0, false, 2},
		{0, true, 3},
	} {
		now = now.Add(step.advance)
		if err := c.CrawlWith(t.Context(), src, crawler.Options{Full: step.full}, nil); err != nil {
			t.Fatal(err)
		}
		if n := site.Count("/robots.txt"); n != step.want {
			t.Errorf("crawl %d: robots.txt fetched %d times in all, want %d", i+1, n, step.want)
		}
	}
}
