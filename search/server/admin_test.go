package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

const adminToken = "s3cret-admin-token"

type admFixture struct {
	url       string // of the casebook server
	jobs      *recrawl.Runner
	ix        *indexer.Index
	gate      *searchtest.Gate
	snapshots string // Config.SnapshotDir
}

// newAdmFixture serves casebook over an empty index with the demo sites
// icc and oive (behind a gate) as sources, and snapshots enabled.
func newAdmFixture(t *testing.T, token string, origins ...string) *admFixture {
	t.Helper()
	return newAdmFixtureSnapshots(t, filepath.Join(t.TempDir(), "snapshots"), token, origins...)
}

// newAdmFixtureSnapshots is newAdmFixture with snapshots written to
// snapshotDir ("" = disabled).
func newAdmFixtureSnapshots(t *testing.T, snapshotDir, token string, origins ...string) *admFixture {
	t.Helper()
	running, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	t.Cleanup(running.Close)
	g := searchtest.NewGate()
	byName := map[string]crawler.Source{}
	for _, s := range running.Sources() {
		byName[s.Name] = s
	}
	var sources []crawler.Source
	for _, site := range demo.Sites() {
		if site.Name != "icc" && site.Name != "oive" {
			continue
		}
		srv := httptest.NewServer(g.Wrap(site.Handler))
		t.Cleanup(srv.Close)
		src := byName[site.Name]
		old := running.URL(site.Name)
		for i, u := range src.StartURLs {
			src.StartURLs[i] = strings.Replace(u, old, srv.URL, 1)
		}
		for i, u := range src.Sitemaps {
			src.Sitemaps[i] = strings.Replace(u, old, srv.URL, 1)
		}
		sources = append(sources, src)
	}
	ix, err := indexer.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	jobs, err := recrawl.NewRunner(t.Context(), recrawl.RunnerConfig{
		Index: ix, Crawler: crawler.New(crawler.Config{AllowPrivateNetworks: true}), Sources: sources, Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jobs.Close() })
	s, err := server.New(server.Config{Engine: search.New(ix), Index: ix, Logger: quiet, AdminToken: token, Jobs: jobs, AllowedOrigins: origins,
		SnapshotDir: snapshotDir})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return &admFixture{url: hs.URL, jobs: jobs, ix: ix, gate: g, snapshots: snapshotDir}
}

// do sends a request; headers are name, value pairs.
func (f *admFixture) do(t *testing.T, method, path, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	_, res, b := send(t, method, f.url+path, body, headers...)
	return res, b
}

// send sends a request with body (none when empty) and headers (name,
// value pairs) and returns it, the answer and the answer's body, read.
func send(t *testing.T, method, url, body string, headers ...string) (*http.Request, *http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return req, res, b
}

func (f *admFixture) admin(t *testing.T, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	return f.do(t, method, path, body, "Authorization", "Bearer "+adminToken)
}

func jsonOf[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

func TestAdminAuth(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	cases := []struct {
		name      string
		path      string
		headers   []string
		want      int
		challenge bool // WWW-Authenticate: Bearer expected
	}{
		{"no token", "/api/v1/admin/crawls", nil, 401, true},
		{"wrong token", "/api/v1/admin/crawls", []string{"Authorization", "Bearer s3cret-admin-tokeX"}, 401, true},
		{"shorter token", "/api/v1/admin/crawls", []string{"Authorization", "Bearer s3cret"}, 401, true},
		{"basic scheme", "/api/v1/admin/crawls", []string{"Authorization", "Basic " + adminToken}, 401, true},
		{"token in the query", "/api/v1/admin/crawls?token=" + adminToken, nil, 401, true},
		{"token in the query and header", "/api/v1/admin/sources?access_token=" + adminToken, []string{"Authorization", "Bearer " + adminToken}, 401, true},
		{"right token", "/api/v1/admin/crawls", []string{"Authorization", "Bearer " + adminToken}, 200, false},
		{"scheme in lower case", "/api/v1/admin/sources", []string{"Authorization", "bearer " + adminToken}, 200, false},
		{"unknown crawl", "/api/v1/admin/crawls/nope", []string{"Authorization", "Bearer " + adminToken}, 404, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(t, http.MethodGet, tc.path, "", tc.headers...)
			if res.StatusCode != tc.want {
				t.Fatalf("status = %d (%s); want %d", res.StatusCode, body, tc.want)
			}
			if got := res.Header.Get("WWW-Authenticate"); strings.HasPrefix(got, "Bearer") != tc.challenge {
				t.Errorf("WWW-Authenticate = %q; want a Bearer challenge: %v", got, tc.challenge)
			}
			if tc.want >= 400 {
				if e := jsonOf[errorBody](t, body); e.Error.Code == "" || e.Error.Message == "" {
					t.Errorf("error body %s; want code and message", body)
				}
			}
		})
	}
}

