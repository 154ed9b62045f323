package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/casebook-project/casebook/crawler/recrawl"
)

// pollEvery is how often `crawl --server` asks the server about its job.
var pollEvery = time.Second

// remoteJob is a crawl job as the admin API describes it (CONTRACT §5).
// current_source and reports are read when the server sends them.
type remoteJob struct {
	ID         string                 `json:"id"`
	Status     string                 `json:"status"`
	Sources    []string               `json:"sources"`
	StartedAt  *time.Time             `json:"started_at"`
	FinishedAt *time.Time             `json:"finished_at"`
	Pages      recrawl.Counts         `json:"pages"`
	Errors     []recrawl.URLError     `json:"errors"`
	Current    string                 `json:"current_source,omitempty"`
	Reports    []recrawl.SourceReport `json:"reports,omitempty"`
	Error      string                 `json:"error,omitempty"`
}

func (j *remoteJob) done() bool {
	switch j.Status {
	case "succeeded", "failed", "canceled":
		return true
	}
	return false
}

// adminClient talks to the admin API of a running casebook serve.
type adminClient struct {
	base  string
	token string
	http  *http.Client
}

// apiError is an error answer of the API.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		return fmt.Sprintf("server refused the token (401): %s", msg)
	case http.StatusForbidden:
		switch e.Code {
		case "read_only":
			return fmt.Sprintf("the server is a read-only replica (403 read_only): %s", msg)
		case "snapshots_disabled":
			return fmt.Sprintf("snapshots are disabled on the server (403 snapshots_disabled): %s", msg)
		}
		return fmt.Sprintf("admin API disabled on the server (403): %s", msg)
	case http.StatusConflict:
		return fmt.Sprintf("a crawl is already running on the server (409): %s", msg)
	}
	return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, msg)
}

func (c *adminClient) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		e := &apiError{Status: resp.StatusCode}
		var env struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &env) == nil {
			e.Code, e.Message = env.Error.Code, env.Error.Message
		}
		return fmt.Errorf("%s %s: %w", method, path, e)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// newAdminClient checks --server and --token-env and reads the token.
// timeout bounds each request (0: only ctx does).
func newAdminClient(base, tokenEnv string, timeout time.Duration) (*adminClient, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("--server %q: give the server's base URL, e.g. http://127.0.0.1:8080", base)
	}
	if tokenEnv == "" {
		return nil, usagef("--server needs --token-env VAR, the environment variable holding the admin token")
	}
	token := os.Getenv(tokenEnv)
	if token == "" {
		return nil, fmt.Errorf("environment variable %s is empty: set it to the server's admin token", tokenEnv)
	}
	return &adminClient{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: timeout}}, nil
}

// remoteSnapshot is the answer of POST /api/v1/admin/snapshots.
type remoteSnapshot struct {
	Name      string `json:"name"`
	Dir       string `json:"dir"`
	Documents uint64 `json:"documents"`
	Bytes     int64  `json:"bytes"`
}

// runRemoteSnapshot asks the server at base to write a snapshot of the
// index it serves into its server.snapshot_dir under name
// (POST /api/v1/admin/snapshots) and prints where it went. The request
// lasts as long as the copy (no timeout but ctx: Ctrl-C gives up, and the
// server removes the unfinished copy).
func runRemoteSnapshot(ctx context.Context, base, tokenEnv, name string, stdout io.Writer) error {
	c, err := newAdminClient(base, tokenEnv, 0)
	if err != nil {
		return err
	}
	var snap remoteSnapshot
	err = c.do(ctx, http.MethodPost, "/api/v1/admin/snapshots", map[string]string{"name": name}, &snap)
	var ae *apiError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "snapshot_exists":
			return fmt.Errorf("snapshot %q exists already on the server; choose another name: %s", name, ae.Message)
		case "invalid_parameter":
			return fmt.Errorf("snapshot name %q refused by the server: %s", name, ae.Message)
		case "conflict":
			return fmt.Errorf("snapshot %q: %s", name, ae.Message)
		}
	}
	if err != nil {
		return fmt.Errorf("snapshot %q: %w", name, err)
	}
	printSnapshot(stdout, "snapshot "+snap.Name+" of "+c.base, snap.Dir, snap.Documents, snap.Bytes)
	return nil
}

// runRemoteCrawl starts a crawl through the admin API of the server at
// base (POST /api/v1/admin/crawls), follows it by polling
// GET /api/v1/admin/crawls/{id} with a progress bar on stderr, and prints
// the summary. When ctx ends (Ctrl-C) it cancels the job on the server.
func runRemoteCrawl(ctx context.Context, base, tokenEnv string, sources []string, full, asJSON bool, stdout, stderr io.Writer) error {
	c, err := newAdminClient(base, tokenEnv, 30*time.Second)
	if err != nil {
		return err
	}

	body := struct {
		Sources []string `json:"sources,omitempty"`
		Full    bool     `json:"full"`
	}{sources, full}
	var job remoteJob
	if err := c.do(ctx, http.MethodPost, "/api/v1/admin/crawls", body, &job); err != nil {
		return fmt.Errorf("start crawl: %w", err)
	}
	if job.ID == "" {
		return errors.New("start crawl: the server's answer has no job id")
	}
	fmt.Fprintf(stderr, "crawl %s started on %s\n", job.ID, c.base)

	var progress *crawlProgress
	if !asJSON {
		progress = newCrawlProgress(stderr)
	}
	label := "all sources"
	if len(sources) > 0 {
		label = strings.Join(sources, ",")
	}
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for !job.done() {
		select {
		case <-ctx.Done():
			if progress != nil {
				progress.finish()
			}
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := c.do(cctx, http.MethodDelete, "/api/v1/admin/crawls/"+url.PathEscape(job.ID), nil, nil); err != nil {
				return fmt.Errorf("interrupted; canceling crawl %s on the server failed: %w", job.ID, err)
			}
			return fmt.Errorf("interrupted: crawl %s canceled on the server", job.ID)
		case <-tick.C:
		}
		if err := c.do(ctx, http.MethodGet, "/api/v1/admin/crawls/"+url.PathEscape(job.ID), nil, &job); err != nil {
			if ctx.Err() != nil {
				continue // the select above cancels the job
			}
			return fmt.Errorf("follow crawl %s: %w", job.ID, err)
		}
		if progress != nil && job.Status == "running" {
			name := label
			if job.Current != "" {
				name = job.Current
			}
			progress.update(&recrawl.SourceReport{Source: name, Counts: job.Pages})
		}
	}
	if progress != nil {
		progress.finish()
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(job); err != nil {
			return err
		}
	} else {
		printSummary(stdout, remoteSummary(&job, label))
	}
	if job.Status != "succeeded" {
		msg := job.Error
		if msg == "" {
			msg = "see the errors above"
		}
		return fmt.Errorf("crawl %s %s on the server: %s; practices of failed sources were kept", job.ID, job.Status, msg)
	}
	return nil
}

// remoteSummary turns a finished job into what printSummary prints: the
// per-source reports when the server sent them, else one line of totals.
func remoteSummary(job *remoteJob, label string) recrawl.Summary {
	sum := recrawl.Summary{Sources: job.Reports, Total: job.Pages, OK: job.Status == "succeeded"}
	if len(sum.Sources) == 0 {
		sum.Sources = []recrawl.SourceReport{{Source: label, Counts: job.Pages, OK: sum.OK, Error: job.Error, Errors: job.Errors}}
	}
	return sum
}
