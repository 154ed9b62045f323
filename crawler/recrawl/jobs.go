package recrawl

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/robfig/cron/v3"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/indexer"
)

// Status is where a job is in its life: queued → running → succeeded,
// failed or canceled.
type Status string

// The job statuses of CONTRACT §5.
const (
	StatusQueued    Status = "queued"
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusCanceled  Status = "canceled"
)

// Done reports whether the status is final.
func (s Status) Done() bool {
	return s == StatusSucceeded || s == StatusFailed || s == StatusCanceled
}

// Job is one recrawl run started through the admin API or a schedule. Its
// JSON is the job shape of CONTRACT §5 plus a few extra fields.
type Job struct {
	ID          string         `json:"id"`
	Status      Status         `json:"status"`
	Sources     []string       `json:"sources"`
	Full        bool           `json:"full"`
	Rebuild     bool           `json:"rebuild"` // full crawl of every source, built beside the index and swapped in
	Trigger     string         `json:"trigger"` // "api", "schedule" or what the caller named
	CreatedAt   time.Time      `json:"created_at"`
	StartedAt   *time.Time     `json:"started_at"`
	FinishedAt  *time.Time     `json:"finished_at"`
	Current     string         `json:"current_source,omitempty"` // the source being crawled
	SourcesDone int            `json:"sources_done"`             // sources finished so far
	Pages       Counts         `json:"pages"`
	Errors      []URLError     `json:"errors"`
	Reports     []SourceReport `json:"reports"` // one per finished source
	Error       string         `json:"error,omitempty"`
}

// clone returns a deep copy safe to hand out.
func (j *Job) clone() Job {
	c := *j
	c.Sources = slices.Clone(j.Sources)
	c.Errors = slices.Clone(j.Errors)
	if c.Errors == nil {
		c.Errors = []URLError{}
	}
	c.Reports = make([]SourceReport, len(j.Reports))
	for i, r := range j.Reports {
		r.Errors = slices.Clone(r.Errors)
		c.Reports[i] = r
	}
	if j.StartedAt != nil {
		t := *j.StartedAt
		c.StartedAt = &t
	}
	if j.FinishedAt != nil {
		t := *j.FinishedAt
		c.FinishedAt = &t
	}
	return c
}

// Request asks for a job. Empty Sources means every configured source;
// Full with empty Sources is a rebuild (RunnerConfig.Rebuild).
type Request struct {
	Sources []string
	Full    bool
	Trigger string // who asked: "api" (the default), "schedule", …
}

// Errors of the Runner.
var (
	ErrBusy          = errors.New("recrawl: a crawl is already running")
	ErrUnknownSource = errors.New("recrawl: unknown source")
	ErrNoJob         = errors.New("recrawl: no such job")
	ErrFinished      = errors.New("recrawl: job already finished")
	ErrClosed        = errors.New("recrawl: runner closed")
)

// RunFunc runs a crawl of sources into ix; Run is the default. A full
// rebuild of every source may be plugged in here.
type RunFunc func(ctx context.Context, c *crawler.Crawler, ix *indexer.Index, sources []crawler.Source, opts Options) (Summary, error)

// RunnerConfig configures a Runner. Index, Crawler and Sources are required.
type RunnerConfig struct {
	Index           *indexer.Index
	Crawler         *crawler.Crawler
	Sources         []crawler.Source
	Schedule        string            // cron spec for a crawl of every source; "" = none
	SourceSchedules map[string]string // source name → cron spec for a crawl of that source
	HistoryFile     string            // "" = HistoryPath(Index.Dir())
	HistoryLimit    int               // jobs kept; 0 = 50
	Run             RunFunc           // nil = Run
	Rebuild         RunFunc           // a full crawl of every source; nil = RunRebuild (built beside the index, swapped in when complete)
	Logger          *slog.Logger      // nil = slog.Default()
}

// HistoryPath is the default job history file of an index: a small JSON
// file beside the index directory.
func HistoryPath(indexDir string) string {
	return filepath.Clean(indexDir) + ".jobs.json"
}

// CronParser parses schedules: five fields (minute hour day-of-month month
// day-of-week) or a descriptor such as @daily or @every 6h.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Runner runs one recrawl job at a time in the context it was made with,
// keeps the job history in a file and starts scheduled crawls.
type Runner struct {
	cfg     RunnerConfig
	log     *slog.Logger
	ctx     context.Context
	stop    context.CancelFunc
	sources map[string]crawler.Source
	cron    *cron.Cron
	wg      sync.WaitGroup

	mu      sync.Mutex
	jobs    []*Job // oldest first
	active  *Job   // queued or running
	cancel  context.CancelFunc
	changed chan struct{} // closed and replaced on every change
	closed  bool
	observe []func(Job) // called with each finished job (Observe)
}

