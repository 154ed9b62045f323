package recrawl_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
)

// gate holds a site's requests once it is shut, until the request's
// context ends or the gate opens again: a crawl that stays mid-way for as
// long as a test needs.
type gate struct {
	shut    atomic.Bool
	pass    atomic.Int32 // requests still let through while shut
	blocked chan struct{}
	once    sync.Once
}

func newGate() *gate { return &gate{blocked: make(chan struct{})} }

// shutAfter lets n more requests through, then holds the rest.
func (g *gate) shutAfter(n int32) {
	g.pass.Store(n)
	g.shut.Store(true)
}

func (g *gate) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.shut.Load() && g.pass.Add(-1) < 0 {
			g.once.Do(func() { close(g.blocked) })
			<-r.Context().Done()
			return
		}
		h.ServeHTTP(w, r)
	})
}

// gatedSources serves the demo site name behind g and returns its source.
func gatedSources(t *testing.T, g *gate, names ...string) []crawler.Source {
	t.Helper()
	running, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	t.Cleanup(running.Close)
	byName := map[string]crawler.Source{}
	for _, s := range running.Sources() {
		byName[s.Name] = s
	}
	var out []crawler.Source
	for _, n := range names {
		for _, site := range demo.Sites() {
			if site.Name != n {
				continue
			}
			srv := httptest.NewServer(g.wrap(site.Handler))
			t.Cleanup(srv.Close)
			src := byName[n]
			src.StartURLs = replaceOrigin(src.StartURLs, running.URL(n), srv.URL)
			src.Sitemaps = replaceOrigin(src.Sitemaps, running.URL(n), srv.URL)
			out = append(out, src)
		}
	}
	if len(out) != len(names) {
		t.Fatalf("demo sites %v: found %d", names, len(out))
	}
	return out
}

