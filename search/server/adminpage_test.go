package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

// TestAdminPage checks the served /admin page in each interface language:
// labels, a script loaded from our origin only, a CSP without inline
// script, and a token field that a form could never put into a URL.
func TestAdminPage(t *testing.T) {
	tests := []struct {
		ui, accept string
		want       []string
		script     map[string]string // keys of data-messages for admin.js
	}{
		{"en", "", []string{`<html lang="en">`, `<h1>Administration</h1>`, `Recrawl all sources`, `Full rebuild`, `>Admin token</label>`, `<h2 id="history-title">History</h2>`, `>Fetched</dt>`, `>Unchanged</dt>`},
			map[string]string{"recrawl": "Recrawl", "status_running": "running", "signin_disabled": "Administration is disabled on this server: no admin token is configured."}},
		{"fr", "", []string{`<html lang="fr">`, `Explorer toutes les sources`, `Reconstruction complète`, `>Jeton d&#39;administration</label>`, `<h2 id="history-title">Historique</h2>`, `>Récupérées</dt>`, `Rapport des changements`},
			map[string]string{"recrawl": "Explorer à nouveau", "status_running": "en cours", "status_canceled": "annulée"}},
		{"", "de-CH,de;q=0.9", []string{`<html lang="de">`, `<h1>Verwaltung</h1>`, `Alle Quellen neu crawlen`, `Vollständiger Neuaufbau`, `>Admin-Token</label>`, `<h2 id="history-title">Verlauf</h2>`, `>Abgerufen</dt>`, `Änderungsbericht`},
			map[string]string{"recrawl": "Neu crawlen", "status_succeeded": "erfolgreich", "conflict": "Es läuft bereits ein Crawl; er wird hier verfolgt."}},
	}
	for _, tt := range tests {
		t.Run(tt.ui+tt.accept, func(t *testing.T) {
			target := "/admin"
			if tt.ui != "" {
				target += "?ui=" + tt.ui
			}
			rec := get(t, target, "Accept-Language", tt.accept)
			body := rec.Body.String()
			if got := rec.Code; got != http.StatusOK {
				t.Fatalf("GET %s: status %d", target, got)
			}
			if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			for _, want := range []string{"script-src 'self'", "connect-src 'self'", "default-src 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
				t.Errorf("CSP %q allows inline code or another origin", csp)
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			checkAdminDOM(t, doc)
			msgs := scriptMessages(t, doc)
			for k, want := range tt.script {
				if got := msgs[k]; got != want {
					t.Errorf("data-messages[%q] = %q, want %q", k, got, want)
				}
			}
			for k, v := range msgs {
				if v == "" {
					t.Errorf("data-messages[%q] is empty", k)
				}
			}
		})
	}
}

// checkAdminDOM walks the page: every script comes from /static, no
// element has an inline event handler, no link or resource points to
// another origin, and the token input has no name (a form submission can
// never carry it) and is a password field.
func checkAdminDOM(t *testing.T, doc *html.Node) {
	t.Helper()
	scripts, tokenInputs := 0, 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s> has inline handler %s", n.Data, a.Key)
				}
				if (a.Key == "src" || a.Key == "href" || a.Key == "action") && (strings.Contains(a.Val, "//") || strings.HasPrefix(a.Val, "javascript:")) {
					t.Errorf("<%s %s=%q> leaves the origin", n.Data, a.Key, a.Val)
				}
			}
			switch n.Data {
			case "script":
				scripts++
				if attrs["src"] != "/static/admin.js" {
					t.Errorf("script src %q, want /static/admin.js", attrs["src"])
				}
				if n.FirstChild != nil {
					t.Errorf("script element has inline content %q", n.FirstChild.Data)
				}
			case "input":
				if attrs["id"] == "token" {
					tokenInputs++
					if attrs["type"] != "password" {
						t.Errorf("token input type %q, want password", attrs["type"])
					}
					if _, named := attrs["name"]; named {
						t.Errorf("token input has a name: a form submission would send it")
					}
					if v := attrs["value"]; v != "" {
						t.Errorf("token input is prefilled with %q", v)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != 1 || tokenInputs != 1 {
		t.Errorf("page has %d scripts and %d token inputs, want 1 and 1", scripts, tokenInputs)
	}
}

// scriptMessages returns the data-messages JSON of the admin root element.
func scriptMessages(t *testing.T, doc *html.Node) map[string]string {
	t.Helper()
	var raw string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "data-messages" {
				raw = a.Val
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var m map[string]string
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("data-messages %q: %v", raw, err)
	}
	if len(m) < 20 {
		t.Fatalf("data-messages has %d keys", len(m))
	}
	return m
}

// TestAdminScript checks the served admin.js: it sends the bearer header,
// keeps the token in sessionStorage, writes no HTML and never builds a URL
// holding the token or pointing elsewhere.
func TestAdminScript(t *testing.T) {
	for _, name := range []string{"admin.js", "admin.css"} {
		rec := get(t, "/static/"+name)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /static/%s: status %d", name, rec.Code)
		}
	}
	rec := get(t, "/static/admin.js")
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("admin.js Content-Type %q", ct)
	}
	js := rec.Body.String()
	for _, want := range []string{`"Authorization": "Bearer " + currentToken()`, "sessionStorage.setItem(TOKEN_KEY", "text/event-stream", `"/api/v1/admin"`, `"/crawls"`, `"/sources"`} {
		if !strings.Contains(js, want) {
			t.Errorf("admin.js lacks %q", want)
		}
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new EventSource", "localStorage", "token=", "http://", "https://"} {
		if strings.Contains(js, bad) {
			t.Errorf("admin.js contains %q", bad)
		}
	}
}

