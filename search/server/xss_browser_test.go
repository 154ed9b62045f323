package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// xssTrap runs before any script of a page: it counts calls of alert (what
// every hostile payload calls), CSP violations, and elements or handler
// attributes a payload could have created anywhere, shadow roots included.
const xssTrap = `
	window.xssFired = [];
	window.alert = m => xssFired.push(String(m));
	window.xssViolations = [];
	document.addEventListener("securitypolicyviolation", e => xssViolations.push(e.violatedDirective + " " + e.blockedURI));
	window.xssFound = (own) => {
		const out = [];
		const visit = root => {
			for (const e of root.querySelectorAll("*")) {
				const tag = e.localName;
				if (["img", "svg", "iframe", "object", "embed", "b", "i"].includes(tag)) out.push("<" + tag + ">");
				if (tag === "script" && !own.includes(e.getAttribute("src"))) out.push("script " + e.getAttribute("src"));
				for (const a of e.attributes) {
					if (a.name.startsWith("on")) out.push(tag + " " + a.name);
					if ((a.name === "href" || a.name === "src") && /^\s*(javascript|data|vbscript):/i.test(a.value)) out.push(tag + " " + a.name + "=" + a.value);
				}
				if (e.shadowRoot) visit(e.shadowRoot);
			}
		};
		visit(document);
		return out;
	};
`

// TestXSSWidgetBrowser embeds the widget on another origin's page under a
// strict CSP, searches the hostile practices and chooses one: titles,
// snippets and city names show as text, no payload runs, no CSP violation
// happens, and the practice page the widget opens has no javascript: link.
func TestXSSWidgetBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t, "the widget with hostile practices")
	var cbURL string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; script-src %s; connect-src %s", cbURL, cbURL))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>
<body><casebook-search id="w" ui="en"></casebook-search><script src="%s/widget.js" defer></script></body></html>`, cbURL)
	}))
	t.Cleanup(host.Close)
	h, _ := xssHandler(t, host.URL)
	cb := httptest.NewServer(h)
	t.Cleanup(cb.Close)
	cbURL = cb.URL

	ctx := newBrowser(t, bin)
	_, wait, step := browserHelpers(t, ctx)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: xssTrap}); err != nil {
		t.Fatal(err)
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	const root = `document.getElementById("w").shadowRoot`
	step("open the host page", chromedp.Navigate(host.URL+"/"))
	wait("the widget", `!!document.getElementById("w").shadowRoot`)
	step("type", chromedp.Evaluate[chromedp.Void](root+`.querySelector("input").focus()`), chromedp.KeyEvent("hostile housing"))
	wait("two options", root+`.querySelectorAll("[role=option]").length === 2`)
	text := eval(root + `.querySelector("[role=listbox]").textContent`)
	for _, want := range []string{`<script>alert("title")</script>`, `<img src=x onerror=alert(1)>`, `<script>alert("city")</script>`, `Lyon" onmouseover="alert(4)`} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
			t.Errorf("widget options %q do not show %q as text", text, want)
		}
	}
	if found := eval(`JSON.stringify(xssFound(["` + cb.URL + `/widget.js"]))`); found != "[]" {
		t.Errorf("host page with the widget holds %s", found)
	}

	step("choose the first option", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	// The page navigates away: evaluation fails until the new document is there.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.href.startsWith("`+cb.URL+`/p/hostile-") && document.readyState === "complete"`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the widget did not open the practice page (err %v)", err)
		}
	}
	if found := eval(`JSON.stringify(xssFound([]))`); found != "[]" {
		t.Errorf("practice page %s holds %s", eval(`location.href`), found)
	}
	if fired := eval(`JSON.stringify([xssFired, xssViolations])`); fired != "[[],[]]" {
		t.Errorf("alerts and CSP violations on the practice page: %s", fired)
	}
	// The trap does see what it looks for.
	if found := eval(`document.body.append(document.createElement("b")), alert("self-check"), JSON.stringify([xssFound([]), xssFired])`); found != `[["<b>"],["self-check"]]` {
		t.Errorf("the trap missed an injected element or alert: %s", found)
	}
}

// xssAdminAPI answers the admin API with hostile source names, networks,
// job ids, errors and URLs, as a compromised history file or a hostile
// site's error text could carry them.
func xssAdminAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+adminToken {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error": {"code": "unauthorized", "message": "<img src=x onerror=alert('msg')>"}}`)
		return
	}
	job := `{"id": "<svg onload=alert(4)>", "status": "failed", "sources": ["<img src=x onerror=alert(5)>"], "full": false,
 "started_at": "2026-01-03T09:00:00Z", "finished_at": "javascript:alert(3)", "error": "<script>alert(6)</script>",
 "pages": {"fetched": 1, "added": 0, "updated": 0, "unchanged": 0, "removed": 0, "failed": 1, "skipped": 0},
 "errors": [{"url": "javascript:alert(7)", "error": "<img src=x onerror=alert(8)>"}],
 "reports": [{"source": "<b onclick=alert(9)>x</b>", "fetched": 1, "failed": 1, "ok": false, "errors": []}]}`
	switch strings.TrimPrefix(r.URL.Path, "/api/v1/admin") {
	case "/sources":
		io.WriteString(w, `{"sources": [{"name": "<img src=x onerror=alert(1)>", "network": "<script>alert(2)</script>", "documents": 3,
 "last_crawl": {"id": "<b>j</b>", "status": "<i>failed</i>", "finished_at": "javascript:alert(3)"}}]}`)
	case "/crawls":
		io.WriteString(w, `{"crawls": [`+job+`]}`)
	default:
		io.WriteString(w, job)
	}
}

// TestXSSAdminBrowser signs in to /admin against an admin API answering
// hostile strings: they show as text, no payload runs and no CSP
// violation happens.
func TestXSSAdminBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t, "/admin with hostile data")
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/admin/", xssAdminAPI)
	mux.Handle("/", handler)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx := newBrowser(t, bin)
	text, wait, step := browserHelpers(t, ctx)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: xssTrap}); err != nil {
		t.Fatal(err)
	}
	step("open /admin", chromedp.Navigate(srv.URL+"/admin?ui=en"), chromedp.WaitVisible(chromedp.CSS("#token")))
	step("wrong token", chromedp.SendKeys(chromedp.CSS("#token"), "wrong"), chromedp.Click(chromedp.CSS("#signin-form button")))
	// Wait for the refusal itself, not the "checking" message shown while
	// the request runs: the refusal clears the token field, and typing the
	// right token before it would lose part of it.
	wait("refusal", `document.getElementById("admin-status").textContent === "The token was refused."`)
	step("sign in", chromedp.SendKeys(chromedp.CSS("#token"), adminToken), chromedp.Click(chromedp.CSS("#signin-form button")))
	wait("sources and the job's errors", `document.querySelectorAll("#sources tbody tr").length === 1 && document.querySelectorAll("#errors tbody tr").length === 1`)
	for sel, want := range map[string]string{
		"#sources tbody": `<img src=x onerror=alert(1)>`,
		"#history tbody": `<svg onload=alert(4)>`,
		"#errors tbody":  `javascript:alert(7)`,
		"#job-error":     `<script>alert(6)</script>`,
	} {
		if got := text(sel); !strings.Contains(got, want) {
			t.Errorf("%s shows %q; want %q as text", sel, got, want)
		}
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([xssFound(["/static/admin.js"]), xssFired, xssViolations])`))
	if err != nil {
		t.Fatal(err)
	}
	if found != "[[],[],[]]" {
		t.Errorf("admin page: injected elements, alerts, CSP violations = %s", found)
	}
}