func TestAdminDisabled(t *testing.T) {
	f := newAdmFixture(t, "")
	res, body := f.do(t, http.MethodPost, "/api/v1/admin/crawls", "{}", "Authorization", "Bearer anything")
	e := jsonOf[errorBody](t, body)
	if res.StatusCode != 403 || e.Error.Code != "admin_disabled" || !strings.Contains(e.Error.Message, "admin_token_env") {
		t.Errorf("admin without token: %d %s; want 403 telling to set admin_token_env", res.StatusCode, body)
	}
	if len(f.jobs.Jobs()) != 0 {
		t.Errorf("disabled admin started a job")
	}
}

func TestAdminBadTokenLimit(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	for i := range server.MaxBadTokens {
		if res, _ := f.do(t, http.MethodGet, "/api/v1/admin/crawls", "", "Authorization", "Bearer guess"+strconv.Itoa(i)); res.StatusCode != 401 {
			t.Fatalf("guess %d: status %d; want 401", i, res.StatusCode)
		}
	}
	for _, tok := range []string{"one-more-guess", adminToken} {
		res, body := f.do(t, http.MethodGet, "/api/v1/admin/crawls", "", "Authorization", "Bearer "+tok)
		secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
		if res.StatusCode != 429 || err != nil || secs < 1 || secs > 60 {
			t.Errorf("after %d wrong tokens, %q: %d Retry-After %q %s; want 429 with Retry-After 1..60",
				server.MaxBadTokens, tok, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	}
	// Searches are not affected.
	if res, _ := f.do(t, http.MethodGet, "/api/v1/search?q=x", ""); res.StatusCode != 200 {
		t.Errorf("search after the admin limit: %d", res.StatusCode)
	}
}

func TestAdminBadRequests(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	big := `{"sources": ["` + strings.Repeat("a", server.MaxAdminBody) + `"]}`
	cases := []struct {
		name, body string
		want       int
		code       string
	}{
		{"body over 1 MiB", big, 413, "too_large"},
		{"not JSON", "{sources: icc}", 400, "invalid_body"},
		{"wrong type", `{"sources": "icc"}`, 400, "invalid_body"},
		{"unknown field", `{"source": ["icc"]}`, 400, "invalid_body"},
		{"unknown source", `{"sources": ["icc", "nowhere"]}`, 400, "invalid_parameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.admin(t, http.MethodPost, "/api/v1/admin/crawls", tc.body)
			e := jsonOf[errorBody](t, body)
			if res.StatusCode != tc.want || e.Error.Code != tc.code {
				t.Errorf("status %d code %q (%.200s); want %d %q", res.StatusCode, e.Error.Code, body, tc.want, tc.code)
			}
		})
	}
	if n := len(f.jobs.Jobs()); n != 0 {
		t.Errorf("bad requests started %d jobs", n)
	}
}

func TestAdminNoCORS(t *testing.T) {
	f := newAdmFixture(t, adminToken, "*")
	res, _ := f.do(t, http.MethodGet, "/api/v1/admin/sources", "", "Authorization", "Bearer "+adminToken, "Origin", "https://evil.example")
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("admin GET with Origin: %d, Access-Control-Allow-Origin %q; want 200 and none", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	res, _ = f.do(t, http.MethodOptions, "/api/v1/admin/crawls", "", "Origin", "https://evil.example",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization")
	if res.Header.Get("Access-Control-Allow-Origin") != "" || res.Header.Get("Access-Control-Allow-Headers") != "" {
		t.Errorf("admin preflight answered CORS: %v", res.Header)
	}
	res, _ = f.do(t, http.MethodGet, "/api/v1/search?q=x", "", "Origin", "https://city.example")
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("public API lost CORS: %v", res.Header)
	}
}

type jobJSON struct {
	ID         string
	Status     string
	Sources    []string
	StartedAt  *string `json:"started_at"`
	FinishedAt *string `json:"finished_at"`
	Pages      map[string]int
	Errors     []struct{ URL, Error string }
}

type sseEvent struct {
	name string
	job  jobJSON
}

// readEvents reads the event stream of a job until it ends. It may run
// on another goroutine than the test's, so it returns its error.
func readEvents(ctx context.Context, f *admFixture, id string, each func(sseEvent)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url+"/api/v1/admin/crawls/"+id+"/events", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return fmt.Errorf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.job); err != nil {
				return fmt.Errorf("event data %q: %w", line, err)
			}
		case line == "" && ev.name != "":
			each(ev)
			ev = sseEvent{}
		}
	}
	return sc.Err()
}