// fakeAdmin imitates the admin API of CONTRACT §5 for the browser test:
// one source crawl that reports progress over Server-Sent Events. The
// stream pauses after its first event until release is closed, so the
// test sees the counters at one value and then at another.
type fakeAdmin struct {
	token    string
	release  chan struct{}
	noEvents bool // no Server-Sent Events: the page must poll
	conflict bool // a crawl already runs: POST answers 409

	mu      sync.Mutex
	paths   []string // every request URI, to prove the token never travels in one
	posted  []map[string]any
	auths   []string
	started bool
}

var fakeSources = `{"sources": [
 {"name": "icc", "network": "Intercultural Cities", "documents": 12, "last_crawl": null},
 {"name": "oive", "network": "OIVE", "documents": 7, "last_crawl": {"id": "j0", "status": "succeeded", "finished_at": "2026-01-02T10:00:00Z"}}]}`

// fakeJob is a job in the shape the admin API answers (recrawl.Job).
func fakeJob(status string, fetched, added, updated int, errs string) string {
	done, finished, current, reports := 0, "", "icc", ""
	failed := strings.Count(errs, `"url"`)
	if status == "succeeded" {
		done, finished, current = 1, "2026-01-03T09:01:00Z", ""
		reports = fmt.Sprintf(`{"source": "icc", "fetched": %d, "added": %d, "updated": %d, "unchanged": 2, "removed": 0, "failed": %d, "skipped": 0, "ok": true, "errors": [%s]}`,
			fetched, added, updated, failed, errs)
	}
	return fmt.Sprintf(`{"id": "j1", "status": %q, "sources": ["icc"], "full": false, "trigger": "api",
 "started_at": "2026-01-03T09:00:00Z", "finished_at": %q, "current_source": %q, "sources_done": %d,
 "pages": {"fetched": %d, "added": %d, "updated": %d, "unchanged": 0, "removed": 0, "failed": %d, "skipped": 0},
 "errors": [%s], "reports": [%s]}`, status, finished, current, done, fetched, added, updated, failed, errs, reports)
}

const fakeError = `{"url": "http://icc.test/broken", "error": "HTTP 500"}`

