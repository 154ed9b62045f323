package crawler

import (
	"errors"
	"testing"
)

func TestDialGuard(t *testing.T) {
	guarded := newDialer(false).Control
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
	if d := newDialer(true); d.Control != nil {
		t.Error("AllowPrivateNetworks dialer still guards")
	}
}
