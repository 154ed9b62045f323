package crawler

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// sessionParams are query parameters that name a visitor's session or
// campaign, never the page; they are dropped by NormalizeURL.
var sessionParams = map[string]bool{
	"jsessionid": true, "phpsessid": true, "sid": true, "sessionid": true,
	"session_id": true, "aspsessionid": true, "cfid": true, "cftoken": true,
	"gclid": true, "fbclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"_ga": true, "yclid": true, "dclid": true,
}

// NormalizeURL returns the form of an absolute http(s) URL under which the
// crawler knows a page: scheme and host lowercased (IDN hosts in punycode),
// default ports dropped, the fragment dropped, ";jsessionid=" path
// parameters and utm_*/session query parameters dropped, the remaining query
// sorted, dot segments removed and percent-encoding normalised (unreserved
// characters decoded, hex in upper case). An empty path becomes "/".
//
// The error wraps ErrScheme for a non-http(s) URL.
func NormalizeURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("normalize %q: %w", raw, err)
	}
	return normalize(u)
}

func normalize(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("normalize %q: %w", u.Redacted(), ErrScheme)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("normalize %q: opaque URL", u.Redacted())
	}
	host, err := normalHost(u.Host, scheme)
	if err != nil {
		return "", fmt.Errorf("normalize %q: %w", u.Redacted(), err)
	}
	path := u.EscapedPath()
	path = dropPathSession(path)
	path = normPercent(path, pathAllowed)
	path = removeDotSegments(path)
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(path)
	if q := normQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

func normalHost(hostport, scheme string) (string, error) {
	if hostport == "" {
		return "", fmt.Errorf("no host")
	}
	host, port := hostport, ""
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(hostport, "[") && strings.HasSuffix(hostport, "]") {
		host = hostport[1 : len(hostport)-1]
	}
	host = strings.TrimRight(strings.ToLower(host), ".")
	if host == "" || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return "", fmt.Errorf("bad host %q", host)
	}
	if endsInNumber(host) {
		// WHATWG URL: "2130706433", "0x7f.1", "127.1" are IPv4 addresses
		// (what browsers and many resolvers make of them), written in
		// dotted form so that every check sees the address.
		ip, ok := parseIPv4(host)
		if !ok {
			return "", fmt.Errorf("bad IPv4 host %q", host)
		}
		host = ip
	} else if strings.Contains(host, ":") { // IPv6 literal
		if ip, err := netip.ParseAddr(host); err == nil && ip.Zone() == "" {
			host = "[" + ip.String() + "]" // an IPv4-mapped address keeps its ::ffff: form
		} else {
			return "", fmt.Errorf("bad IPv6 host %q", host)
		}
	} else if a, err := idna.Lookup.ToASCII(host); err == nil {
		host = a
	} else if strings.ContainsAny(host, " /\\@?#%") {
		return "", fmt.Errorf("bad host %q", host)
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}

// endsInNumber is the WHATWG URL "ends in a number" check: the last label
// is all digits or a 0x hex number.
func endsInNumber(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" || strings.Contains(host, ":") {
		return false
	}
	if strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := ipv4Number(last)
	return ok && (strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X"))
}

// parseIPv4 is the WHATWG URL IPv4 parser: one to four numbers (decimal,
// 0x hex or 0-prefixed octal), the last filling the remaining bytes.
func parseIPv4(host string) (string, bool) {
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return "", false
	}
	var v uint64
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return "", false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return "", false
			}
			v = v<<8 | n
			continue
		}
		rest := uint(8 * (5 - len(parts)))
		if n >= 1<<rest {
			return "", false
		}
		v = v<<rest | n
	}
	return fmt.Sprintf("%d.%d.%d.%d", byte(v>>24), byte(v>>16), byte(v>>8), byte(v)), true
}

func ipv4Number(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
		p, base = p[2:], 16
		if p == "" {
			return 0, true
		}
	case len(p) >= 2 && p[0] == '0':
		p, base = p[1:], 8
	}
	if len(p) > 12 {
		return 0, false
	}
	n, err := strconv.ParseUint(p, base, 64)
	return n, err == nil
}

// dropPathSession removes ";jsessionid=..." style parameters from a path.
func dropPathSession(p string) string {
	low := asciiLower(p)
	for _, key := range []string{";jsessionid=", ";phpsessid=", ";sid="} {
		for {
			i := strings.Index(low, key)
			if i < 0 {
				break
			}
			j := i + 1
			for j < len(p) && p[j] != '/' && p[j] != ';' {
				j++
			}
			p, low = p[:i]+p[j:], low[:i]+low[j:]
		}
	}
	return p
}

func normQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var kept []string
	for _, pair := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' }) {
		key := pair
		if i := strings.IndexByte(pair, '='); i >= 0 {
			key = pair[:i]
		}
		k, err := url.QueryUnescape(key)
		if err != nil {
			k = key
		}
		k = strings.ToLower(k)
		if strings.HasPrefix(k, "utm_") || sessionParams[k] || strings.HasPrefix(k, "aspsessionid") {
			continue
		}
		kept = append(kept, normPercent(pair, queryAllowed))
	}
	sort.Strings(kept)
	return strings.Join(kept, "&")
}

const hexUpper = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func pathAllowed(c byte) bool {
	return unreserved(c) || strings.IndexByte("!$&'()*+,;=:@/", c) >= 0
}

func queryAllowed(c byte) bool {
	return pathAllowed(c) || c == '?'
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// normPercent decodes percent-encoded unreserved characters, upper-cases
// the hex of the others and encodes bytes not allowed in the component.
func normPercent(s string, allowed func(byte) bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				v := hi<<4 | lo
				if unreserved(v) {
					b.WriteByte(v)
				} else {
					b.WriteByte('%')
					b.WriteByte(hexUpper[v>>4])
					b.WriteByte(hexUpper[v&15])
				}
				i += 2
				continue
			}
		}
		if c != '%' && allowed(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

// removeDotSegments implements RFC 3986 §5.2.4 on an escaped path.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	var out []string
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// asciiLower lowercases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