// NewRunner loads the job history (a job the previous process left queued
// or running is recorded as failed), starts the schedules and returns a
// Runner whose jobs run in ctx: they are canceled when ctx ends or Close
// is called.
func NewRunner(ctx context.Context, cfg RunnerConfig) (*Runner, error) {
	if cfg.Index == nil || cfg.Crawler == nil {
		return nil, errors.New("recrawl: runner needs an index and a crawler")
	}
	if cfg.HistoryFile == "" {
		cfg.HistoryFile = HistoryPath(cfg.Index.Dir())
	}
	if cfg.HistoryLimit <= 0 {
		cfg.HistoryLimit = 50
	}
	if cfg.Run == nil {
		cfg.Run = Run
	}
	if cfg.Rebuild == nil {
		cfg.Rebuild = RunRebuild
	}
	r := &Runner{cfg: cfg, log: cfg.Logger, sources: map[string]crawler.Source{}, changed: make(chan struct{})}
	if r.log == nil {
		r.log = slog.Default()
	}
	for _, s := range cfg.Sources {
		r.sources[s.Name] = s
	}
	jobs, err := loadHistory(cfg.HistoryFile)
	if err != nil {
		return nil, err
	}
	interrupted := false
	for _, j := range jobs {
		if !j.Status.Done() {
			j.Status = StatusFailed
			j.Error = "interrupted: the server stopped during the crawl"
			if j.FinishedAt == nil {
				t := time.Now().UTC()
				j.FinishedAt = &t
			}
			interrupted = true
		}
	}
	r.jobs = jobs
	if interrupted {
		if err := r.saveLocked(); err != nil {
			return nil, err
		}
	}
	r.cron = cron.New(cron.WithParser(CronParser), cron.WithLocation(time.Local))
	if cfg.Schedule != "" {
		if _, err := r.cron.AddFunc(cfg.Schedule, func() { r.scheduled(nil) }); err != nil {
			return nil, fmt.Errorf("recrawl: schedule %q: %w", cfg.Schedule, err)
		}
	}
	for name, spec := range cfg.SourceSchedules {
		if _, ok := r.sources[name]; !ok {
			return nil, fmt.Errorf("%w %q in schedules", ErrUnknownSource, name)
		}
		if spec == "" {
			continue
		}
		if _, err := r.cron.AddFunc(spec, func() { r.scheduled([]string{name}) }); err != nil {
			return nil, fmt.Errorf("recrawl: schedule %q of source %s: %w", spec, name, err)
		}
	}
	r.ctx, r.stop = context.WithCancel(ctx)
	r.cron.Start()
	context.AfterFunc(r.ctx, func() { r.cron.Stop() })
	return r, nil
}

// scheduled starts a crawl from a schedule, or logs why it did not.
func (r *Runner) scheduled(sources []string) {
	j, err := r.Submit(Request{Sources: sources, Trigger: "schedule"})
	switch {
	case errors.Is(err, ErrBusy):
		r.log.Info("scheduled crawl skipped: a crawl is running", "sources", sources, "running", r.activeID())
	case err != nil:
		r.log.Warn("scheduled crawl not started", "sources", sources, "err", err)
	default:
		r.log.Info("scheduled crawl started", "job", j.ID, "sources", j.Sources)
	}
}

func (r *Runner) activeID() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.active != nil {
		return r.active.ID
	}
	return ""
}

// SourceNames lists the configured sources in configuration order.
func (r *Runner) SourceNames() []string {
	names := make([]string, len(r.cfg.Sources))
	for i, s := range r.cfg.Sources {
		names[i] = s.Name
	}
	return names
}

