package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
)

// pgArtefact returns where a test artefact named name is written:
// under $CASEBOOK_ARTEFACTS when set, else in the test's temp dir.
func pgArtefact(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("CASEBOOK_ARTEFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// pgAPI asks the JSON API (in process) what the page at pageURL should show.
func pgAPI(t *testing.T, pageURL string) search.Result {
	t.Helper()
	u, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	return decode[search.Result](t, get(t, "/api/v1/search?"+u.RawQuery))
}

// pgPageState is what the browser shows of a search state.
type pgPageState struct {
	Search string            `json:"search"`
	Total  string            `json:"total"`
	IDs    []string          `json:"ids"`
	Badges []string          `json:"badges"`
	Lang   map[string]string `json:"lang"` // facet value -> count text
	Chosen []string          `json:"chosen"`
	Page   string            `json:"page"`
	Marker bool              `json:"marker"` // set before the first action: no reload since
	Query  string            `json:"query"`
}

const pgStateJS = `JSON.stringify({
  search: location.search,
  total: document.getElementById("results-title").textContent.trim(),
  ids: [...document.querySelectorAll(".hit h3 a")].map(a => new URL(a.href).pathname.slice(3)),
  badges: [...document.querySelectorAll(".hit .badge")].map(b => b.textContent.trim()),
  lang: Object.fromEntries([...document.querySelectorAll('li[data-facet="lang"]')].map(li => [li.dataset.value, li.querySelector(".count").textContent.trim()])),
  chosen: [...document.querySelectorAll("li[data-facet] a[aria-current]")].map(a => a.parentNode.dataset.facet + "=" + a.parentNode.dataset.value),
  page: (document.querySelector('.paging [aria-current="page"]') || {textContent: ""}).textContent.trim(),
  marker: window.pgMarker === 1,
  query: document.getElementById("q").value,
})`

// TestSearchPageBrowser drives / in headless Chromium with page.js: typing
// searches without a reload, two values of one facet combine (OR) with
// counts that match the API, paging and the Back button follow the URL,
// a copied URL shows the same state, clear-all works, the language
// switcher keeps the state, and axe-core finds no serious or critical
// violation on / and /p/{id}.
func TestSearchPageBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t, "the search page")
	axe, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	ctx := newBrowser(t, bin)
	_, wait, step := browserHelpers(t, ctx)
	state := func() pgPageState {
		t.Helper()
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](pgStateJS))
		if err != nil {
			t.Fatalf("page state: %v", err)
		}
		var s pgPageState
		if err := json.Unmarshal([]byte(js), &s); err != nil {
			t.Fatalf("page state %s: %v", js, err)
		}
		return s
	}
	// truthful checks that the page shows what the API answers for the
	// page's URL: total, cards in order and the language facet's counts.
	truthful := func(what string, s pgPageState) {
		t.Helper()
		res := pgAPI(t, s.Search)
		wantTotal := fmt.Sprintf("%d practices", res.Total)
		if res.Total == 1 {
			wantTotal = "1 practice"
		}
		if s.Total != wantTotal {
			t.Errorf("%s: total %q, want %q (API)", what, s.Total, wantTotal)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if diff := cmp.Diff(s.IDs, ids); diff != "" {
			t.Errorf("%s: cards differ from the API (-page +api):\n%s", what, diff)
		}
		langs := map[string]string{}
		for _, v := range res.Facets[search.FacetLang] {
			langs[v.Value] = fmt.Sprint(v.Count)
		}
		if diff := cmp.Diff(s.Lang, langs); diff != "" {
			t.Errorf("%s: language counts differ from the API (-page +api):\n%s", what, diff)
		}
	}

	step("open /", chromedp.Navigate(srv.URL+"/?ui=en&size=3"), chromedp.WaitVisible(chromedp.CSS("#q")))
	wait("page.js", `document.documentElement.dataset.enhanced === "true"`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.pgMarker = 1`)); err != nil {
		t.Fatal(err)
	}

	// Search as you type: results change, the URL follows, no reload.
	step("type", chromedp.Click(chromedp.CSS("#q")), chromedp.SendKeys(chromedp.CSS("#q"), "refugees"))
	wait("typed search", `new URLSearchParams(location.search).get("q") === "refugees" && document.querySelector(".hit mark") !== null && !document.getElementById("live").hasAttribute("aria-busy")`)
	s := state()
	if !s.Marker {
		t.Fatal("typing reloaded the page")
	}
	truthful("typed", s)
	if focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "q" {
		t.Errorf("focus left the search box while typing (on %q)", focused)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("live-status").textContent`)); got != s.Total {
		t.Errorf("live status %q, want the total %q announced", got, s.Total)
	}
	before := s.Lang

	// Two values of one facet: English, then French (OR within a facet).
	step("facet en", chromedp.Click(chromedp.CSS(`li[data-facet="lang"][data-value="en"] a`)))
	wait("lang=en", `location.search.includes("lang=en") && !document.getElementById("live").hasAttribute("aria-busy")`)
	step("facet fr", chromedp.Click(chromedp.CSS(`li[data-facet="lang"][data-value="fr"] a`)))
	wait("lang=en&lang=fr", `location.search.includes("lang=fr") && location.search.includes("lang=en") && !document.getElementById("live").hasAttribute("aria-busy")`)
	s = state()
	if !s.Marker {
		t.Fatal("a facet toggle reloaded the page")
	}
	truthful("en+fr", s)
	if diff := cmp.Diff(s.Chosen, []string{"lang=en", "lang=fr"}); diff != "" {
		t.Errorf("selected facet values (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(s.Lang, before); diff != "" {
		t.Errorf("language counts changed by selecting languages (facets are disjunctive) (-got +want):\n%s", diff)
	}
	for _, b := range s.Badges {
		if b != "EN" && b != "FR" {
			t.Errorf("card in %s shown with en+fr selected", b)
		}
	}
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.activeElement.closest("li[data-facet]") || {dataset: {}}).dataset.value || ""`)); got != "fr" {
		t.Errorf("focus after toggling French is on %q, want the French facet link", got)
	}
	if s.Page != "1" {
		t.Fatalf("no paging with size 3 (page %q): the fixture needs more hits", s.Page)
	}
	first := s

	// Paging, then Back.
	step("next page", chromedp.Click(chromedp.CSS(`.paging a[rel="next"]`)))
	wait("page 2", `new URLSearchParams(location.search).get("page") === "2" && !document.getElementById("live").hasAttribute("aria-busy")`)
	s = state()
	truthful("page 2", s)
	if s.Page != "2" || !s.Marker || cmp.Equal(s.IDs, first.IDs) {
		t.Errorf("page 2: current %q, no reload %v, cards %v (page 1 had %v)", s.Page, s.Marker, s.IDs, first.IDs)
	}
	second := s
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`history.back(), true`)); err != nil {
		t.Fatal(err)
	}
	wait("back to page 1", `!new URLSearchParams(location.search).has("page") && document.querySelector('.paging [aria-current="page"]').textContent.trim() === "1" && !document.getElementById("live").hasAttribute("aria-busy")`)
	if s = state(); !cmp.Equal(s.IDs, first.IDs) || !s.Marker {
		t.Errorf("Back shows %v (no reload %v), want page 1 %v", s.IDs, s.Marker, first.IDs)
	}

	// Every state is shareable: loading page 2's URL afresh shows the same.
	step("open shared URL", chromedp.Navigate(srv.URL+"/"+second.Search), chromedp.WaitVisible(chromedp.CSS("#q")))
	if s = state(); !cmp.Equal(s.IDs, second.IDs) || s.Query != "refugees" || !cmp.Equal(s.Chosen, second.Chosen) {
		t.Errorf("shared URL shows %+v, want the state it was copied from %+v", s, second)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG
	if err != nil {
		t.Fatal(err)
	}
	png := pgArtefact(t, "page.png")
	if err := os.WriteFile(png, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the search page: %s", png)
	pgAxe(t, ctx, axe, "/ with two languages selected, page 2")

	// Clear all filters keeps the query.
	wait("page.js", `document.documentElement.dataset.enhanced === "true"`)
	step("clear", chromedp.Click(chromedp.CSS("a.clear")))
	wait("cleared", `!location.search.includes("lang=") && !document.getElementById("live").hasAttribute("aria-busy")`)
	s = state()
	truthful("cleared", s)
	if len(s.Chosen) != 0 || s.Query != "refugees" {
		t.Errorf("after clear-all: chosen %v, query %q", s.Chosen, s.Query)
	}

	// The language switcher keeps the state and switches every label.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.switcher a[hreflang="de"]').getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	if q := pgQuery(t, href); q.Get("q") != "refugees" || q.Get("ui") != "de" || q.Has("lang") {
		t.Errorf("switcher link %q does not keep the current state (query, no filter) in German", href)
	}
	step("switch to German", chromedp.Click(chromedp.CSS(`.switcher a[hreflang="de"]`)))
	pgWaitNavigated(t, ctx, `document.documentElement.lang === "de" && document.readyState === "complete"`)
	s = state()
	res := pgAPI(t, s.Search)
	if want := fmt.Sprintf("%d Praxisbeispiele", res.Total); s.Total != want || s.Query != "refugees" {
		t.Errorf("German page: total %q query %q, want %q and the query kept", s.Total, s.Query, want)
	}
	for sel, want := range map[string]string{"#filters-title": "Filter", ".searchbox button": "Suchen", ".facet-lang h3": "Sprache"} {
		if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel))); strings.TrimSpace(got) != want {
			t.Errorf("German %s = %q, want %q", sel, got, want)
		}
	}
	pgAxe(t, ctx, axe, "/ in German")

	// The practice page, in French: full text, formatted date, original link.
	id := searchtest.ID(searchtest.URL("en", "lisbon-one-stop"))
	step("practice page", chromedp.Navigate(srv.URL+"/p/"+id+"?ui=fr"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".original").href`)); got != searchtest.URL("en", "lisbon-one-stop") {
		t.Errorf("original link %q", got)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".facts time"))); got != "12 avril 2023" {
		t.Errorf("publication date in French %q, want 12 avril 2023", got)
	}
	pgAxe(t, ctx, axe, "/p/"+id)
}

