package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/casebook-project/casebook/crawler/recrawl"
)

// crawlProgress shows a crawl as it runs: a live bar on a terminal, plain
// lines (one when a source starts, one every plainEvery pages, one when it
// ends) otherwise, so that logs of cron jobs stay readable.
type crawlProgress struct {
	w      io.Writer
	bar    *progressbar.ProgressBar // nil: plain lines
	source string
	last   recrawl.SourceReport
	marks  int // plain lines printed for the current source
}

const plainEvery = 100

func newCrawlProgress(w io.Writer) *crawlProgress {
	p := &crawlProgress{w: w}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetItsString("pages"),
			progressbar.OptionShowIts(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func counts(r *recrawl.SourceReport) string {
	return fmt.Sprintf("%d added, %d updated, %d unchanged, %d failed, %d skipped",
		r.Added, r.Updated, r.Unchanged, r.Failed, r.Skipped)
}

// update is recrawl.Options.Progress.
func (p *crawlProgress) update(r *recrawl.SourceReport) {
	if r.Source != p.source {
		p.endSource()
		p.source, p.marks = r.Source, 0
		if p.bar == nil {
			fmt.Fprintf(p.w, "%s: crawling\n", r.Source)
		}
	}
	p.last = *r
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s: %s", r.Source, counts(r)))
		_ = p.bar.Set(r.Fetched + r.Failed + r.Skipped + r.Unchanged)
		return
	}
	if r.Fetched >= (p.marks+1)*plainEvery {
		p.marks++
		fmt.Fprintf(p.w, "%s: %d pages fetched, %s\n", r.Source, r.Fetched, counts(r))
	}
}

func (p *crawlProgress) endSource() {
	if p.source == "" || p.bar != nil {
		return
	}
	fmt.Fprintf(p.w, "%s: done, %d pages fetched, %s\n", p.source, p.last.Fetched, counts(&p.last))
}

// finish clears the bar or ends the last plain line.
func (p *crawlProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		return
	}
	p.endSource()
}
