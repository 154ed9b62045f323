package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

// runDemo starts the bundled member sites on loopback, crawls them into an
// index and serves search over it until ctx ends: the same crawl → index →
// search path a real deployment runs.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo")
	var addr, data string
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address of the search service")
	fs.StringVar(&data, "data", "", "directory for the index (default: a temporary directory, removed on exit)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if v := os.Getenv("CASEBOOK_ADDR"); v != "" && addr == "127.0.0.1:8080" {
		addr = v
	}
	if data == "" {
		dir, err := os.MkdirTemp("", "casebook-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		data = dir
	}
	log := newLogger(stderr, slog.LevelWarn)

	// Listen first: a busy port should fail before any work is done.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w (choose another address with --addr)", err)
	}
	defer ln.Close()

	sites, err := demo.Start(ctx)
	if err != nil {
		return fmt.Errorf("start demo sites: %w", err)
	}
	defer sites.Close()

	indexDir := filepath.Join(data, "index")
	ix, err := openIndex(indexDir, "demo")
	if err != nil {
		return err
	}
	defer ix.Close()

	fmt.Fprintf(stdout, "crawling %d demo member sites on loopback…\n", len(sites.Sources()))
	start := time.Now()
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true, Logger: log})
	// The first crawl is a job like those started from the admin page, so
	// the page shows it in the history and as each source's last crawl.
	jobs, err := recrawl.NewRunner(ctx, recrawl.RunnerConfig{Index: ix, Crawler: c, Sources: sites.Sources(), Logger: log})
	if err != nil {
		return fmt.Errorf("crawl jobs: %w", err)
	}
	defer jobs.Close()
	job, err := jobs.Submit(recrawl.Request{Trigger: "demo"})
	if err != nil {
		return fmt.Errorf("demo crawl: %w", err)
	}
	if job, err = jobs.Wait(ctx, job.ID); err != nil {
		return fmt.Errorf("demo crawl: %w", err)
	}
	printSummary(stdout, recrawl.Summary{Sources: job.Reports, Total: job.Pages, OK: job.Status == recrawl.StatusSucceeded})
	if job.Status != recrawl.StatusSucceeded {
		return fmt.Errorf("demo crawl %s: %s", job.Status, job.Error)
	}
	n, _ := ix.Count(ctx)
	fmt.Fprintf(stdout, "indexed %d practices in %.1fs\n", n, time.Since(start).Seconds())

	token := os.Getenv("CASEBOOK_ADMIN_TOKEN")
	if token == "" {
		token = randomToken()
	}
	srv, err := server.New(server.Config{
		Engine:         search.New(ix),
		Index:          ix,
		AllowedOrigins: []string{"*"},
		Logger:         newLogger(stderr, slog.LevelInfo),
		Version:        versionString(),
		AdminToken:     token,
		Jobs:           jobs,
	})
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "\ncasebook demo is ready: %s\n", url)
	fmt.Fprintf(stdout, "  API:         %sapi/v1/search?q=housing\n", url)
	fmt.Fprintf(stdout, "  admin:       %sadmin\n", url)
	fmt.Fprintf(stdout, "  admin token: %s\n", token)
	for _, s := range sites.Sources() {
		fmt.Fprintf(stdout, "  member site: %-12s %s\n", s.Name, sites.URL(s.Name))
	}
	fmt.Fprintln(stdout, "press Ctrl+C to stop")
	return srv.Serve(ctx, ln)
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}
