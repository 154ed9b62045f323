package crawler

import (
	"net/url"
	"testing"
	"time"
)

func TestRobotsRules(t *testing.T) {
	for _, test := range []struct {
		name, robots, path string
		want               bool
	}{
		{"disallowed prefix", "User-agent: *\nDisallow: /private\n", "/private/x", false},
		{"other path", "User-agent: *\nDisallow: /private\n", "/public", true},
		{"empty disallow allows", "User-agent: *\nDisallow:\n", "/x", true},
		{"longest match wins", "User-agent: *\nDisallow: /a\nAllow: /a/b\n", "/a/b/c", true},
		{"longest match wins (disallow)", "User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/b/c", false},
		// RFC 9309 §2.2.2: equal-length allow and disallow: allow.
		{"equal length allows", "User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", true},
		{"equal length allows, root", "User-agent: *\nDisallow: /\nAllow: /\n", "/x", true},
		// A rule before the first group must not void the file.
		{"rule before first group", "Disallow: /\nUser-agent: *\nDisallow: /private\n", "/private", false},
		{"rule before first group keeps allow", "Disallow: /\nUser-agent: *\nDisallow: /private\n", "/public", true},
		{"typo and unknown lines ignored", "User-agent: *\nDissallow: /x\nFoo: bar\nDisallow: /private\n", "/private", false},
		{"bad crawl-delay ignored", "User-agent: *\nCrawl-delay: soon\nDisallow: /private\n", "/private", false},
		// Our group is used; a group whose name merely starts like ours or
		// that our name starts with is not.
		{"own group used", "User-agent: *\nDisallow: /\n\nUser-agent: casebook\nDisallow: /x\n", "/y", true},
		{"own group case-insensitive", "User-agent: *\nDisallow: /\n\nUser-agent: CaseBook/2.0\nDisallow: /x\n", "/x", false},
		{"longer agent name ignored", "User-agent: casebookx\nDisallow: /\n\nUser-agent: *\nDisallow: /x\n", "/y", true},
		{"prefix agent name ignored", "User-agent: case\nDisallow: /\n\nUser-agent: *\nDisallow: /x\n", "/y", true},
		{"grouped agents", "User-agent: a\nUser-agent: casebook\nDisallow: /z\n", "/z", false},
		// Non-ASCII rules match the percent-encoded path.
		{"non-ASCII rule", "User-agent: *\nDisallow: /Düsseldorf\n", "/D%C3%BCsseldorf/x", false},
		{"percent-encoded rule", "User-agent: *\nDisallow: /D%C3%BCsseldorf\n", "/D%C3%BCsseldorf", false},
		{"wildcard", "User-agent: *\nDisallow: /*.pdf$\n", "/files/a.pdf", false},
		{"wildcard end", "User-agent: *\nDisallow: /*.pdf$\n", "/files/a.pdf?x", true},
		{"query", "User-agent: *\nDisallow: /search?\n", "/search?q=x", false},
		{"CRLF and BOM", "\ufeffUser-agent: *\r\nDisallow: /private\r\n", "/private", false},
		{"comments", "User-agent: * # everyone\nDisallow: /private # secret\n", "/private", false},
	} {
		t.Run(test.name, func(t *testing.T) {
			r := parseRobots([]byte(test.robots), "casebook")
			u, err := url.Parse("http://example.org" + test.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.allowed(u); got != test.want {
				t.Errorf("allowed(%q) = %v, want %v\n%s", test.path, got, test.want, fixRobots([]byte(test.robots), "casebook"))
			}
		})
	}
}

func TestRobotsCrawlDelayAndSitemaps(t *testing.T) {
	r := parseRobots([]byte("Sitemap: https://a.example/s.xml\nUser-agent: *\nCrawl-delay: 3\n\nUser-agent: casebook\nCrawl-delay: 0.5\nDisallow: /x\nSitemap: https://a.example/t.xml\n"), "casebook")
	if r.delay != 500*time.Millisecond {
		t.Errorf("delay %v, want 500ms", r.delay)
	}
	if len(r.sitemaps) != 2 {
		t.Errorf("sitemaps %q, want 2", r.sitemaps)
	}
}

func FuzzParseRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private\nCrawl-delay: 2\nSitemap: https://x/s.xml\n"))
	f.Add([]byte("Disallow: /\nuser-agent: casebook\nallow: /*.html$\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := parseRobots(body, "casebook")
		u, _ := url.Parse("http://example.org/a/b?c=d")
		r.allowed(u)
	})
}
