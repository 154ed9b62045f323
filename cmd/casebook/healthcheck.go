package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

const healthcheckUsage = "healthcheck [--addr ADDR] [--timeout 5s]"

// runHealthcheck is `casebook healthcheck`: GET /readyz on a running
// server, exit 0 when it answers 200. The container image has no shell,
// curl or wget, so its HEALTHCHECK runs the binary itself. ADDR defaults
// to CASEBOOK_ADDR, then 127.0.0.1:8080; a wildcard host (0.0.0.0, ::, "")
// is asked on loopback.
func runHealthcheck(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("healthcheck")
	var addr string
	var timeout time.Duration
	fs.StringVar(&addr, "addr", "", "address of the server (default: CASEBOOK_ADDR, then 127.0.0.1:8080)")
	fs.DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if addr == "" {
		addr = os.Getenv("CASEBOOK_ADDR")
	}
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	u, err := readyzURL(addr)
	if err != nil {
		return usagef("--addr %q: %v", addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", u, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %s: %s", u, resp.Status, body)
	}
	fmt.Fprintf(stdout, "%s: %s\n", u, body)
	return nil
}

// readyzURL turns a listen address into the URL of its /readyz.
func readyzURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}