// A crawl through the API: 202 queued, live events up to "done", the
// finished job, the history and the sources with their documents.
func TestAdminCrawlLifecycle(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	res, body := f.admin(t, http.MethodPost, "/api/v1/admin/crawls", "")
	job := jsonOf[jobJSON](t, body)
	if res.StatusCode != 202 || job.Status != "queued" || job.ID == "" || res.Header.Get("Location") != "/api/v1/admin/crawls/"+job.ID {
		t.Fatalf("POST crawls: %d %s (Location %q); want 202 queued", res.StatusCode, body, res.Header.Get("Location"))
	}
	var events []sseEvent
	if err := readEvents(t.Context(), f, job.ID, func(e sseEvent) { events = append(events, e) }); err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || events[len(events)-1].name != "done" || events[len(events)-1].job.Status != "succeeded" {
		t.Fatalf("events %+v; want a last done event with status succeeded", events)
	}
	res, body = f.admin(t, http.MethodGet, "/api/v1/admin/crawls/"+job.ID, "")
	got := jsonOf[jobJSON](t, body)
	if res.StatusCode != 200 || got.Status != "succeeded" || got.Pages["added"] == 0 || got.Pages["fetched"] == 0 ||
		got.StartedAt == nil || got.FinishedAt == nil || strings.Join(got.Sources, ",") != "icc,oive" || got.Errors == nil {
		t.Errorf("GET crawl: %d %s; want succeeded with pages, times, sources and an errors list", res.StatusCode, body)
	}
	_, body = f.admin(t, http.MethodGet, "/api/v1/admin/crawls", "")
	list := jsonOf[struct{ Crawls []jobJSON }](t, body)
	if len(list.Crawls) != 1 || list.Crawls[0].ID != job.ID {
		t.Errorf("GET crawls = %s; want the one job", body)
	}
	_, body = f.admin(t, http.MethodGet, "/api/v1/admin/sources", "")
	src := jsonOf[struct {
		Sources []struct {
			Name      string
			Documents int
			LastCrawl *struct {
				JobID  string `json:"job_id"`
				Status string
			} `json:"last_crawl"`
		}
	}](t, body)
	total := 0
	for _, s := range src.Sources {
		total += s.Documents
		if s.Documents == 0 || s.LastCrawl == nil || s.LastCrawl.JobID != job.ID || s.LastCrawl.Status != "succeeded" {
			t.Errorf("source %s: %d documents, last crawl %+v; want documents and the job", s.Name, s.Documents, s.LastCrawl)
		}
	}
	if len(src.Sources) != 2 || total != got.Pages["added"] {
		t.Errorf("sources = %s; want 2 holding the %d added practices", body, got.Pages["added"])
	}
	// One source only.
	res, body = f.admin(t, http.MethodPost, "/api/v1/admin/crawls", `{"sources": ["oive"], "full": true}`)
	one := jsonOf[jobJSON](t, body)
	if res.StatusCode != 202 || strings.Join(one.Sources, ",") != "oive" {
		t.Errorf("POST oive: %d %s", res.StatusCode, body)
	}
	if j, _ := f.jobs.Wait(t.Context(), one.ID); j.Status != recrawl.StatusSucceeded || j.Pages.Fetched == 0 || j.Pages.Added != 0 {
		t.Errorf("full crawl of oive: %s %+v; want succeeded, pages fetched, none added", j.Status, j.Pages)
	}
}

