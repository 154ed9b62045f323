package recrawl_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/crawler/recrawl"
)

// TestObserve: an observer (the server's metrics) hears of every finished
// job once, with the same outcome the admin API shows, per-source reports
// included; a canceled job is heard of too.
func TestObserve(t *testing.T) {
	f := newJobsFixture(t)
	r := f.open(t)
	heard := make(chan recrawl.Job, 4)
	r.Observe(func(j recrawl.Job) { heard <- j })

	j, err := r.Submit(recrawl.Request{Sources: []string{"icc"}})
	if err != nil {
		t.Fatal(err)
	}
	got := <-heard
	want, err := r.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("observed job differs from the recorded one (-want +got):\n%s", diff)
	}
	if got.Status != recrawl.StatusSucceeded || len(got.Reports) != 1 || got.Reports[0].Source != "icc" || got.Reports[0].Added == 0 {
		t.Errorf("observed %+v; want a succeeded job with icc's report", got)
	}

	f.gate.shutAfter(2)
	j2, err := r.Submit(recrawl.Request{Sources: []string{"oive"}})
	if err != nil {
		t.Fatal(err)
	}
	<-f.gate.blocked
	if _, err := r.Cancel(j2.ID); err != nil {
		t.Fatal(err)
	}
	if got := <-heard; got.ID != j2.ID || got.Status != recrawl.StatusCanceled {
		t.Errorf("observed %s %s; want %s canceled", got.ID, got.Status, j2.ID)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(heard); n != 0 {
		t.Errorf("%d more jobs observed; want none", n)
	}
}
