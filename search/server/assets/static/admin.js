// casebook admin page: sign in with the admin token (kept in sessionStorage,
// sent only as "Authorization: Bearer"), list sources, start recrawls and
// follow them live (Server-Sent Events read through fetch, or polling every
// second), show the change report and the job history (CONTRACT §5).
// Text is only ever written with textContent.
(function () {
  "use strict";

  var TOKEN_KEY = "casebook.admin.token";
  var API = "/api/v1/admin";
  var COUNTERS = ["fetched", "added", "updated", "unchanged", "removed", "failed", "skipped"];

  var root = document.getElementById("admin");
  if (!root) return;
  var M = {};
  try { M = JSON.parse(root.getAttribute("data-messages") || "{}"); } catch (e) { M = {}; }
  var ui = root.getAttribute("data-ui") || "en";

  function t(key, arg) {
    var s = M[key] || key;
    return arg === undefined ? s : s.replace("%s", arg);
  }
  function $(id) { return document.getElementById(id); }
  function say(text) { $("admin-status").textContent = text || ""; }

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }
  function setToken(v) {
    try {
      if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* storage unavailable: the token lives in memory only */ }
    memToken = v;
  }
  var memToken = "";
  function currentToken() { return token() || memToken; }

  // api calls the admin API with the bearer token and resolves to
  // {status, body} (body parsed as JSON when possible).
  function api(method, path, body, signal) {
    var opts = {
      method: method,
      headers: { "Authorization": "Bearer " + currentToken(), "Accept": "application/json" },
      cache: "no-store",
      credentials: "omit",
      signal: signal
    };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(API + path, opts).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: res.status, body: data };
      });
    });
  }

  function errorText(r) {
    if (r.body && r.body.error && r.body.error.message) return r.body.error.message;
    return "HTTP " + r.status;
  }

  // authFailed handles 401/403/429 the same way everywhere: back to the
  // sign-in form with a message. It returns true when it did.
  function authFailed(r) {
    if (r.status === 401) { signOut(t("signin_wrong")); return true; }
    if (r.status === 403) { signOut(t("signin_disabled") + (r.body && r.body.error ? " (" + r.body.error.message + ")" : "")); return true; }
    if (r.status === 429) { say(t("rate_limited")); return true; }
    return false;
  }

  function fmtTime(v) {
    if (!v) return "";
    var d = new Date(v);
    if (isNaN(d.getTime()) || d.getFullYear() < 2) return "";
    try { return d.toLocaleString(ui); } catch (e) { return d.toISOString(); }
  }
  function statusLabel(s) { return s ? t("status_" + s) : ""; }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text === undefined || text === null ? "" : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function list(body, key) {
    if (Array.isArray(body)) return body;
    if (body && Array.isArray(body[key])) return body[key];
    return [];
  }
  function sourcesText(job) {
    var s = job.sources && job.sources.length ? job.sources.join(", ") : t("all_sources");
    return s;
  }

  // ---- sign in / out ----

  function signIn(v) {
    setToken(v);
    say(t("signin_checking"));
    return api("GET", "/sources").then(function (r) {
      if (authFailed(r)) return;
      if (r.status !== 200) { say(t("request_failed", errorText(r))); return; }
      $("signin").hidden = true;
      $("console").hidden = false;
      say(t("signin_ok"));
      renderSources(list(r.body, "sources"));
      return loadHistory(true);
    }, function () { say(t("signin_failed")); });
  }

  function signOut(message) {
    setToken("");
    stopFollowing();
    $("console").hidden = true;
    $("signin").hidden = false;
    $("token").value = "";
    say(message || t("signed_out"));
    $("token").focus();
  }

  // ---- sources ----

  function loadSources() {
    return api("GET", "/sources").then(function (r) {
      if (authFailed(r)) return;
      if (r.status === 200) renderSources(list(r.body, "sources"));
    }, function () {});
  }

  function renderSources(sources) {
    var tbody = $("sources").tBodies[0];
    tbody.textContent = "";
    if (!sources.length) {
      var tr = document.createElement("tr");
      var td = cell(tr, t("no_sources"));
      td.colSpan = 5;
      tbody.appendChild(tr);
      return;
    }
    sources.forEach(function (s) {
      var name = s.name || s.id || s.source || "";
      var tr = document.createElement("tr");
      tr.setAttribute("data-source", name);
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      tr.appendChild(th);
      cell(tr, s.network || "");
      var docs = s.documents !== undefined ? s.documents : (s.count !== undefined ? s.count : s.docs);
      cell(tr, docs === undefined ? "" : docs, "num");
      cell(tr, lastCrawlText(s.last_crawl || s.last_crawled || s.last_job));
      var td = document.createElement("td");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "crawl";
      b.textContent = t("recrawl");
      b.setAttribute("aria-label", t("recrawl_source", name));
      b.addEventListener("click", function () { startCrawl([name], false); });
      td.appendChild(b);
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
  }

  function lastCrawlText(v) {
    if (!v) return t("never");
    if (typeof v === "string") return fmtTime(v) || v;
    var when = fmtTime(v.finished_at || v.started_at || v.at);
    return [statusLabel(v.status), when].filter(Boolean).join(" · ") || t("never");
  }

  // ---- crawls ----

  function setBusy(busy) {
    var bs = document.querySelectorAll("button.crawl");
    for (var i = 0; i < bs.length; i++) bs[i].disabled = busy;
  }

  function startCrawl(sources, full) {
    var body = { full: !!full };
    if (sources && sources.length) body.sources = sources;
    setBusy(true);
    return api("POST", "/crawls", body).then(function (r) {
      if (authFailed(r)) { setBusy(false); return; }
      if (r.status === 409) {
        say(t("conflict"));
        return loadHistory(true);
      }
      if (r.status !== 202 && r.status !== 200) {
        setBusy(false);
        say(t("request_failed", errorText(r)));
        return;
      }
      say(t("started", r.body && r.body.id ? r.body.id : ""));
      var job = r.body || {};
      if (!job.sources) job.sources = body.sources || [];
      showJob(job);
      follow(job.id);
      loadHistory(false);
    }, function (e) { setBusy(false); say(t("request_failed", e.message)); });
  }

  function active(job) { return job && (job.status === "queued" || job.status === "running"); }

  // showJob renders a job: status, progress bar, counters and errors.
  function showJob(job) {
    if (!job || !job.id) return;
    shown = job.id;
    $("job").hidden = false;
    $("job-id").textContent = job.id;
    $("job-status").textContent = statusLabel(job.status);
    $("job-status").setAttribute("data-status", job.status || "");
    $("job-sources").textContent = sourcesText(job);
    $("job-mode").textContent = job.full ? t("full_suffix") : "";
    var pages = job.pages || {};
    COUNTERS.forEach(function (k) {
      var dd = document.querySelector('#counters [data-counter="' + k + '"]');
      if (dd && pages[k] !== undefined) dd.textContent = String(pages[k]);
    });
    // The bar counts finished sources; pages are not known ahead.
    var bar = $("job-bar");
    var nsrc = job.sources && job.sources.length;
    var done = job.sources_done;
    if (active(job)) {
      if (nsrc && typeof done === "number") { bar.max = nsrc; bar.value = Math.min(done, nsrc); }
      else { bar.removeAttribute("value"); } // indeterminate
    } else {
      bar.max = 1;
      bar.value = 1;
    }
    var cur = [];
    if (active(job) && job.current_source) cur.push(t("current_source", job.current_source));
    if (nsrc && typeof done === "number") cur.push(t("sources_done", done + "/" + nsrc));
    $("job-current").textContent = cur.join(" · ");
    $("job-error").textContent = job.error || "";
    $("job-error").hidden = !job.error;
    renderReports(Array.isArray(job.reports) ? job.reports : []);
    $("cancel").hidden = !active(job);
    var errs = Array.isArray(job.errors) ? job.errors : [];
    var tbody = $("errors").tBodies[0];
    tbody.textContent = "";
    errs.forEach(function (e) {
      var tr = document.createElement("tr");
      cell(tr, e.url || "", "url");
      cell(tr, e.error || "");
      tbody.appendChild(tr);
    });
    $("errors").hidden = errs.length === 0;
    $("no-errors").hidden = errs.length !== 0;
    setBusy(active(job));
  }

  // renderReports shows one row per finished source: its counts and
  // whether it was complete (only then were vanished practices removed).
  function renderReports(reports) {
    var tbody = $("reports").tBodies[0];
    tbody.textContent = "";
    reports.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-source", r.source || "");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = r.source || "";
      tr.appendChild(th);
      var state = !r.ok ? "source_failed" : (r.incomplete ? "source_incomplete" : "source_ok");
      cell(tr, t(state)).setAttribute("data-status", r.ok && !r.incomplete ? "succeeded" : "failed");
      ["fetched", "added", "updated", "unchanged", "removed", "failed"].forEach(function (k) {
        cell(tr, r[k] || 0, "num");
      });
      cell(tr, r.error || "");
      tbody.appendChild(tr);
    });
    $("reports").hidden = reports.length === 0;
  }

  var shown = "";       // id of the job on screen
  var following = null; // {id, abort, timer}

  function stopFollowing() {
    if (!following) return;
    if (following.abort) following.abort.abort();
    if (following.timer) clearTimeout(following.timer);
    following = null;
  }

  // follow tracks a job: Server-Sent Events through fetch (EventSource
  // cannot send the Authorization header), polling once a second when the
  // stream is unavailable or ends early.
  function follow(id) {
    if (!id) return;
    stopFollowing();
    var f = { id: id, abort: null, timer: null };
    following = f;
    if (!window.ReadableStream || !window.TextDecoder || !window.AbortController) { poll(f); return; }
    f.abort = new AbortController();
    fetch(API + "/crawls/" + encodeURIComponent(id) + "/events", {
      headers: { "Authorization": "Bearer " + currentToken(), "Accept": "text/event-stream" },
      cache: "no-store",
      credentials: "omit",
      signal: f.abort.signal
    }).then(function (res) {
      var ct = res.headers.get("Content-Type") || "";
      if (res.status === 401 || res.status === 403) { authFailed({ status: res.status, body: null }); return; }
      if (!res.ok || ct.indexOf("text/event-stream") !== 0 || !res.body) { poll(f); return; }
      $("job-mode").setAttribute("data-feed", "live");
      return readEvents(f, res.body.getReader());
    }).catch(function () {
      if (following === f) poll(f);
    });
  }

  function readEvents(f, reader) {
    var dec = new TextDecoder();
    var buf = "";
    var data = [];
    function dispatch() {
      if (!data.length) return;
      var text = data.join("\n");
      data = [];
      var v;
      try { v = JSON.parse(text); } catch (e) { return; }
      onUpdate(f, v);
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (following !== f) { reader.cancel(); return; }
        if (chunk.done) {
          dispatch();
          // The stream ended: fetch the final report (with every error).
          poll(f);
          return;
        }
        buf += dec.decode(chunk.value, { stream: true });
        var lines = buf.split(/\r\n|\r|\n/);
        buf = lines.pop();
        lines.forEach(function (line) {
          if (line === "") dispatch();
          else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
        });
        return pump();
      });
    }
    return pump();
  }

  // onUpdate merges an event's JSON into the job on screen. Events may
  // carry the whole job or only its counters.
  function onUpdate(f, v) {
    if (!v || typeof v !== "object") return;
    var job = v.job && typeof v.job === "object" ? v.job : v;
    if (!job.id) job.id = f.id;
    if (job.id !== f.id) return;
    if (!job.pages && (v.counts || v.progress)) job.pages = v.counts || v.progress;
    var prev = lastJob[f.id] || {};
    var merged = {};
    Object.keys(prev).forEach(function (k) { merged[k] = prev[k]; });
    Object.keys(job).forEach(function (k) { merged[k] = job[k]; });
    lastJob[f.id] = merged;
    showJob(merged);
    if (!active(merged) && merged.status) {
      finished(f);
    }
  }
  var lastJob = {};

  function poll(f) {
    if (following !== f) return;
    if (f.abort) { f.abort.abort(); f.abort = null; }
    $("job-mode").setAttribute("data-feed", "polling");
    api("GET", "/crawls/" + encodeURIComponent(f.id)).then(function (r) {
      if (following !== f) return;
      if (authFailed(r)) return;
      if (r.status === 200 && r.body) {
        lastJob[f.id] = r.body;
        showJob(r.body);
        if (!active(r.body)) { finished(f); return; }
      }
      f.timer = setTimeout(function () { poll(f); }, 1000);
    }, function () {
      if (following === f) f.timer = setTimeout(function () { poll(f); }, 1000);
    });
  }

  function finished(f) {
    if (following === f) following = null;
    if (f.abort) f.abort.abort();
    if (f.timer) clearTimeout(f.timer);
    // The last event may lack the full error list: read the job once more.
    api("GET", "/crawls/" + encodeURIComponent(f.id)).then(function (r) {
      if (r.status === 200 && r.body && shown === f.id) showJob(r.body);
    }, function () {});
    loadHistory(false);
    loadSources();
  }

  // ---- history ----

  function loadHistory(followActive) {
    return api("GET", "/crawls").then(function (r) {
      if (authFailed(r)) return;
      if (r.status !== 200) return;
      var jobs = list(r.body, "jobs");
      if (!jobs.length) jobs = list(r.body, "crawls");
      renderHistory(jobs);
      if (followActive) {
        var run = jobs.filter(active)[0];
        if (run) { showJob(run); if (!following || following.id !== run.id) follow(run.id); }
        else if (!shown && jobs.length) showJob(jobs[0]);
        else setBusy(false);
      }
    }, function () {});
  }

  function renderHistory(jobs) {
    var tbody = $("history").tBodies[0];
    tbody.textContent = "";
    if (!jobs.length) {
      var tr = document.createElement("tr");
      cell(tr, t("no_jobs")).colSpan = 6;
      tbody.appendChild(tr);
      return;
    }
    jobs.forEach(function (job) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-job", job.id);
      var td = document.createElement("td");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.textContent = job.id;
      b.title = t("details");
      b.addEventListener("click", function () {
        if (active(job)) { follow(job.id); }
        api("GET", "/crawls/" + encodeURIComponent(job.id)).then(function (r) {
          if (r.status === 200 && r.body) showJob(r.body);
        }, function () {});
      });
      td.appendChild(b);
      tr.appendChild(td);
      cell(tr, statusLabel(job.status)).setAttribute("data-status", job.status || "");
      cell(tr, sourcesText(job) + (job.full ? " " + t("full_suffix") : ""));
      cell(tr, fmtTime(job.started_at));
      cell(tr, fmtTime(job.finished_at));
      var p = job.pages || {};
      cell(tr, [p.added || 0, p.updated || 0, p.removed || 0, p.failed || 0].join(" / "), "num");
      tbody.appendChild(tr);
    });
  }

  // ---- wiring ----

  $("signin-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var v = $("token").value.trim();
    $("token").value = "";
    if (v) signIn(v);
  });
  $("signout").addEventListener("click", function () { signOut(); });
  $("recrawl-all").addEventListener("click", function () { startCrawl([], false); });
  $("recrawl-full").addEventListener("click", function () { startCrawl([], true); });
  $("cancel").addEventListener("click", function () {
    if (!shown) return;
    api("DELETE", "/crawls/" + encodeURIComponent(shown)).then(function (r) {
      if (authFailed(r)) return;
      say(r.status === 202 || r.status === 200 ? t("cancel_sent") : t("request_failed", errorText(r)));
    }, function (e) { say(t("request_failed", e.message)); });
  });

  if (token()) signIn(token());
})();
