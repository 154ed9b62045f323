/*! casebook widget: <casebook-search>, CONTRACT §6.
 * A custom element with Shadow DOM and no framework. It talks only to its
 * own origin's API, works under a strict host CSP (no inline script or
 * style: its stylesheet is a constructed CSSStyleSheet), implements the
 * WAI-ARIA combobox pattern and is themed by CSS custom properties:
 * --casebook-accent, --casebook-font, --casebook-radius, --casebook-bg,
 * --casebook-fg. */
(() => {
  "use strict";
  if (!window.customElements || customElements.get("casebook-search")) return;

  // The origin widget.js came from: the default endpoint. currentScript is
  // only set while this file first runs, so it is read now.
  const script = document.currentScript;
  const ORIGIN = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const FILTERS = ["lang", "city", "country", "theme", "network"];
  const DEBOUNCE_MS = 150;

  const MSG = {
    en: {
      label: "Search good practices",
      placeholder: "Search practices…",
      results: "Results",
      count: (n) => (n === 1 ? "1 result" : n + " results"),
      none: "No practice found.",
      error: "Search is unavailable right now.",
      hint: "Use the up and down arrows to browse, Enter to open.",
    },
    fr: {
      label: "Rechercher des bonnes pratiques",
      placeholder: "Rechercher des pratiques…",
      results: "Résultats",
      count: (n) => (n <= 1 ? n + " résultat" : n + " résultats"),
      none: "Aucune pratique trouvée.",
      error: "La recherche est indisponible pour le moment.",
      hint: "Flèches haut et bas pour parcourir, Entrée pour ouvrir.",
    },
    de: {
      label: "Gute Praxisbeispiele suchen",
      placeholder: "Praxisbeispiele suchen…",
      results: "Ergebnisse",
      count: (n) => (n === 1 ? "1 Ergebnis" : n + " Ergebnisse"),
      none: "Kein Praxisbeispiel gefunden.",
      error: "Die Suche ist gerade nicht erreichbar.",
      hint: "Mit den Pfeiltasten blättern, mit Enter öffnen.",
    },
  };

  const CSS = `
:host{all:initial;display:block;position:relative;box-sizing:border-box;
 font-family:var(--casebook-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
 font-size:16px;line-height:1.4;color:var(--casebook-fg,#1c1c21);
 --cb-accent:var(--casebook-accent,#0b57d0);--cb-radius:var(--casebook-radius,6px);--cb-bg:var(--casebook-bg,#fff)}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:inherit}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
input{display:block;width:100%;margin:0;padding:.6em .8em;font:inherit;color:inherit;background:var(--cb-bg);
 border:1px solid #6b6b76;border-radius:var(--cb-radius);appearance:none}
input:focus{outline:3px solid var(--cb-accent);outline-offset:1px}
ul{position:absolute;left:0;right:0;z-index:2147483000;margin:.3em 0 0;padding:.3em;list-style:none;
 max-height:28em;overflow-y:auto;color:inherit;background:var(--cb-bg);border:1px solid #6b6b76;
 border-radius:var(--cb-radius);box-shadow:0 8px 24px rgba(0,0,0,.18)}
ul[hidden],.msg[hidden]{display:none}
li{display:block;margin:0;padding:.55em .65em;border-radius:calc(var(--cb-radius) - 2px);cursor:pointer}
li+li{border-top:1px solid #e4e4ea}
li:hover{background:#f3f4f8}
li[aria-selected="true"]{background:#eef2fb;outline:2px solid var(--cb-accent);outline-offset:-2px}
.t{display:block;font-weight:600}
.m{display:block;margin-top:.15em;font-size:.85em;color:#4a4a55}
.s{display:block;margin-top:.2em;font-size:.9em}
.b{display:inline-block;margin-left:.4em;padding:0 .35em;font-size:.8em;font-weight:600;letter-spacing:.03em;
 border:1px solid currentColor;border-radius:3px}
mark{color:inherit;background:#fde68a;border-radius:2px}
.msg{position:absolute;left:0;right:0;z-index:2147483000;margin:.3em 0 0;padding:.6em .8em;color:#4a4a55;
 background:var(--cb-bg);border:1px solid #6b6b76;border-radius:var(--cb-radius)}
`;
  let sheet = null;
  function styles() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    return sheet;
  }

  function el(name, cls, text) {
    const e = document.createElement(name);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // marked copies the text and <mark> elements of an API *_html field
  // into a fragment. The string is parsed in an inert document and only
  // text nodes are created from it, so nothing else can get through.
  function marked(html) {
    const frag = document.createDocumentFragment();
    const body = new DOMParser().parseFromString("<!doctype html><body>" + (html || ""), "text/html").body;
    (function copy(from, to) {
      for (const n of from.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) to.append(n.data);
        else if (n.nodeType === Node.ELEMENT_NODE) {
          if (n.localName === "mark") to.append(el("mark", null, n.textContent));
          else copy(n, to);
        }
      }
    })(body, frag);
    return frag;
  }

  function uiLang(v) {
    v = (v || "").toLowerCase().slice(0, 2);
    if (MSG[v]) return v;
    const nav = (navigator.language || "").toLowerCase().slice(0, 2);
    return MSG[nav] ? nav : "en";
  }

  function displayName(ui, type, code) {
    try {
      return new Intl.DisplayNames([ui], { type }).of(code) || code;
    } catch (e) {
      return code;
    }
  }

  let seq = 0;

  class CasebookSearch extends HTMLElement {
    static get observedAttributes() {
      return ["ui", "placeholder", "endpoint", "size"].concat(FILTERS);
    }

    constructor() {
      super();
      const id = "cb" + ++seq + "-";
      const root = this.attachShadow({ mode: "open" });
      root.adoptedStyleSheets = [styles()];
      this._wrap = el("div");
      this._label = el("label", "vh");
      this._label.htmlFor = id + "q";
      this._input = el("input");
      Object.assign(this._input, { id: id + "q", type: "text", autocomplete: "off", spellcheck: false });
      this._input.setAttribute("role", "combobox");
      this._input.setAttribute("aria-autocomplete", "list");
      this._input.setAttribute("aria-expanded", "false");
      this._input.setAttribute("aria-controls", id + "lb");
      this._input.setAttribute("aria-describedby", id + "hint");
      this._hint = el("span", "vh");
      this._hint.id = id + "hint";
      this._status = el("div", "vh");
      this._status.setAttribute("role", "status");
      this._list = el("ul");
      this._list.id = id + "lb";
      this._list.setAttribute("role", "listbox");
      this._list.hidden = true;
      // Shown instead of the listbox when there is no hit (a listbox holds options only).
      this._msg = el("div", "msg");
      this._msg.setAttribute("aria-hidden", "true");
      this._msg.hidden = true;
      this._wrap.append(this._label, this._input, this._hint, this._status, this._list, this._msg);
      root.append(this._wrap);

      this._id = id;
      this._hits = [];
      this._active = -1;
      this._timer = 0;
      this._ctrl = null;
      this._query = "";

      this._input.addEventListener("input", () => this._schedule());
      this._input.addEventListener("keydown", (e) => this._key(e));
      this._input.addEventListener("blur", () => this._close());
      // Keep focus in the input while an option is clicked.
      this._list.addEventListener("mousedown", (e) => e.preventDefault());
      this._list.addEventListener("click", (e) => {
        const li = e.target.closest("li[role=option]");
        if (li) this._choose(Number(li.dataset.i));
      });
    }

    connectedCallback() {
      this._strings();
    }

    disconnectedCallback() {
      clearTimeout(this._timer);
      if (this._ctrl) this._ctrl.abort();
    }

    attributeChangedCallback(name) {
      if (!this.isConnected) return;
      this._strings();
      if (name !== "ui" && name !== "placeholder" && this._query) this._search(this._query);
    }

    get endpoint() {
      const e = (this.getAttribute("endpoint") || "").trim();
      return (e || ORIGIN).replace(/\/+$/, "");
    }

    _strings() {
      const ui = uiLang(this.getAttribute("ui"));
      const m = MSG[ui];
      this._ui = ui;
      this._wrap.lang = ui;
      this._label.textContent = m.label;
      this._hint.textContent = m.hint;
      this._input.placeholder = this.getAttribute("placeholder") || m.placeholder;
      this._list.setAttribute("aria-label", m.results);
    }

    _schedule() {
      clearTimeout(this._timer);
      const q = this._input.value.trim();
      if (!q) {
        this._query = "";
        if (this._ctrl) this._ctrl.abort();
        this._render([], null);
        return;
      }
      this._timer = setTimeout(() => this._search(q), DEBOUNCE_MS);
    }

    _url(q) {
      const p = new URLSearchParams();
      p.set("q", q);
      p.set("ui", this._ui);
      const size = parseInt(this.getAttribute("size"), 10);
      p.set("size", String(size >= 1 && size <= 100 ? size : 5));
      for (const f of FILTERS) {
        for (const v of (this.getAttribute(f) || "").split(",")) {
          if (v.trim()) p.append(f, v.trim());
        }
      }
      return this.endpoint + "/api/v1/search?" + p;
    }

    async _search(q) {
      clearTimeout(this._timer);
      if (this._ctrl) this._ctrl.abort();
      const ctrl = new AbortController();
      this._ctrl = ctrl;
      this._query = q;
      try {
        const res = await fetch(this._url(q), {
          signal: ctrl.signal,
          credentials: "omit",
          headers: { Accept: "application/json" },
        });
        if (!res.ok) throw new Error("HTTP " + res.status);
        const data = await res.json();
        if (ctrl.signal.aborted) return;
        this._render(data.hits || [], data.total || 0);
      } catch (e) {
        if (e.name === "AbortError" || ctrl.signal.aborted) return;
        this._render([], -1);
      } finally {
        if (this._ctrl === ctrl) this._ctrl = null;
      }
    }

    // _render shows hits; total is null (nothing asked), -1 (error) or the
    // number of matching practices.
    _render(hits, total) {
      const m = MSG[this._ui];
      this._hits = hits;
      this._active = -1;
      this._input.removeAttribute("aria-activedescendant");
      this._list.replaceChildren();
      hits.forEach((h, i) => this._list.append(this._option(h, i)));
      if (total === null) {
        this._status.textContent = "";
        this._close();
        return;
      }
      const text = total < 0 ? m.error : hits.length === 0 ? m.none : m.count(total);
      this._status.textContent = text;
      this._msg.textContent = hits.length ? "" : text;
      if (this.shadowRoot.activeElement === this._input) this._open();
    }

    _option(h, i) {
      const li = el("li");
      li.id = this._id + "o" + i;
      li.dataset.i = String(i);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const title = el("span", "t");
      title.append(marked(h.title_html || h.title));
      const meta = el("span", "m");
      const where = (h.cities || []).join(", ");
      const country = h.country ? displayName(this._ui, "region", h.country) : "";
      meta.append([where, country, h.year || ""].filter(Boolean).join(" · "));
      if (h.lang) {
        const badge = el("span", "b", h.lang.toUpperCase());
        badge.title = displayName(this._ui, "language", h.lang);
        badge.lang = this._ui;
        meta.append(badge);
      }
      const snip = el("span", "s");
      snip.append(marked(h.snippet_html || h.summary));
      if (h.lang) {
        title.lang = h.lang;
        snip.lang = h.lang;
      }
      li.append(title, meta, snip);
      return li;
    }

    _open() {
      const any = this._hits.length > 0;
      this._list.hidden = !any;
      this._msg.hidden = any || !this._msg.textContent;
      this._input.setAttribute("aria-expanded", String(any));
    }

    _close() {
      this._list.hidden = true;
      this._msg.hidden = true;
      this._input.setAttribute("aria-expanded", "false");
      this._setActive(-1);
    }

    get _isOpen() {
      return !this._list.hidden || !this._msg.hidden;
    }

    _setActive(i) {
      const opts = this._list.querySelectorAll("li[role=option]");
      opts.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
      this._active = i;
      if (i >= 0 && opts[i]) {
        this._input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        this._input.removeAttribute("aria-activedescendant");
      }
    }

    _key(e) {
      const n = this._hits.length;
      switch (e.key) {
        case "ArrowDown":
        case "ArrowUp": {
          e.preventDefault();
          if (!this._isOpen) {
            if (this._query && this._query === this._input.value.trim()) this._open();
            else if (this._input.value.trim()) this._search(this._input.value.trim());
            if (!n) return;
            if (!e.altKey) this._setActive(e.key === "ArrowDown" ? 0 : n - 1);
            return;
          }
          if (!n) return;
          const d = e.key === "ArrowDown" ? 1 : -1;
          this._setActive(this._active < 0 ? (d > 0 ? 0 : n - 1) : (this._active + d + n) % n);
          return;
        }
        case "Enter":
          if (this._isOpen && this._active >= 0) {
            e.preventDefault();
            this._choose(this._active);
          } else if (this._input.value.trim()) {
            e.preventDefault();
            if (this._query === this._input.value.trim() && this._ctrl === null) this._open();
            else this._search(this._input.value.trim());
          }
          return;
        case "Escape":
          if (this._isOpen) {
            e.preventDefault();
            this._close();
          } else if (this._input.value) {
            e.preventDefault();
            this._input.value = "";
            this._schedule();
          }
          return;
      }
    }

    // _choose emits casebook-select with the hit. Unless a listener calls
    // preventDefault(), the practice page on the casebook site opens.
    _choose(i) {
      const hit = this._hits[i];
      if (!hit) return;
      const ev = new CustomEvent("casebook-select", { detail: hit, bubbles: true, composed: true, cancelable: true });
      const go = this.dispatchEvent(ev);
      this._close();
      if (go) location.assign(this.endpoint + "/p/" + encodeURIComponent(hit.id) + "?ui=" + this._ui);
    }
  }

  customElements.define("casebook-search", CasebookSearch);
})();
