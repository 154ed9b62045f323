package crawler

import (
	"fmt"
	"net"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// newDialer returns the dialer every connection of the crawler goes
// through. Unless allowPrivate, its Control hook refuses non-public
// addresses after DNS resolution, so redirects and rebinding are covered.
func newDialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if allowPrivate {
		return d
	}
	guard := ssrf.New(ssrf.WithAnyPort())
	d.Control = func(network, address string, c syscall.RawConn) error {
		if err := guard.Safe(network, address, c); err != nil {
			return fmt.Errorf("%w: %v", ErrPrivateAddress, err)
		}
		return nil
	}
	return d
}
