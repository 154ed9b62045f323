package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// wdHostCSS is the host site's stylesheet: styles that would leak into a
// careless widget (inherited colour and font, a global li rule, an input
// rule) and the custom property that themes the widget.
const wdHostCSS = `body { color: rgb(1, 2, 3); font-family: serif; background: rgb(250, 250, 240); }
li { display: none; }
input { background: rgb(255, 0, 0); }
mark { background: rgb(0, 255, 0); }
casebook-search { --casebook-accent: rgb(122, 31, 162); margin: 1em 0; }
`

// wdHostPage is a member city's page embedding two widgets: one preset to
// Düsseldorf in German, one in French without a filter.
const wdHostPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>City of Example: good practices</title>
<link rel="stylesheet" href="/host.css"></head>
<body><main>
<h1>Good practices from other cities</h1>
<p id="host-text">Text of the host page.</p>
<ul id="host-list"><li>hidden by the host's own rule</li></ul>
<casebook-search id="w1" ui="de" city="Düsseldorf" size="5"></casebook-search>
<casebook-search id="w2" ui="fr" size="3" placeholder="Chercher une pratique"></casebook-search>
</main>
<script src="%s/widget.js" defer></script>
</body></html>`

// TestWidgetBrowser embeds the widget in a page served from another
// loopback origin under a strict CSP and drives it in headless Chromium:
// results appear as one types, the preset city filter holds, the
// keyboard moves through the combobox and chooses, Escape closes, no CSP
// violation happens, the host's styles stay untouched, every request
// goes to the casebook origin, and axe-core finds no serious violation.
func TestWidgetBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t, "the widget")
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}

	var cbURL string
	hostMux := http.NewServeMux()
	host := httptest.NewServer(hostMux)
	t.Cleanup(host.Close)
	hostMux.HandleFunc("GET /host.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		io.WriteString(w, wdHostCSS)
	})
	hostMux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; script-src %s; connect-src %s; style-src 'self'", cbURL, cbURL))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, wdHostPage, cbURL)
	})

	s, err := server.New(server.Config{
		Engine:         search.New(searchtest.Index(t)),
		AllowedOrigins: []string{host.URL},
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The search for "logem" is held until the browser gives it up: the
	// widget must abort it when the visitor types on.
	var held, aborted atomic.Bool
	api := s.Handler()
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/search" && r.URL.Query().Get("q") == "logem" {
			held.Store(true)
			<-r.Context().Done()
			aborted.Store(true)
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(cb.Close)
	cbURL = cb.URL
	if cb.URL == host.URL {
		t.Fatalf("host and casebook share the origin %s", cb.URL)
	}

	// Without the preset filter the query finds practices of other cities
	// too: the filter is what keeps the widget's list to Düsseldorf.
	if cities := wdCities(t, cb.URL+"/api/v1/search?q=wohnen&ui=de&size=20"); len(cities) < 2 {
		t.Fatalf("q=wohnen finds only the cities %v; the filter test needs others", cities)
	}

	ctx := newBrowser(t, bin)
	_, _, step := browserHelpers(t, ctx)
	wait := func(what, expr string) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Run(wctx, chromedp.Poll[bool](expr)); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
	}
	eval := func(expr string, v any) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		if err := json.Unmarshal(got, v); err != nil {
			t.Fatalf("evaluate %s: %v in %s", expr, err, got)
		}
	}

	// Before any script of the page runs: count CSP violations and keep
	// the casebook-select events (preventing the default navigation).
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
		window.wdViolations = [];
		document.addEventListener("securitypolicyviolation", e => wdViolations.push(e.violatedDirective + " " + e.blockedURI));
		window.wdSelected = [];
		document.addEventListener("casebook-select", e => { e.preventDefault(); wdSelected.push({target: e.target.id, hit: e.detail}); });
	`}); err != nil {
		t.Fatal(err)
	}
	step("open the host page", chromedp.Navigate(host.URL+"/"))
	wait("the element upgraded", `customElements.get("casebook-search") !== undefined && !!document.getElementById("w1").shadowRoot`)

	const w1, w2 = `document.getElementById("w1").shadowRoot`, `document.getElementById("w2").shadowRoot`
	var labels []string
	eval(`[`+w1+`.querySelector("label").textContent, `+w1+`.querySelector("input").placeholder, `+w2+`.querySelector("label").textContent, `+w2+`.querySelector("input").placeholder]`, &labels)
	if want := []string{"Gute Praxisbeispiele suchen", "Praxisbeispiele suchen…", "Rechercher des bonnes pratiques", "Chercher une pratique"}; strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("labels and placeholders %q, want %q (ui attribute, not the host's lang=en)", labels, want)
	}

	// Type in the German widget preset to Düsseldorf.
	step("type in w1", chromedp.Evaluate[chromedp.Void](w1+`.querySelector("input").focus()`), chromedp.KeyEvent("wohnen"))
	wait("w1 results", w1+`.querySelectorAll("[role=option]").length > 0 && `+w1+`.querySelector("input").getAttribute("aria-expanded") === "true"`)
	var metas []string
	eval(`[...`+w1+`.querySelectorAll("[role=option] .m")].map(e => e.textContent)`, &metas)
	for _, m := range metas {
		if !strings.Contains(m, "Düsseldorf") {
			t.Errorf("w1 option %q is not in Düsseldorf", m)
		}
	}
	var marks []string
	eval(`[...`+w1+`.querySelectorAll("[role=option] mark")].map(e => e.textContent.toLowerCase())`, &marks)
	if len(marks) == 0 {
		t.Errorf("no highlighted word in w1's options")
	}
	var status string
	eval(w1+`.querySelector("[role=status]").textContent`, &status)
	if !strings.Contains(status, "Ergebnis") {
		t.Errorf("w1 status %q, want a German result count", status)
	}
	step("Escape in w1", chromedp.KeyEvent(kb.Escape))
	wait("w1 closed", w1+`.querySelector("[role=listbox]").hidden && `+w1+`.querySelector("input").getAttribute("aria-expanded") === "false"`)

	// The French widget without a filter: browse with the arrows, choose with Enter.
	step("type in w2", chromedp.Evaluate[chromedp.Void](w2+`.querySelector("input").focus()`), chromedp.KeyEvent("logem"))
	wdUntil(t, "the search for logem reaches the server", held.Load)
	step("type on in w2", chromedp.KeyEvent("ent"))
	wait("w2 results", w2+`.querySelectorAll("[role=option]").length >= 2 && !`+w2+`.querySelector("[role=listbox]").hidden`)
	wdUntil(t, "the search for logem is aborted", aborted.Load)
	var w2marks []string
	eval(`[...new Set([...`+w2+`.querySelectorAll("[role=option] mark")].map(e => e.textContent.toLowerCase()))]`, &w2marks)
	if strings.Join(w2marks, ",") != "logement" {
		t.Errorf("w2 highlights %q, want only the last query's word logement", w2marks)
	}
	if !wdClosed(t, ctx, w1) {
		t.Errorf("w1's list stayed open after the focus left it")
	}
	var combo struct {
		Active, Second, First, Controls, ListID string
		Selected                                []string
	}
	step("ArrowDown ArrowDown ArrowUp ArrowDown", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.ArrowDown))
	eval(`(() => { const r = `+w2+`, i = r.querySelector("input"), o = r.querySelectorAll("[role=option]");
		return {active: i.getAttribute("aria-activedescendant"), first: o[0].id, second: o[1].id,
			controls: i.getAttribute("aria-controls"), listid: r.querySelector("[role=listbox]").id,
			selected: [...o].map(e => e.getAttribute("aria-selected"))}; })()`, &combo)
	if combo.Active == "" || combo.Active != combo.Second {
		t.Errorf("after Down Down Up Down aria-activedescendant is %q, want the second option %q", combo.Active, combo.Second)
	}
	if combo.Controls == "" || combo.Controls != combo.ListID {
		t.Errorf("aria-controls %q, listbox id %q", combo.Controls, combo.ListID)
	}
	if len(combo.Selected) < 2 || combo.Selected[0] != "false" || combo.Selected[1] != "true" {
		t.Errorf("aria-selected %v, want only the second option", combo.Selected)
	}
	var secondTitle string
	eval(w2+`.querySelectorAll("[role=option] .t")[1].textContent`, &secondTitle)
	step("Enter chooses", chromedp.KeyEvent(kb.Enter))
	wait("casebook-select", `wdSelected.length === 1`)
	var sel []struct {
		Target string
		Hit    struct{ ID, Title, URL string }
	}
	eval(`wdSelected`, &sel)
	if sel[0].Target != "w2" || sel[0].Hit.ID == "" || sel[0].Hit.Title != secondTitle {
		t.Errorf("casebook-select %+v, want w2's second hit %q", sel[0], secondTitle)
	}
	if !wdClosed(t, ctx, w2) {
		t.Errorf("w2's list stayed open after the choice")
	}
	step("ArrowDown reopens", chromedp.KeyEvent(kb.ArrowDown))
	wait("w2 reopened", `!`+w2+`.querySelector("[role=listbox]").hidden && `+w2+`.querySelector("input").getAttribute("aria-activedescendant") === "`+combo.First+`"`)

	// The host page is untouched and the widget untouched by the host.
	var look struct {
		BodyColor, HostLi, HostFont, WidgetColor, WidgetInputBg, Outline, MarkBg string
	}
	eval(`(() => { const r = `+w2+`, cs = e => getComputedStyle(e);
		return {bodycolor: cs(document.body).color, hostli: cs(document.querySelector("#host-list li")).display,
			hostfont: cs(document.getElementById("host-text")).fontFamily,
			widgetcolor: cs(r.querySelector("input")).color, widgetinputbg: cs(r.querySelector("input")).backgroundColor,
			outline: cs(r.querySelector("input")).outlineColor, markbg: cs(r.querySelector("mark") || r.querySelector("input")).backgroundColor}; })()`, &look)
	if look.BodyColor != "rgb(1, 2, 3)" || look.HostLi != "none" || look.HostFont != "serif" {
		t.Errorf("host styles changed: body color %s, host li display %s, font %s", look.BodyColor, look.HostLi, look.HostFont)
	}
	if look.WidgetColor == "rgb(1, 2, 3)" || look.WidgetInputBg == "rgb(255, 0, 0)" || look.MarkBg == "rgb(0, 255, 0)" {
		t.Errorf("host styles leak into the widget: color %s, input background %s, mark %s", look.WidgetColor, look.WidgetInputBg, look.MarkBg)
	}
	if look.Outline != "rgb(122, 31, 162)" {
		t.Errorf("focus outline %s, want the host's --casebook-accent rgb(122, 31, 162)", look.Outline)
	}

	// Every request the page made after itself and its stylesheet went to casebook.
	var resources []struct{ Name, Initiator string }
	eval(`performance.getEntriesByType("resource").map(e => ({name: e.name, initiator: e.initiatorType}))`, &resources)
	searches := 0
	for _, r := range resources {
		if r.Name == host.URL+"/host.css" {
			continue
		}
		if !strings.HasPrefix(r.Name, cb.URL+"/") {
			t.Errorf("request to %s (%s) leaves the casebook origin", r.Name, r.Initiator)
			continue
		}
		if u, err := url.Parse(r.Name); err == nil && u.Path == "/api/v1/search" {
			searches++
			if q := u.Query(); q.Get("ui") == "de" && q.Get("city") != "Düsseldorf" {
				t.Errorf("w1 searched without its city: %s", r.Name)
			}
		}
	}
	if searches == 0 {
		t.Errorf("no search request among %v", resources)
	}

	var violations []string
	eval(`wdViolations`, &violations)
	if len(violations) != 0 {
		t.Errorf("CSP violations: %q", violations)
	}

	// axe-core on the host page with the widget open.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	serious, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => v.impact + " " + v.id + ": " + v.help + " at " + v.nodes.map(n => JSON.stringify(n.target)).join(", ")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	for _, v := range serious {
		t.Errorf("axe: %s", v)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("CASEBOOK_ARTEFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "widget.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)

	// The listener does see violations: a blocked image is reported.
	step("provoke a violation", chromedp.Evaluate[chromedp.Void](`document.body.append(Object.assign(document.createElement("img"), {src: "`+host.URL+`/x.png", alt: ""}))`))
	wait("the provoked violation", fmt.Sprintf(`wdViolations.length > %d`, len(violations)))
}

// wdUntil waits until cond holds on the server side.
func wdUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: gave up after 20s", what)
		}
	}
}

// wdClosed reports whether the widget in root has its list closed.
func wdClosed(t *testing.T, ctx context.Context, root string) bool {
	t.Helper()
	closed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](root+`.querySelector("[role=listbox]").hidden && `+root+`.querySelector("input").getAttribute("aria-expanded") === "false"`))
	if err != nil {
		t.Fatal(err)
	}
	return closed
}

// wdCities returns the distinct cities of the hits of an API search.
func wdCities(t *testing.T, target string) []string {
	t.Helper()
	res, err := http.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Hits []struct{ Cities []string } }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, h := range body.Hits {
		for _, c := range h.Cities {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}
