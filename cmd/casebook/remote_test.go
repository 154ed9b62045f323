package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAdmin imitates the admin API of CONTRACT §5 for one job that runs
// for a few polls.
type fakeAdmin struct {
	token    string
	postCode int // answer to POST other than 202, e.g. 409
	final    string
	onGet    func(n int)

	mu       sync.Mutex
	body     map[string]any
	gets     int
	canceled bool
}

func (f *fakeAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fail := func(code int, c, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, c, msg)
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		fail(http.StatusUnauthorized, "unauthorized", "missing or wrong bearer token")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/admin/crawls":
		if f.postCode != 0 {
			fail(f.postCode, "conflict", "a crawl is running")
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&f.body); err != nil {
			fail(http.StatusBadRequest, "invalid_json", err.Error())
			return
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{"id":"job1","status":"queued"}`)
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/admin/crawls/job1":
		f.gets++
		if f.onGet != nil {
			f.onGet(f.gets)
		}
		status := "running"
		switch {
		case f.canceled:
			status = "canceled"
		case f.gets >= 4:
			status = f.final
		}
		job := map[string]any{
			"id": "job1", "status": status, "sources": []string{"icc"}, "started_at": time.Now(),
			"current_source": "icc",
			"pages":          map[string]int{"fetched": 10 * f.gets, "added": 3 * f.gets, "unchanged": 7 * f.gets, "failed": 1},
			"errors":         []map[string]string{{"url": "http://icc.test/broken", "error": "HTTP 500"}},
		}
		if status == "failed" {
			job["error"] = "robots.txt unreachable"
		}
		json.NewEncoder(w).Encode(job)
	case r.Method == http.MethodDelete && r.URL.Path == "/api/v1/admin/crawls/job1":
		f.canceled = true
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{"id":"job1","status":"canceled"}`)
	default:
		fail(http.StatusNotFound, "not_found", r.Method+" "+r.URL.Path)
	}
}

func TestCrawlServer(t *testing.T) {
	old := pollEvery
	pollEvery = time.Millisecond
	t.Cleanup(func() { pollEvery = old })

	tests := []struct {
		name     string
		admin    *fakeAdmin
		env      string // the token in CASEBOOK_TEST_TOKEN
		args     []string
		wantCode int
		wantOut  []string // in stdout
		wantErr  []string // in stderr
		wantBody string   // the POST body, as JSON
	}{
		{
			name: "succeeds", admin: &fakeAdmin{token: "s3cret", final: "succeeded"}, env: "s3cret",
			args: []string{"--source", "icc", "--full"}, wantCode: 0,
			wantOut:  []string{"icc", "40", "12", "28", "http://icc.test/broken"},
			wantErr:  []string{"crawl job1 started"},
			wantBody: `{"full":true,"sources":["icc"]}`,
		},
		{
			name: "job fails", admin: &fakeAdmin{token: "s3cret", final: "failed"}, env: "s3cret", wantCode: 1,
			wantOut:  []string{"FAILED", "robots.txt unreachable"},
			wantErr:  []string{"crawl job1 failed on the server"},
			wantBody: `{"full":false}`,
		},
		{
			name: "crawl already running", admin: &fakeAdmin{token: "s3cret", postCode: http.StatusConflict}, env: "s3cret",
			wantCode: 1, wantErr: []string{"already running on the server (409)"},
		},
		{
			name: "wrong token", admin: &fakeAdmin{token: "s3cret"}, env: "guess",
			wantCode: 1, wantErr: []string{"refused the token (401)"},
		},
		{
			name: "token variable empty", admin: &fakeAdmin{token: "s3cret"}, env: "",
			wantCode: 1, wantErr: []string{"CASEBOOK_TEST_TOKEN is empty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.admin)
			defer srv.Close()
			t.Setenv("CASEBOOK_TEST_TOKEN", tt.env)
			args := append([]string{"crawl", "--server", srv.URL, "--token-env", "CASEBOOK_TEST_TOKEN"}, tt.args...)
			code, stdout, stderr := runCmd(t, args...)
			if code != tt.wantCode {
				t.Errorf("exit %d; want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tt.wantBody != "" {
				tt.admin.mu.Lock()
				got, _ := json.Marshal(tt.admin.body)
				tt.admin.mu.Unlock()
				if string(got) != tt.wantBody {
					t.Errorf("POST body %s; want %s", got, tt.wantBody)
				}
			}
		})
	}
}

func TestCrawlServerJSON(t *testing.T) {
	old := pollEvery
	pollEvery = time.Millisecond
	t.Cleanup(func() { pollEvery = old })
	admin := &fakeAdmin{token: "tok", final: "succeeded"}
	srv := httptest.NewServer(admin)
	defer srv.Close()
	t.Setenv("CASEBOOK_TEST_TOKEN", "tok")
	code, stdout, stderr := runCmd(t, "crawl", "--server", srv.URL, "--token-env", "CASEBOOK_TEST_TOKEN", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var job remoteJob
	if err := json.Unmarshal([]byte(stdout), &job); err != nil {
		t.Fatalf("stdout is not a job: %v\n%s", err, stdout)
	}
	if job.ID != "job1" || job.Status != "succeeded" || job.Pages.Fetched != 40 || len(job.Errors) != 1 {
		t.Errorf("job %+v; want job1 succeeded with 40 pages fetched and 1 error", job)
	}
}

// Ctrl-C while following the job cancels it on the server.
func TestCrawlServerInterruptCancelsJob(t *testing.T) {
	old := pollEvery
	pollEvery = time.Millisecond
	t.Cleanup(func() { pollEvery = old })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	admin := &fakeAdmin{token: "tok", final: "succeeded", onGet: func(n int) {
		if n == 2 {
			cancel()
		}
	}}
	srv := httptest.NewServer(admin)
	defer srv.Close()
	t.Setenv("CASEBOOK_TEST_TOKEN", "tok")
	var out, errb bytes.Buffer
	code := run(ctx, []string{"crawl", "--server", srv.URL, "--token-env", "CASEBOOK_TEST_TOKEN"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "crawl job1 canceled on the server") {
		t.Errorf("exit %d, stderr %q; want 1 and the job canceled", code, errb.String())
	}
	admin.mu.Lock()
	defer admin.mu.Unlock()
	if !admin.canceled {
		t.Error("the server got no DELETE for the job")
	}
}

func TestCrawlServerUsage(t *testing.T) {
	code, _, stderr := runCmd(t, "crawl", "--server", "http://127.0.0.1:1")
	if code != 2 || !strings.Contains(stderr, "--token-env") {
		t.Errorf("exit %d, stderr %q; want usage error naming --token-env", code, stderr)
	}
	code, _, stderr = runCmd(t, "crawl", "--server", "127.0.0.1:8080", "--token-env", "X")
	if code != 2 || !strings.Contains(stderr, "base URL") {
		t.Errorf("exit %d, stderr %q; want usage error asking for a base URL", code, stderr)
	}
}