func (f *fakeAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.paths = append(f.paths, r.URL.RequestURI())
	f.auths = append(f.auths, r.Header.Get("Authorization"))
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error": {"code": "unauthorized", "message": "missing or wrong token"}}`)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/admin")
	switch {
	case r.Method == http.MethodGet && path == "/sources":
		io.WriteString(w, fakeSources)
	case r.Method == http.MethodPost && path == "/crawls":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error": {"code": "invalid_body", "message": "bad JSON"}}`)
			return
		}
		f.mu.Lock()
		f.posted = append(f.posted, body)
		f.started = true
		f.mu.Unlock()
		if f.conflict {
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"error": {"code": "conflict", "message": "a crawl is running"}}`)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"id": "j1", "status": "queued"}`)
	case r.Method == http.MethodGet && path == "/crawls":
		f.mu.Lock()
		started := f.started
		f.mu.Unlock()
		if !started {
			io.WriteString(w, `{"jobs": []}`)
			return
		}
		select {
		case <-f.release:
			io.WriteString(w, `{"jobs": [`+fakeJob("succeeded", 9, 4, 2, fakeError)+`]}`)
		default:
			io.WriteString(w, `{"jobs": [`+fakeJob("running", 1, 1, 0, "")+`]}`)
		}
	case r.Method == http.MethodGet && path == "/crawls/j1":
		select {
		case <-f.release:
			io.WriteString(w, fakeJob("succeeded", 9, 4, 2, fakeError))
		default:
			io.WriteString(w, fakeJob("running", 1, 1, 0, ""))
		}
	case r.Method == http.MethodGet && path == "/crawls/j1/events" && !f.noEvents:
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-store")
		fl := w.(http.Flusher)
		fmt.Fprintf(w, "event: progress\ndata: %s\n\n", strings.ReplaceAll(fakeJob("running", 1, 1, 0, ""), "\n", ""))
		fl.Flush()
		select {
		case <-f.release:
		case <-r.Context().Done():
			return
		}
		fmt.Fprintf(w, "event: progress\ndata: %s\n\n", strings.ReplaceAll(fakeJob("running", 5, 2, 1, ""), "\n", ""))
		fmt.Fprintf(w, "event: done\ndata: %s\n\n", strings.ReplaceAll(fakeJob("succeeded", 9, 4, 2, fakeError), "\n", ""))
		fl.Flush()
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error": {"code": "not_found", "message": "not found"}}`)
	}
}

// chromium finds a Chromium or Chrome binary; the browser test skips
// without one, except on CI (CI=true) where it must run.
func chromium(t *testing.T, what string) string {
	t.Helper()
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	switch v := os.Getenv("CASEBOOK_CHROMIUM"); v {
	case "":
	case "none": // pretend this machine has no browser
		candidates = nil
	default:
		candidates = []string{v}
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("Chromium is not installed; CI=true requires the browser test of %s (apt-get install chromium)", what)
	}
	t.Skipf("Chromium is not installed (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome; or set CASEBOOK_CHROMIUM): skipping the browser test of %s", what)
	return ""
}

// TestAdminPageBrowser drives /admin in headless Chromium: a wrong token
// is refused, the right one signs in (kept in sessionStorage, never in a
// URL), the sources table fills, Recrawl on one source posts the right
// body, the counters move live and the change report lists the error.
//
// Two runs: live over Server-Sent Events, and by polling after the
// server answered 409 because a crawl was already running.
func TestAdminPageBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t, "/admin")
	t.Run("sse", func(t *testing.T) {
		adminBrowser(t, bin, &fakeAdmin{token: "s3cret-admin-token", release: make(chan struct{})}, "live")
	})
	t.Run("polling-409", func(t *testing.T) {
		adminBrowser(t, bin, &fakeAdmin{token: "s3cret-admin-token", release: make(chan struct{}), noEvents: true, conflict: true}, "polling")
	})
}