// While a crawl is held mid-way: its events show counters moving,
// searches are answered with results, a second crawl gets 409, and
// DELETE cancels it without removing any practice.
func TestAdminCrawlWhileServing(t *testing.T) {
	f := newAdmFixture(t, adminToken)
	res, body := f.admin(t, http.MethodPost, "/api/v1/admin/crawls", "{}")
	first := jsonOf[jobJSON](t, body)
	if _, err := f.jobs.Wait(t.Context(), first.ID); err != nil || res.StatusCode != 202 {
		t.Fatalf("first crawl: %d %v", res.StatusCode, err)
	}
	before := searchTotal(t, f)
	if before == 0 {
		t.Fatal("nothing searchable after the first crawl")
	}

	f.gate.ShutAfter(12)
	res, body = f.admin(t, http.MethodPost, "/api/v1/admin/crawls", `{"full": true}`)
	job := jsonOf[jobJSON](t, body)
	if res.StatusCode != 202 {
		t.Fatalf("second crawl: %d %s", res.StatusCode, body)
	}
	<-f.gate.Blocked()

	if n := searchTotal(t, f); n != before {
		t.Errorf("search during the crawl: %d practices; want %d", n, before)
	}
	res, body = f.admin(t, http.MethodPost, "/api/v1/admin/crawls", `{"sources": ["icc"]}`)
	if e := jsonOf[errorBody](t, body); res.StatusCode != 409 || e.Error.Code != "conflict" {
		t.Errorf("crawl while one runs: %d %s; want 409 conflict", res.StatusCode, body)
	}

	var mu sync.Mutex
	var events []sseEvent
	streamDone := make(chan struct{})
	sawProgress := make(chan struct{})
	var once sync.Once
	var streamErr error
	go func() {
		defer close(streamDone)
		streamErr = readEvents(t.Context(), f, job.ID, func(e sseEvent) {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
			if e.job.Status == "running" && e.job.Pages["fetched"] > 0 {
				once.Do(func() { close(sawProgress) })
			}
		})
	}()
	select {
	case <-sawProgress:
	case <-streamDone:
		t.Fatalf("event stream ended before showing progress: %v", streamErr)
	}

	res, body = f.admin(t, http.MethodDelete, "/api/v1/admin/crawls/"+job.ID, "")
	if res.StatusCode != 202 {
		t.Errorf("DELETE crawl: %d %s; want 202", res.StatusCode, body)
	}
	<-streamDone
	if streamErr != nil || len(events) == 0 {
		t.Fatalf("event stream: %v, %d events", streamErr, len(events))
	}
	mu.Lock()
	last := events[len(events)-1]
	mu.Unlock()
	if last.name != "done" || last.job.Status != "canceled" || last.job.Pages["removed"] != 0 {
		t.Errorf("last event %s %+v; want done, canceled, nothing removed", last.name, last.job)
	}
	if n := searchTotal(t, f); n != before {
		t.Errorf("search after the canceled crawl: %d practices; want %d", n, before)
	}
	res, body = f.admin(t, http.MethodDelete, "/api/v1/admin/crawls/"+job.ID, "")
	if res.StatusCode != 409 {
		t.Errorf("DELETE a finished crawl: %d %s; want 409", res.StatusCode, body)
	}
}

func searchTotal(t *testing.T, f *admFixture) int {
	t.Helper()
	res, body := f.do(t, http.MethodGet, "/api/v1/search?size=1", "")
	if res.StatusCode != 200 {
		t.Fatalf("search: %d %s", res.StatusCode, body)
	}
	r := jsonOf[struct {
		Total int
		Hits  []json.RawMessage
	}](t, body)
	if r.Total > 0 && len(r.Hits) != 1 {
		t.Errorf("search: total %d but %d hits", r.Total, len(r.Hits))
	}
	return r.Total
}
