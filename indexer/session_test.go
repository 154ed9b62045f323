package indexer

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func sitePractice(path, title string) Practice {
	return Practice{
		URL: "https://city.example" + path, Source: "city", Title: title, Body: title + " in detail.",
		Cities: []string{"Lissabon"}, Themes: []string{"Wohnen"}, Lang: "de",
	}
}

// crawl runs one session over ps, keeping kept, and returns the outcomes
// and what Finish removed.
func crawl(t *testing.T, ix *Index, ps []Practice, kept []string, complete bool) ([]Outcome, int) {
	t.Helper()
	ctx := t.Context()
	s, err := ix.Begin(ctx, "city")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	var outs []Outcome
	for _, p := range ps {
		o, err := s.Put(ctx, p, FetchState{})
		if err != nil {
			t.Fatalf("Put(%s): %v", p.URL, err)
		}
		outs = append(outs, o)
	}
	for _, u := range kept {
		s.Keep(u)
	}
	removed, err := s.Finish(ctx, complete)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	return outs, removed
}

func TestSessionLifecycle(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	a := sitePractice("/a", "Wohnungen für alle")
	b := sitePractice("/b", "Nachbarschaftshilfe")
	c := sitePractice("/c", "Sprachcafé")
	// An unrelated source is never touched by sessions of "city".
	other := Practice{URL: "https://other.example/x", Source: "other", Title: "Other source"}
	if err := ix.Upsert(ctx, []Practice{other}); err != nil {
		t.Fatal(err)
	}

	outs, removed := crawl(t, ix, []Practice{a, b, c}, nil, true)
	if diff := cmp.Diff([]Outcome{OutcomeAdded, OutcomeAdded, OutcomeAdded}, outs); diff != "" || removed != 0 {
		t.Fatalf("first crawl: outcomes (-want +got):\n%s removed %d", diff, removed)
	}

	// Second crawl: a unchanged (even with raw spelling noise), b edited,
	// c not re-extracted but kept (a 304), a new page d.
	aNoisy := a
	aNoisy.Cities = []string{"LISBOA"}
	aNoisy.Title = "  Wohnungen   für alle "
	b.Body = "Neue Beschreibung."
	d := sitePractice("/d", "Stadtteilmütter")
	outs, removed = crawl(t, ix, []Practice{aNoisy, b, d}, []string{c.URL}, true)
	if diff := cmp.Diff([]Outcome{OutcomeUnchanged, OutcomeUpdated, OutcomeAdded}, outs); diff != "" || removed != 0 {
		t.Fatalf("second crawl: outcomes (-want +got):\n%s removed %d", diff, removed)
	}
	got, err := ix.Get(ctx, IDForURL(b.URL))
	if err != nil || got.Body != "Neue Beschreibung." {
		t.Errorf("updated practice: body %q, %v; want the new body", got.Body, err)
	}

	// Third crawl fails half-way: only a was seen. Nothing is removed.
	_, removed = crawl(t, ix, []Practice{a}, nil, false)
	if removed != 0 {
		t.Errorf("incomplete crawl removed %d practices; want 0", removed)
	}
	if n, _ := ix.Count(ctx); n != 5 {
		t.Errorf("Count after incomplete crawl = %d; want 5 (4 of city + 1 other)", n)
	}

	// Fourth crawl completes and sees a and d only: b and c are removed.
	_, removed = crawl(t, ix, []Practice{a, d}, nil, true)
	if removed != 2 {
		t.Errorf("complete crawl removed %d; want 2 (b and c)", removed)
	}
	for _, p := range []Practice{b, c} {
		if _, err := ix.Get(ctx, IDForURL(p.URL)); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%s) after removal: %v; want ErrNotFound", p.URL, err)
		}
	}
	if _, err := ix.Get(ctx, IDForURL(other.URL)); err != nil {
		t.Errorf("practice of another source: %v; want it kept", err)
	}
}