func adminBrowser(t *testing.T, bin string, api *fakeAdmin, feed string) {
	mux := http.NewServeMux()
	mux.Handle("/api/v1/admin/", api)
	mux.Handle("/", handler)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close) // after the browser's cleanup: its streams end first
	releaseOnce := sync.OnceFunc(func() { close(api.release) })
	t.Cleanup(releaseOnce)

	ctx := newBrowser(t, bin)
	text, wait, step := browserHelpers(t, ctx)

	step("open /admin", chromedp.Navigate(srv.URL+"/admin?ui=en"), chromedp.WaitVisible(chromedp.CSS("#token")))

	// A wrong token is refused and not kept.
	step("wrong token", chromedp.SendKeys(chromedp.CSS("#token"), "wrong"), chromedp.Click(chromedp.CSS("#signin-form button")))
	wait("refusal", `document.getElementById("admin-status").textContent === "The token was refused."`)
	if kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`sessionStorage.getItem("casebook.admin.token") !== null`)); err != nil || kept {
		t.Errorf("a refused token stays in sessionStorage (kept=%v, err=%v)", kept, err)
	}

	// The right token signs in and fills the sources table.
	step("right token", chromedp.SendKeys(chromedp.CSS("#token"), api.token), chromedp.Click(chromedp.CSS("#signin-form button")))
	wait("sources table", `document.querySelectorAll("#sources tbody tr[data-source]").length === 2`)
	if got, want := text(`#sources tr[data-source="icc"] td.num`), "12"; got != want {
		t.Errorf("icc documents %q, want %q", got, want)
	}
	if got := text(`#sources tr[data-source="icc"]`); !strings.Contains(got, "never") || !strings.Contains(got, "Intercultural Cities") {
		t.Errorf("icc row %q lacks network or 'never'", got)
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("casebook.admin.token")`))
	if err != nil || stored != api.token {
		t.Errorf("sessionStorage token %q (err %v), want the signed-in token", stored, err)
	}
	if got := text("#history tbody"); got != "No crawl yet." {
		t.Errorf("history %q, want the empty message", got)
	}

	// Recrawl one source: counters show the first event, then move.
	step("recrawl icc", chromedp.Click(chromedp.CSS(`#sources tr[data-source="icc"] button`)))
	wait("first progress event", `document.querySelector('#counters [data-counter="fetched"]').textContent === "1" && document.getElementById("job-status").dataset.status === "running"`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("job-mode").dataset.feed === "`+feed+`"`)); err != nil {
		t.Errorf("progress not followed by %s: %v", feed, err)
	}
	if api.conflict {
		if got, want := text("#admin-status"), "A crawl is already running; following it."; got != want {
			t.Errorf("status after 409 %q, want %q", got, want)
		}
	}
	bar, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[document.getElementById("job-bar").max, document.getElementById("job-bar").value]`))
	if err != nil || len(bar) != 2 || bar[0] != 1 || bar[1] != 0 {
		t.Errorf("progress bar max/value %v (err %v), want [1 0]: one source, none done", bar, err)
	}
	if got, want := text("#job-current"), "Crawling icc… · 0/1 sources done"; got != want {
		t.Errorf("job progress line %q, want %q", got, want)
	}
	if got := text("#job-sources"); got != "icc" {
		t.Errorf("job sources %q, want icc", got)
	}
	busy, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("recrawl-all").disabled`))
	if err != nil || !busy {
		t.Errorf("Recrawl all is enabled while a crawl runs (err %v)", err)
	}
	releaseOnce()
	wait("finished job", `document.querySelector('#counters [data-counter="fetched"]').textContent === "9" && document.getElementById("job-status").dataset.status === "succeeded"`)
	for counter, want := range map[string]string{"added": "4", "updated": "2", "failed": "1"} {
		if got := text(`#counters [data-counter="` + counter + `"]`); got != want {
			t.Errorf("counter %s = %q, want %q", counter, got, want)
		}
	}
	wait("error report", `document.querySelectorAll("#errors tbody tr").length === 1 && !document.getElementById("errors").hidden`)
	if got := text("#errors tbody"); !strings.Contains(got, "http://icc.test/broken") || !strings.Contains(got, "HTTP 500") {
		t.Errorf("error report %q lacks the failed URL and its error", got)
	}
	if got := text(`#reports tr[data-source="icc"]`); !strings.Contains(got, "complete") || !strings.Contains(got, "9") {
		t.Errorf("per-source report %q, want icc complete with 9 fetched", got)
	}
	wait("history row", `document.querySelector('#history tr[data-job="j1"] [data-status="succeeded"]') !== null`)
	if got := text(`#history tr[data-job="j1"]`); !strings.Contains(got, "4 / 2 / 0 / 1") || !strings.Contains(got, "succeeded") {
		t.Errorf("history row %q", got)
	}
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil || strings.Contains(loc, api.token) {
		t.Errorf("page URL %q holds the token (err %v)", loc, err)
	}

	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.posted) != 1 {
		t.Fatalf("%d crawl requests, want 1", len(api.posted))
	}
	if got, ok := api.posted[0]["sources"].([]any); !ok || len(got) != 1 || got[0] != "icc" || api.posted[0]["full"] != false {
		t.Errorf("crawl request body %v, want sources [icc], full false", api.posted[0])
	}
	for i, p := range api.paths {
		if strings.Contains(p, api.token) || strings.Contains(p, "wrong") {
			t.Errorf("request URI %q carries a token", p)
		}
		if a := api.auths[i]; !strings.HasPrefix(a, "Bearer ") {
			t.Errorf("request %s without bearer header (%q)", p, a)
		}
	}
}

