package crawler_test

import (
	"errors"
	"testing"

	"github.com/casebook-project/casebook/crawler"
)

func TestNormalizeURL(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"HTTP://WWW.Example.ORG:80/Path", "http://www.example.org/Path"},
		{"https://example.org:443", "https://example.org/"},
		{"https://example.org:8443/a", "https://example.org:8443/a"},
		{"https://example.org/a#section", "https://example.org/a"},
		{"https://example.org/a/./b/../c", "https://example.org/a/c"},
		{"https://example.org/./practices/./lisbon", "https://example.org/practices/lisbon"},
		{"https://example.org/%7Euser/%2f", "https://example.org/~user/%2F"},
		{"https://example.org/a;jsessionid=ABC123?x=1", "https://example.org/a?x=1"},
		{"https://example.org/a?utm_source=news&b=2&a=1&utm_medium=mail", "https://example.org/a?a=1&b=2"},
		{"https://example.org/a?PHPSESSID=1&sid=2&page=3", "https://example.org/a?page=3"},
		{"https://example.org/a?utm_source=x", "https://example.org/a"},
		{"https://example.org/caf\u00e9", "https://example.org/caf%C3%A9"},
		{"https://example.org/a b", "https://example.org/a%20b"},
		{"https://Düsseldorf.example/x", "https://xn--dsseldorf-q9a.example/x"},
		{"http://[::1]:80/x", "http://[::1]/x"},
		{"https://example.org/a/b/", "https://example.org/a/b/"},
		// Numeric hosts are IPv4 addresses, whatever their spelling.
		{"http://2130706433:8080/x", "http://127.0.0.1:8080/x"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://127.1/", "http://127.0.0.1/"},
		{"http://0177.0.0.02/", "http://127.0.0.2/"},
		{"http://0x7F000001/", "http://127.0.0.1/"},
		{"http://0.0.0.0/", "http://0.0.0.0/"},
		{"http://[::ffff:127.0.0.2]/", "http://[::ffff:127.0.0.2]/"},
		{"http://www.2024.example/", "http://www.2024.example/"},
	} {
		got, err := crawler.NormalizeURL(test.in)
		if err != nil || got != test.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", test.in, got, err, test.want)
		}
	}
	for _, in := range []string{"http://256.256.256.256/", "http://1.2.3.4.5/", "http://0x100000000/", "http://09.1/", "http://example.0x/", "mailto:a@b.c", "javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", "/relative", "data:text/html,x", "gopher://x"} {
		if got, err := crawler.NormalizeURL(in); err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", in, got)
		}
	}
	if _, err := crawler.NormalizeURL("file:///etc/passwd"); !errors.Is(err, crawler.ErrScheme) {
		t.Errorf("file: URL error %v, want ErrScheme", err)
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://example.org/a/./b?utm_source=x&b=1#f", "http://EX.org:80/%7e;jsessionid=1", "https://[::1]/..", "http://a/%zz?%", "https://.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		once, err := crawler.NormalizeURL(in)
		if err != nil {
			return
		}
		twice, err := crawler.NormalizeURL(once)
		if err != nil {
			t.Fatalf("NormalizeURL(%q) = %q, which does not normalise: %v", in, once, err)
		}
		if twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, once, twice)
		}
	})
}
