package crawler

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestDialGuard(t *testing.T) {
	guarded := newDialer(false, nil).control
	for _, test := range []struct {
		network, addr string
		refused       bool
	}{
		{"tcp4", "127.0.0.1:80", true},
		{"tcp4", "127.0.0.2:8080", true},
		{"tcp4", "10.0.0.1:443", true},
		{"tcp4", "172.16.5.4:80", true},
		{"tcp4", "192.168.1.1:80", true},
		{"tcp4", "169.254.169.254:80", true},
		{"tcp4", "100.64.0.1:80", true},
		{"tcp4", "0.0.0.0:80", true},
		{"tcp4", "224.0.0.1:80", true},
		{"tcp6", "[::1]:80", true},
		{"tcp6", "[::]:80", true},
		{"tcp6", "[fd00::1]:80", true},
		{"tcp6", "[fe80::1]:80", true},
		{"tcp6", "[ff02::1]:80", true},
		{"tcp6", "[::ffff:127.0.0.2]:80", true},
		{"tcp6", "[64:ff9b::a9fe:a9fe]:80", true},
		{"tcp4", "93.184.216.34:443", false},
		{"tcp4", "93.184.216.34:8080", false},
		{"tcp6", "[2606:2800:220:1:248:1893:25c8:1946]:443", false},
	} {
		err := guarded(test.network, test.addr, nil)
		if got := errors.Is(err, ErrPrivateAddress); got != test.refused {
			t.Errorf("dial %s %s: %v; refused %v, want %v", test.network, test.addr, err, got, test.refused)
		}
	}
	if err := newDialer(true, nil).control("tcp4", "127.0.0.1:80", nil); err != nil {
		t.Errorf("AllowPrivateNetworks dialer still guards: %v", err)
	}
}

// Without the crawl's host check, a redirect from an allowed site to an
// internal address is still refused when it is dialed.
func TestRedirectToPrivateRefusedAtDial(t *testing.T) {
	var hits atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("listen 127.0.0.2: %v", err)
	}
	internal := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })}
	go func() { _ = internal.Serve(ln) }()
	defer internal.Close()
	site := httptest.NewServer(http.RedirectHandler("http://"+ln.Addr().String()+"/admin", http.StatusFound))
	defer site.Close()

	c := New(Config{})
	c.fetch.dialer.allow(netip.MustParseAddrPort(strings.TrimPrefix(site.URL, "http://")))
	_, err = c.fetch.page(t.Context(), request{url: site.URL + "/p"})
	if !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("redirect to %s: %v, want ErrPrivateAddress", ln.Addr(), err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("internal service got %d requests", n)
	}
}