// pgAxe runs axe-core on the current page and fails on serious or critical
// violations, logging the rest.
func pgAxe(t *testing.T, c context.Context, axe []byte, where string) {
	t.Helper()
	if _, err := chromedp.Run(c, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
		t.Fatalf("inject axe-core on %s: %v", where, err)
	}
	js, err := chromedp.Run(c, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core on %s: %v", where, err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(js), &vs); err != nil {
		t.Fatalf("axe-core result %s: %v", js, err)
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe %s on %s: %s (%s) at %v", v.Impact, where, v.ID, v.Help, v.Nodes)
		} else {
			t.Logf("axe %s on %s: %s (%s) at %v", v.Impact, where, v.ID, v.Help, v.Nodes)
		}
	}
	t.Logf("axe-core on %s: %d violations, none serious or critical unless reported above", where, len(vs))
}

func pgQuery(t *testing.T, href string) url.Values {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// pgWaitNavigated waits until expr holds on a page being loaded: a poll
// started on the old document ends with it, so it is started again.
func pgWaitNavigated(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	// A poll cut off by the navigation fails in several ways ("context
	// canceled", "Inspected target navigated or closed", a lost execution
	// context); any of them means "ask again on the new document". Only
	// the deadline ends the wait.
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](expr)); err == nil {
			return
		}
		if ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: %v", expr, err)
}