// newBrowser starts headless Chromium with a fresh profile for one test.
func newBrowser(t *testing.T, bin string) context.Context {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	return ctx
}

// browserHelpers returns text (of a CSS selector), wait (until a JS
// expression is true) and step (run actions), each failing the test.
func browserHelpers(t *testing.T, ctx context.Context) (
	text func(sel string) string,
	wait func(what, expr string),
	step func(what string, steps ...chromedp.Action[chromedp.Void]),
) {
	text = func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	wait = func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
	}
	step = func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	return text, wait, step
}

// TestAdminPageBrowserLive drives /admin (in German) against the real
// admin API and recrawl.Runner crawling demo sites: sign in, Recrawl one
// source, see the counters move while the site is held mid-crawl, cancel,
// and find the canceled job in the history.
func TestAdminPageBrowserLive(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t, "/admin")
	const token = "page-live-token"
	f := newAdmFixture(t, token)
	f.gate.ShutAfter(8) // the demo sites answer 8 requests, then hold the crawl
	ctx := newBrowser(t, bin)
	text, wait, step := browserHelpers(t, ctx)

	step("open /admin", chromedp.Navigate(f.url+"/admin?ui=de"), chromedp.WaitVisible(chromedp.CSS("#token")))
	step("sign in", chromedp.SendKeys(chromedp.CSS("#token"), token), chromedp.Click(chromedp.CSS("#signin-form button")))
	wait("sources", `document.querySelector('#sources tr[data-source="icc"]') !== null && document.querySelector('#sources tr[data-source="oive"]') !== null`)
	if got := text(`#sources tr[data-source="icc"]`); !strings.Contains(got, "nie") {
		t.Errorf("icc row %q does not say it was never crawled", got)
	}
	step("recrawl icc", chromedp.Click(chromedp.CSS(`#sources tr[data-source="icc"] button`)))
	wait("counters moving", `Number(document.querySelector('#counters [data-counter="fetched"]').textContent) > 0 && document.getElementById("job-status").dataset.status === "running"`)
	if got := text("#job-status"); got != "läuft" {
		t.Errorf("job status %q, want läuft", got)
	}
	<-f.gate.Blocked() // the crawl is held mid-way
	step("cancel", chromedp.Click(chromedp.CSS("#cancel")))
	wait("canceled", `document.getElementById("job-status").dataset.status === "canceled"`)
	if got := text("#job-status"); got != "abgebrochen" {
		t.Errorf("job status %q, want abgebrochen", got)
	}
	wait("history", `document.querySelector('#history tbody [data-status="canceled"]') !== null`)
	enabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("recrawl-all").disabled`))
	if err != nil || !enabled {
		t.Errorf("Recrawl buttons stay disabled after the crawl ended (err %v)", err)
	}
}