type jobsFixture struct {
	ix      *indexer.Index
	cfg     recrawl.RunnerConfig
	gate    *gate
	logs    *syncBuffer
	history string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newJobsFixture(t *testing.T) *jobsFixture {
	t.Helper()
	dir := t.TempDir()
	ix, err := indexer.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	g := newGate()
	logs := &syncBuffer{}
	f := &jobsFixture{ix: ix, gate: g, logs: logs, history: filepath.Join(dir, "index.jobs.json")}
	f.cfg = recrawl.RunnerConfig{
		Index:   ix,
		Crawler: crawler.New(crawler.Config{AllowPrivateNetworks: true}),
		Sources: gatedSources(t, g, "icc", "oive"),
		Logger:  slog.New(slog.NewTextHandler(logs, nil)),
	}
	return f
}

func (f *jobsFixture) open(t *testing.T) *recrawl.Runner {
	t.Helper()
	r, err := recrawl.NewRunner(t.Context(), f.cfg)
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestRunnerLifecycleAndHistory(t *testing.T) {
	f := newJobsFixture(t)
	r := f.open(t)
	j, err := r.Submit(recrawl.Request{})
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if j.Status != recrawl.StatusQueued || j.ID == "" || strings.Join(j.Sources, ",") != "icc,oive" || j.Trigger != "api" {
		t.Errorf("submitted job = %+v; want queued, id, sources icc,oive, trigger api", j)
	}
	done, err := r.Wait(t.Context(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != recrawl.StatusSucceeded || done.Pages.Added == 0 || done.StartedAt == nil || done.FinishedAt == nil || len(done.Reports) != 2 {
		t.Fatalf("finished job = %+v; want succeeded with practices added, times and 2 reports", done)
	}
	n, _ := f.ix.Count(t.Context())
	if n != uint64(done.Pages.Added) {
		t.Errorf("index holds %d practices; the job says %d added", n, done.Pages.Added)
	}
	src, err := r.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var sum uint64
	for _, s := range src {
		if s.LastCrawl == nil || s.LastCrawl.JobID != j.ID || !s.LastCrawl.OK || s.Documents == 0 {
			t.Errorf("source %+v; want documents and last crawl %s", s, j.ID)
		}
		sum += s.Documents
	}
	if sum != n {
		t.Errorf("sources hold %d documents together; index %d", sum, n)
	}

	// One source, then the history survives a new Runner.
	j2, err := r.Submit(recrawl.Request{Sources: []string{"oive"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Wait(t.Context(), j2.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(f.history); err != nil {
		t.Fatalf("history file: %v", err)
	}
	r2 := f.open(t)
	jobs := r2.Jobs()
	if len(jobs) != 2 || jobs[0].ID != j2.ID || jobs[1].ID != j.ID {
		t.Fatalf("reopened history = %d jobs %v; want %s then %s", len(jobs), ids(jobs), j2.ID, j.ID)
	}
	if jobs[1].Status != recrawl.StatusSucceeded || jobs[1].Pages != done.Pages || strings.Join(jobs[0].Sources, ",") != "oive" {
		t.Errorf("reopened jobs %+v / %+v; want the same outcomes", jobs[1], jobs[0])
	}
}

func ids(js []recrawl.Job) []string {
	var out []string
	for _, j := range js {
		out = append(out, j.ID)
	}
	return out
}

func TestRunnerUnknownSource(t *testing.T) {
	f := newJobsFixture(t)
	r := f.open(t)
	_, err := r.Submit(recrawl.Request{Sources: []string{"icc", "nope"}})
	if !errors.Is(err, recrawl.ErrUnknownSource) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Submit(nope) = %v; want ErrUnknownSource naming it", err)
	}
	if len(r.Jobs()) != 0 {
		t.Errorf("a refused request left a job: %v", ids(r.Jobs()))
	}
}

// While a crawl is running a second one is refused, a scheduled one is
// skipped with a log line, and cancel stops it without removing anything.
func TestRunnerBusyAndCancel(t *testing.T) {
	f := newJobsFixture(t)
	r := f.open(t)
	first, err := r.Submit(recrawl.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Wait(t.Context(), first.ID); err != nil {
		t.Fatal(err)
	}
	before, _ := f.ix.Count(t.Context())

	f.gate.shutAfter(8)
	j, err := r.Submit(recrawl.Request{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	<-f.gate.blocked
	if got, _ := r.Job(j.ID); got.Status != recrawl.StatusRunning {
		t.Errorf("status while held = %s; want running", got.Status)
	}
	if _, err := r.Submit(recrawl.Request{Sources: []string{"icc"}}); !errors.Is(err, recrawl.ErrBusy) {
		t.Errorf("second Submit = %v; want ErrBusy", err)
	}
	r.RunScheduled(nil)
	if !strings.Contains(f.logs.String(), "scheduled crawl skipped: a crawl is running") {
		t.Errorf("log = %q; want the skipped scheduled crawl", f.logs.String())
	}
	if _, err := r.Cancel(j.ID); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	got, err := r.Wait(t.Context(), j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != recrawl.StatusCanceled || got.FinishedAt == nil || !got.Rebuild {
		t.Errorf("canceled job = %+v; want a canceled rebuild with a finish time", got)
	}
	if got.Pages.Removed != 0 {
		t.Errorf("a canceled crawl removed %d practices", got.Pages.Removed)
	}
	if after, _ := f.ix.Count(t.Context()); after != before {
		t.Errorf("index holds %d practices after the canceled crawl; %d before", after, before)
	}
	if _, err := r.Cancel(j.ID); !errors.Is(err, recrawl.ErrFinished) {
		t.Errorf("second Cancel = %v; want ErrFinished", err)
	}
	if len(r.Jobs()) != 2 {
		t.Errorf("history holds %d jobs; want 2 (the skipped scheduled run adds none)", len(r.Jobs()))
	}
}

// A job the previous process left running is recorded as failed.
func TestRunnerInterruptedJob(t *testing.T) {
	f := newJobsFixture(t)
	f.gate.shutAfter(3)
	r := f.open(t)
	j, err := r.Submit(recrawl.Request{})
	if err != nil {
		t.Fatal(err)
	}
	<-f.gate.blocked
	// Copy the history as a killed process would leave it: job running.
	b, err := os.ReadFile(f.history)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"status": "running"`)) {
		t.Fatalf("history while running = %s; want the job running", b)
	}
	r.Close()
	if err := os.WriteFile(f.history, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r2 := f.open(t)
	got, err := r2.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != recrawl.StatusFailed || !strings.Contains(got.Error, "interrupted") {
		t.Errorf("reopened job = %s %q; want failed, interrupted", got.Status, got.Error)
	}
}

func TestRunnerBadSchedule(t *testing.T) {
	f := newJobsFixture(t)
	f.cfg.SourceSchedules = map[string]string{"icc": "every day"}
	if _, err := recrawl.NewRunner(context.Background(), f.cfg); err == nil || !strings.Contains(err.Error(), "icc") {
		t.Errorf("NewRunner with a bad schedule = %v; want an error naming the source", err)
	}
}

// A full crawl of every source is a rebuild swapped in when complete; a
// schedule firing while nothing runs starts a job.
func TestRunnerRebuildAndSchedule(t *testing.T) {
	f := newJobsFixture(t)
	r := f.open(t)
	r.RunScheduled([]string{"icc"})
	jobs := r.Jobs()
	if len(jobs) != 1 || jobs[0].Trigger != "schedule" || strings.Join(jobs[0].Sources, ",") != "icc" {
		t.Fatalf("after a schedule fired: %+v; want one scheduled job of icc", jobs)
	}
	if j, _ := r.Wait(t.Context(), jobs[0].ID); j.Status != recrawl.StatusSucceeded {
		t.Fatalf("scheduled job: %s %s", j.Status, j.Error)
	}
	first, _ := r.Submit(recrawl.Request{Sources: []string{"oive"}})
	r.Wait(t.Context(), first.ID)
	before, _ := f.ix.Count(t.Context())

	j, err := r.Submit(recrawl.Request{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if !j.Rebuild || !j.Full {
		t.Errorf("full crawl of every source: rebuild %v full %v; want both", j.Rebuild, j.Full)
	}
	got, _ := r.Wait(t.Context(), j.ID)
	if got.Status != recrawl.StatusSucceeded || got.Pages.Unchanged != int(before) || got.Pages.Added+got.Pages.Removed != 0 {
		t.Errorf("rebuild: %s %q %+v; want succeeded with all %d practices unchanged", got.Status, got.Error, got.Pages, before)
	}
	if after, _ := f.ix.Count(t.Context()); after != before {
		t.Errorf("after the rebuild the index holds %d practices; want %d", after, before)
	}
	if one, _ := r.Submit(recrawl.Request{Sources: []string{"icc"}, Full: true}); one.Rebuild {
		t.Errorf("a full crawl of one source must stay in place, got a rebuild")
	}
}
