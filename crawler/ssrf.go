package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// Resolver looks up the addresses of a host name. *net.Resolver satisfies
// it; tests inject one that maps their own names.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// dialer opens every connection of the crawler. It resolves names itself
// (through Config.Resolver) and dials the addresses one by one; unless
// private networks are allowed, the Control hook of the underlying
// net.Dialer refuses non-public addresses on the address actually dialed,
// so redirects and DNS rebinding are covered, and so are numeric host
// forms the resolver might accept.
type dialer struct {
	d            net.Dialer
	resolver     Resolver
	allowPrivate bool
	guard        *ssrf.Guardian

	mu      sync.Mutex
	allowed map[netip.AddrPort]bool // exceptions to the guard (tests only)
	onDial  func(network, address string)
}

func newDialer(allowPrivate bool, r Resolver) *dialer {
	if r == nil {
		r = net.DefaultResolver
	}
	d := &dialer{
		d:            net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second},
		resolver:     r,
		allowPrivate: allowPrivate,
		guard:        ssrf.New(ssrf.WithAnyPort()),
	}
	d.d.Control = d.control
	return d
}

// control runs after resolution, before connect, for every address dialed.
func (d *dialer) control(network, address string, c syscall.RawConn) error {
	d.mu.Lock()
	onDial, allowed := d.onDial, d.allowed
	d.mu.Unlock()
	if onDial != nil {
		onDial(network, address)
	}
	if d.allowPrivate {
		return nil
	}
	if ap, err := netip.ParseAddrPort(address); err == nil && allowed[ap] {
		return nil
	}
	if err := d.guard.Safe(network, address, c); err != nil {
		return fmt.Errorf("%w: %v", ErrPrivateAddress, err)
	}
	return nil
}

// DialContext resolves address's host and dials its addresses in turn,
// returning the first connection or the first error.
func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return d.d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
	}
	addrs, err := d.resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("dial %s: no addresses for %s", address, host)
	}
	var first error
	for _, a := range addrs {
		c, err := d.d.DialContext(ctx, network, net.JoinHostPort(a.IP.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if errors.Is(err, ErrPrivateAddress) {
			// One refused address is enough to refuse the host: a name
			// mixing public and private addresses is not crawled.
			break
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// allow exempts exactly the listed ip:port pairs from the guard (tests).
func (d *dialer) allow(addrs ...netip.AddrPort) {
	d.mu.Lock()
	defer d.mu.Unlock()
	m := map[netip.AddrPort]bool{} // copied: control reads the old map unlocked
	for a := range d.allowed {
		m[a] = true
	}
	for _, a := range addrs {
		m[a] = true
	}
	d.allowed = m
}