// Submit queues a job and starts it. It fails with ErrBusy while another
// job is queued or running and with ErrUnknownSource for a name that is
// not configured.
func (r *Runner) Submit(req Request) (Job, error) {
	var srcs []crawler.Source
	if len(req.Sources) == 0 {
		srcs = slices.Clone(r.cfg.Sources)
	}
	seen := map[string]bool{}
	for _, n := range req.Sources {
		s, ok := r.sources[n]
		if !ok {
			return Job{}, fmt.Errorf("%w %q", ErrUnknownSource, n)
		}
		if !seen[n] {
			seen[n] = true
			srcs = append(srcs, s)
		}
	}
	if len(srcs) == 0 {
		return Job{}, fmt.Errorf("%w: no source configured", ErrUnknownSource)
	}
	trigger := req.Trigger
	if trigger == "" {
		trigger = "api"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.ctx.Err() != nil {
		return Job{}, ErrClosed
	}
	if r.active != nil {
		return Job{}, fmt.Errorf("%w (job %s)", ErrBusy, r.active.ID)
	}
	j := &Job{ID: newID(), Status: StatusQueued, Full: req.Full, Rebuild: req.Full && len(req.Sources) == 0,
		Trigger: trigger, CreatedAt: time.Now().UTC()}
	for _, s := range srcs {
		j.Sources = append(j.Sources, s.Name)
	}
	ctx, cancel := context.WithCancel(r.ctx)
	r.active, r.cancel = j, cancel
	r.jobs = append(r.jobs, j)
	r.trimLocked()
	r.notifyLocked()
	if err := r.saveLocked(); err != nil {
		r.log.Error("job history not saved", "err", err)
	}
	r.wg.Add(1)
	go r.run(ctx, cancel, j, srcs)
	return j.clone(), nil
}

func (r *Runner) run(ctx context.Context, cancel context.CancelFunc, j *Job, srcs []crawler.Source) {
	defer r.wg.Done()
	defer cancel()
	r.mu.Lock()
	now := time.Now().UTC()
	canceledEarly := ctx.Err() != nil
	if !canceledEarly {
		j.Status, j.StartedAt = StatusRunning, &now
	}
	r.notifyLocked()
	if err := r.saveLocked(); err != nil {
		r.log.Error("job history not saved", "err", err)
	}
	r.mu.Unlock()

	var sum Summary
	var runErr error
	if !canceledEarly {
		var done Counts // of the sources finished so far
		var cur string  // the source of the last call
		var curCounts Counts
		var seenErrs int // per-URL errors of cur already copied
		opts := Options{Full: j.Full, Logger: r.log, Progress: func(rep *SourceReport) {
			r.mu.Lock()
			defer r.mu.Unlock()
			if rep.Source != cur {
				if cur != "" {
					done.add(curCounts)
					j.SourcesDone++
				}
				cur, seenErrs = rep.Source, 0
			}
			for _, e := range rep.Errors[min(seenErrs, len(rep.Errors)):] {
				if len(j.Errors) < MaxErrors {
					j.Errors = append(j.Errors, e)
				}
			}
			seenErrs = len(rep.Errors)
			curCounts = rep.Counts
			j.Current = rep.Source
			j.Pages = done
			j.Pages.add(rep.Counts)
			r.notifyLocked()
		}}
		run := r.cfg.Run
		if j.Rebuild {
			run = r.cfg.Rebuild
		}
		sum, runErr = run(ctx, r.cfg.Crawler, r.cfg.Index, srcs, opts)
	}

	var observers []func(Job)
	var finished Job
	defer func() { // after the lock below is released
		for _, fn := range observers {
			fn(finished)
		}
	}()
	r.mu.Lock()
	defer r.mu.Unlock()
	fin := time.Now().UTC()
	j.FinishedAt = &fin
	j.Current = ""
	j.Reports = sum.Sources
	j.SourcesDone = len(sum.Sources)
	j.Pages = sum.Total
	j.Errors = nil
	for _, rep := range sum.Sources {
		for _, e := range rep.Errors {
			if len(j.Errors) < MaxErrors {
				j.Errors = append(j.Errors, e)
			}
		}
	}
	switch {
	case ctx.Err() != nil:
		j.Status = StatusCanceled
		j.Error = "canceled; practices not yet recrawled were kept"
		if r.ctx.Err() != nil {
			j.Error = "canceled: the server is stopping; practices not yet recrawled were kept"
		}
	case runErr != nil:
		j.Status = StatusFailed
		j.Error = runErr.Error()
	default:
		j.Status = StatusSucceeded
	}
	r.active, r.cancel = nil, nil
	r.notifyLocked()
	if err := r.saveLocked(); err != nil {
		r.log.Error("job history not saved", "err", err)
	}
	observers, finished = slices.Clone(r.observe), j.clone()
	r.log.Info("crawl job finished", "job", j.ID, "status", j.Status, "sources", j.Sources,
		"added", j.Pages.Added, "updated", j.Pages.Updated, "removed", j.Pages.Removed, "failed", j.Pages.Failed)
}

// Observe registers fn to be called with every job that finishes from now
// on (succeeded, failed or canceled), once its outcome is recorded: in
// registration order, outside the runner's lock, before Close returns (Wait
// may return a moment earlier). Metrics hook in here; fn should return
// quickly.
func (r *Runner) Observe(fn func(Job)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.observe = append(r.observe, fn)
}

// Cancel asks the job to stop. Practices it has not reached are kept. It
// returns the job as it is now; the status becomes canceled once the crawl
// has stopped.
func (r *Runner) Cancel(id string) (Job, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.findLocked(id)
	if j == nil {
		return Job{}, ErrNoJob
	}
	if j.Status.Done() {
		return j.clone(), ErrFinished
	}
	if r.active == j && r.cancel != nil {
		r.cancel()
	}
	return j.clone(), nil
}

// Job returns one job.
func (r *Runner) Job(id string) (Job, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.findLocked(id)
	if j == nil {
		return Job{}, ErrNoJob
	}
	return j.clone(), nil
}

// Jobs returns the job history, newest first.
func (r *Runner) Jobs() []Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Job, 0, len(r.jobs))
	for i := len(r.jobs) - 1; i >= 0; i-- {
		out = append(out, r.jobs[i].clone())
	}
	return out
}