func TestSessionPutChecks(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	s, err := ix.Begin(ctx, "city")
	if err != nil {
		t.Fatal(err)
	}
	p := sitePractice("/a", "A")
	p.Source = ""
	if o, err := s.Put(ctx, p, FetchState{}); err != nil || o != OutcomeAdded {
		t.Errorf("Put without source = %v, %v; want added under the session's source", o, err)
	}
	p.Source = "elsewhere"
	if _, err := s.Put(ctx, p, FetchState{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Put with another source: err = %v; want ErrInvalid", err)
	}
	p.Source, p.Title = "city", ""
	if _, err := s.Put(ctx, p, FetchState{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Put without title: err = %v; want ErrInvalid", err)
	}
	if _, err := s.Finish(ctx, true); err != nil {
		t.Fatal(err)
	}
	got, err := ix.Get(ctx, IDForURL(p.URL))
	if err != nil || got.Source != "city" {
		t.Errorf("practice put without source: %+v, %v; want source city", got, err)
	}
	if _, err := s.Finish(ctx, true); err == nil {
		t.Errorf("second Finish succeeded; want an error")
	}
	if _, err := s.Put(ctx, sitePractice("/z", "Z"), FetchState{}); err == nil {
		t.Errorf("Put after Finish succeeded; want an error")
	}
}

// TestSessionManyPages crosses the batch size and the page size of Begin.
func TestSessionManyPages(t *testing.T) {
	ix := openTemp(t)
	var ps []Practice
	for i := range loadPageSize + 50 {
		ps = append(ps, sitePractice("/p/"+itoa(i), "Practice "+itoa(i)))
	}
	outs, _ := crawl(t, ix, ps, nil, true)
	if outs[len(outs)-1] != OutcomeAdded {
		t.Fatalf("last outcome %v; want added", outs[len(outs)-1])
	}
	// Everything unchanged, except one page gone.
	outs, removed := crawl(t, ix, ps[1:], nil, true)
	for i, o := range outs {
		if o != OutcomeUnchanged {
			t.Fatalf("recrawl outcome %d = %v; want unchanged", i, o)
		}
	}
	if removed != 1 {
		t.Errorf("removed %d; want 1", removed)
	}
	if n, _ := ix.Count(t.Context()); n != uint64(len(ps)-1) {
		t.Errorf("Count = %d; want %d", n, len(ps)-1)
	}
}

// The fetch state is stored beside a practice, survives to the next
// session and is found by the canonical URL and by the fetched URL.
func TestSessionFetchState(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	p := sitePractice("/a", "Wohnungen für alle")
	fetched := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	st := FetchState{URL: "https://city.example/a?print=0", ETag: `"v1"`, LastModified: "Sun, 01 Mar 2026 09:00:00 GMT", Fetched: fetched}

	s, err := ix.Begin(ctx, "city")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Known(p.URL); ok {
		t.Error("Known before the first Put")
	}
	if o, err := s.Put(ctx, p, st); err != nil || o != OutcomeAdded {
		t.Fatalf("Put = %v, %v", o, err)
	}
	if got, ok := s.Known(st.URL); !ok || !reflect.DeepEqual(got, st) {
		t.Errorf("Known(fetched URL) in the same session = %+v, %v; want %+v", got, ok, st)
	}
	if _, err := s.Finish(ctx, true); err != nil {
		t.Fatal(err)
	}

	s, err = ix.Begin(ctx, "city")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{p.URL, st.URL} {
		got, ok := s.Known(u)
		if !ok || !got.Fetched.Equal(fetched) || got.ETag != st.ETag || got.LastModified != st.LastModified || got.URL != st.URL {
			t.Errorf("Known(%s) = %+v, %v; want %+v", u, got, ok, st)
		}
	}
	if _, ok := s.Known("https://city.example/b"); ok {
		t.Error("Known of an unknown URL")
	}
	// Same content, later fetch, same validators: nothing to rewrite, the
	// stored fetch time stays.
	later := st
	later.Fetched = fetched.Add(time.Hour)
	if o, err := s.Put(ctx, p, later); err != nil || o != OutcomeUnchanged {
		t.Fatalf("Put again = %v, %v; want unchanged", o, err)
	}
	if got, _ := s.Known(p.URL); !got.Fetched.Equal(fetched) {
		t.Errorf("fetch time after an unchanged Put = %v; want %v kept", got.Fetched, fetched)
	}
	// Same content, new ETag: still unchanged, but the new state is kept.
	v2 := later
	v2.ETag = `"v2"`
	if o, err := s.Put(ctx, p, v2); err != nil || o != OutcomeUnchanged {
		t.Fatalf("Put with a new ETag = %v, %v; want unchanged", o, err)
	}
	// Keep by the fetched URL marks the practice as seen.
	if _, err := s.Finish(ctx, true); err != nil {
		t.Fatal(err)
	}
	s, err = ix.Begin(ctx, "city")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Known(p.URL); got.ETag != `"v2"` {
		t.Errorf("ETag after the rewrite = %q; want \"v2\"", got.ETag)
	}
	s.Keep(st.URL)
	if removed, err := s.Finish(ctx, true); err != nil || removed != 0 {
		t.Errorf("Finish after Keep(fetched URL) removed %d, %v; want 0", removed, err)
	}
	// The stored practice JSON does not carry the fetch state.
	got, err := ix.Get(ctx, IDForURL(p.URL))
	if err != nil || got.URL != p.URL {
		t.Errorf("Get = %+v, %v", got, err)
	}
}
