// page.js enhances the server-rendered search page; without it every
// link and form still works. It fetches the page's own URLs (the server
// renders, localises and formats everything) and swaps the results and
// filters in place: search as you type (debounced, the previous request
// aborted), facet, sort and paging links without reload, and the address
// bar kept in sync so every state can be shared. Nothing is inserted as
// HTML except nodes parsed from our own origin's page.
(function () {
  "use strict";
  var form = document.querySelector("form.searchbox");
  var input = document.getElementById("q");
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!form || !input || !live || !window.fetch || !window.history || !window.DOMParser) {
    return;
  }
  var DELAY = 180;
  var timer = 0;
  var inflight = null;
  var seq = 0;

  // urlOf builds the page URL a GET form would submit, without empty fields.
  function urlOf(f) {
    var params = new URLSearchParams();
    new FormData(f).forEach(function (v, k) {
      if (typeof v === "string" && v.trim() !== "") {
        params.append(k, v.trim());
      }
    });
    var qs = params.toString();
    return "/" + (qs ? "?" + qs : "");
  }

  // sameOrigin reports whether a link points at the search page itself.
  function searchLink(a) {
    if (!a || !a.href || a.target || a.hasAttribute("download")) {
      return false;
    }
    var u = new URL(a.href, location.href);
    return u.origin === location.origin && u.pathname === "/";
  }

  // load fetches url, swaps the page parts and updates history by mode:
  // "push", "replace" or "none" (popstate). focusKey says what gets the
  // focus afterwards: "input" (keep it), a facet key or "results".
  function load(url, mode, focusKey) {
    if (inflight) {
      inflight.abort();
    }
    var ctl = new AbortController();
    inflight = ctl;
    var mine = ++seq;
    live.setAttribute("aria-busy", "true");
    return fetch(url, { signal: ctl.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (res) {
        return res.text();
      })
      .then(function (text) {
        if (mine !== seq) {
          return;
        }
        var doc = new DOMParser().parseFromString(text, "text/html");
        var next = doc.getElementById("live");
        if (!next) {
          throw new Error("no results in answer");
        }
        swap(doc, next);
        if (mode === "push") {
          history.pushState({ casebook: url }, "", url);
        } else if (mode === "replace") {
          history.replaceState({ casebook: url }, "", url);
        }
        afterSwap(focusKey);
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") {
          return;
        }
        // Anything unexpected: let the browser load the page itself.
        location.assign(url);
      })
      .finally(function () {
        if (mine === seq) {
          inflight = null;
          live.removeAttribute("aria-busy");
        }
      });
  }

  // swap replaces the results and filters, the search form's hidden
  // fields, the language switcher and the title with the fetched page's.
  function swap(doc, next) {
    live.replaceChildren.apply(live, Array.prototype.map.call(next.childNodes, function (n) {
      return document.importNode(n, true);
    }));
    var nextForm = doc.querySelector("form.searchbox");
    if (nextForm) {
      form.querySelectorAll("input[type=hidden]").forEach(function (h) {
        h.remove();
      });
      var button = form.querySelector("button");
      nextForm.querySelectorAll("input[type=hidden]").forEach(function (h) {
        button.parentNode.insertBefore(document.importNode(h, true), button);
      });
    }
    var sw = document.querySelector(".switcher");
    var nextSw = doc.querySelector(".switcher");
    if (sw && nextSw) {
      sw.replaceWith(document.importNode(nextSw, true));
    }
    if (doc.title) {
      document.title = doc.title;
    }
  }

  function afterSwap(focusKey) {
    var total = document.getElementById("results-title");
    var err = live.querySelector(".error");
    status.textContent = err ? err.textContent : total ? total.textContent : "";
    if (focusKey === "input") {
      return;
    }
    var target = null;
    if (focusKey && focusKey.facet) {
      live.querySelectorAll("li[data-facet]").forEach(function (li) {
        if (li.dataset.facet === focusKey.facet && li.dataset.value === focusKey.value) {
          target = li.querySelector("a");
        }
      });
    }
    if (!target && focusKey === "clear") {
      target = live.querySelector("#filters-title");
      if (target) {
        target.setAttribute("tabindex", "-1");
      }
    }
    (target || total || input).focus();
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      load(urlOf(form), "replace", "input");
    }, DELAY);
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    load(urlOf(form), "push", "input");
  });

  live.addEventListener("submit", function (e) {
    var f = e.target;
    if (!(f instanceof HTMLFormElement) || f.method.toLowerCase() !== "get") {
      return;
    }
    e.preventDefault();
    // The year form keeps what the visitor typed in the search box.
    var url = new URL(urlOf(f), location.href);
    if (input.value.trim() !== "") {
      url.searchParams.set("q", input.value.trim());
    } else {
      url.searchParams.delete("q");
    }
    load(url.pathname + url.search, "push", "results");
  });

  live.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    var a = e.target.closest("a");
    if (!searchLink(a)) {
      return;
    }
    e.preventDefault();
    var u = new URL(a.href, location.href);
    var li = a.closest("li[data-facet]");
    var focusKey = li ? { facet: li.dataset.facet, value: li.dataset.value } : a.classList.contains("clear") ? "clear" : "results";
    input.value = u.searchParams.get("q") || "";
    load(u.pathname + u.search, "push", focusKey);
  });

  document.documentElement.setAttribute("data-enhanced", "true");

  window.addEventListener("popstate", function () {
    input.value = new URLSearchParams(location.search).get("q") || "";
    load(location.pathname + location.search, "none", "results");
  });
})();