// Watch returns the job as it is now and a channel closed at the next
// change of any job, for live progress.
func (r *Runner) Watch(id string) (Job, <-chan struct{}, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.findLocked(id)
	if j == nil {
		return Job{}, nil, ErrNoJob
	}
	return j.clone(), r.changed, nil
}

// Wait blocks until the job is finished or ctx ends, and returns it.
func (r *Runner) Wait(ctx context.Context, id string) (Job, error) {
	for {
		j, ch, err := r.Watch(id)
		if err != nil || j.Status.Done() {
			return j, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return j, ctx.Err()
		}
	}
}

// SourceCrawl is the outcome of a source's last finished crawl.
type SourceCrawl struct {
	JobID      string     `json:"job_id"`
	Status     Status     `json:"status"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	OK         bool       `json:"ok"`
	Pages      Counts     `json:"pages"`
	Error      string     `json:"error,omitempty"`
}

// SourceInfo describes a configured source for the admin API.
type SourceInfo struct {
	Name      string       `json:"name"`
	Network   string       `json:"network"`
	Documents uint64       `json:"documents"`
	Schedule  string       `json:"schedule,omitempty"`
	LastCrawl *SourceCrawl `json:"last_crawl"`
}

// Sources lists every configured source with its document count and last
// crawl.
func (r *Runner) Sources(ctx context.Context) ([]SourceInfo, error) {
	out := make([]SourceInfo, 0, len(r.cfg.Sources))
	for _, s := range r.cfg.Sources {
		q := bleve.NewTermQuery(s.Name)
		q.SetField(indexer.FieldSource)
		req := bleve.NewSearchRequestOptions(q, 0, 0, false)
		res, err := r.cfg.Index.Bleve().SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("recrawl: count documents of %s: %w", s.Name, err)
		}
		sched := r.cfg.SourceSchedules[s.Name]
		if sched == "" {
			sched = r.cfg.Schedule
		}
		out = append(out, SourceInfo{Name: s.Name, Network: s.Network, Documents: res.Total, Schedule: sched, LastCrawl: r.lastCrawl(s.Name)})
	}
	return out, nil
}

func (r *Runner) lastCrawl(source string) *SourceCrawl {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.jobs) - 1; i >= 0; i-- {
		j := r.jobs[i]
		if !j.Status.Done() {
			continue
		}
		for _, rep := range j.Reports {
			if rep.Source == source {
				fin := *j.FinishedAt
				return &SourceCrawl{JobID: j.ID, Status: j.Status, StartedAt: rep.Started, FinishedAt: &fin,
					OK: rep.OK, Pages: rep.Counts, Error: rep.Error}
			}
		}
	}
	return nil
}

// Close cancels the running job, waits for it to stop, stops the schedules
// and saves the history.
func (r *Runner) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.stop()
	<-r.cron.Stop().Done()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.saveLocked()
}

func (r *Runner) findLocked(id string) *Job {
	for _, j := range r.jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

func (r *Runner) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// trimLocked drops the oldest finished jobs beyond the history limit.
func (r *Runner) trimLocked() {
	for len(r.jobs) > r.cfg.HistoryLimit && r.jobs[0].Status.Done() {
		r.jobs = r.jobs[1:]
	}
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails on supported platforms
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:4])
}
