//go:build unix

package main

import (
	"bufio"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/casebook-project/casebook/indexer"
)

// SIGTERM (what Kubernetes and systemd send) stops `casebook serve`
// gracefully: searches already being answered get their answer, the
// process exits 0 and the index is closed (another process can open it
// at once).
func TestServeStopsGracefullyOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cfg, _ := demoConfig(t)
	if code, _, stderr := runCmd(t, "crawl", "--config", cfg); code != 0 {
		t.Fatalf("crawl: %s", stderr)
	}
	bin := buildCasebook(t)
	cmd := exec.Command(bin, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	base := ""
	for base == "" && lines.Scan() {
		if m := servingURL.FindStringSubmatch(lines.Text() + "\n"); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve printed no URL; stderr:\n%s", stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	if resp, err := http.Get(base + "readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/readyz before SIGTERM: %v %v", resp, err)
	}

	// Searches in flight while the signal arrives.
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered, refused := 0, 0
	started := make(chan struct{}, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 30 * time.Second}
			started <- struct{}{}
			resp, err := c.Get(base + "api/v1/search?q=integration+logement+Wohnungen&size=20")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				refused++ // sent after the listener closed
				return
			}
			defer resp.Body.Close()
			if _, err := io.ReadAll(resp.Body); err != nil || resp.StatusCode != 200 {
				t.Errorf("a search in flight at SIGTERM got %d, %v; want a whole 200 answer", resp.StatusCode, err)
				return
			}
			answered++
		}()
	}
	for range 8 {
		<-started
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v (want exit 0); stderr:\n%s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("serve still running 60 s after SIGTERM; stderr:\n%s", stderr.String())
	}
	t.Logf("%d searches answered, %d refused after the listener closed", answered, refused)
	if answered+refused != 8 {
		t.Errorf("%d answered + %d refused, want 8 in all", answered, refused)
	}
	// The index was closed: it opens at once, with its practices.
	ix, err := indexer.Open(filepath.Join(filepath.Dir(cfg), "index"))
	if err != nil {
		t.Fatalf("index after SIGTERM: %v", err)
	}
	defer ix.Close()
	if n, err := ix.Count(t.Context()); err != nil || n == 0 {
		t.Errorf("index after SIGTERM holds %d practices (%v)", n, err)
	}
}
