package demo

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/casebook-project/casebook/crawler"
)

//go:embed templates
var templateFS embed.FS

// Site is one demo member site.
type Site struct {
	Name    string // the source name, e.g. "icc"
	Network string // the network facet value, e.g. "Intercultural Cities"
	Handler http.Handler
}

// siteNames lists the sites in the order Sites returns them.
var siteNames = []string{"icc", "oive", "duesseldorf", "hub"}

// siteHandler is what every site implements besides serving HTTP: its
// description as a crawler source once it is reachable at origin.
type siteHandler interface {
	http.Handler
	source(origin string) crawler.Source
}

// Sites returns the four demo sites built from the embedded content. It
// panics if the embedded content is invalid, which the content tests of
// this package rule out before a binary is built; Start reports the same
// problem as an error.
func Sites() []Site {
	sites, err := contentSites()
	if err != nil {
		panic(err)
	}
	return sites
}

func contentSites() ([]Site, error) {
	pages, err := Load()
	if err != nil {
		return nil, err
	}
	return Build(pages)
}

// Build returns the four sites serving pages (as returned by Load or
// LoadFS). It fails when a page's language has no URL scheme on its site,
// when two pages would share a URL, or when a translation group holds two
// pages in one language.
func Build(pages []PracticePage) ([]Site, error) {
	bySite := map[string][]*PracticePage{}
	for i := range pages {
		p := &pages[i]
		if !knownSite(p.Site) {
			return nil, fmt.Errorf("%s: unknown site %q", p.File, p.Site)
		}
		bySite[p.Site] = append(bySite[p.Site], p)
	}
	var (
		sites []Site
		errs  []error
	)
	for _, name := range siteNames {
		var (
			h   siteHandler
			err error
		)
		switch name {
		case "icc":
			h, err = newICC(bySite[name])
		case "oive":
			h, err = newOIVE(bySite[name])
		case "duesseldorf":
			h, err = newDuesseldorf(bySite[name])
		case "hub":
			h, err = newHub(bySite[name])
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sites = append(sites, Site{Name: name, Network: networks[name], Handler: h})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return sites, nil
}

var networks = map[string]string{
	"icc":         "Intercultural Cities",
	"oive":        "International Observatory of Mayors on Living Together",
	"duesseldorf": "Intercultural Cities",
	"hub":         "Intercultural Cities",
}

// base holds what every site shares: its pages, URL scheme and templates.
// find is the sites' own naive search (its pages are noindex): practices
// whose title or summary contains q, case-insensitively.
func (b *base) find(q string) []item {
	if q == "" {
		return nil
	}
	needle := strings.ToLower(q)
	var out []item
	for _, p := range b.pages {
		if strings.Contains(strings.ToLower(p.Title+" "+p.Summary), needle) {
			out = append(out, item{Page: p, Href: b.path(p)})
		}
	}
	return out
}

// fillPractice sets what every site's practice page shows: the page, its
// canonical URL, its hreflang alternates (and the language switcher made of
// them) and up to related practices sharing a tag.
func (b *base) fillPractice(v *view, p *PracticePage, related int) {
	v.Page = p
	v.Title = p.Title
	v.Description = p.Summary
	v.Canonical = v.Origin + b.path(p)
	v.Alternates = b.alternates(v.Origin, p)
	if len(v.Alternates) > 0 {
		v.Langs = v.Alternates[:len(v.Alternates)-1]
	}
	for _, q := range b.related(p, related) {
		v.Related = append(v.Related, link{Text: q.Title, Href: b.path(q)})
	}
}

type base struct {
	name    string
	langs   []string          // languages the site publishes, default (x-default) first
	prefix  map[string]string // language -> path of practice pages before the slug
	suffix  string            // after the slug: "", ".html" or "/"
	pages   []*PracticePage   // newest first, then by slug
	byPath  map[string]*PracticePage
	groups  map[string][]*PracticePage // each sorted by langs order
	lastMod time.Time                  // newest published date; Last-Modified of non-practice pages
	tmpl    *template.Template
	ui      map[string]map[string]string // interface strings by language
}

func newBase(name string, pages []*PracticePage, langs []string, prefix map[string]string, suffix string) (*base, error) {
	b := &base{
		name: name, langs: langs, prefix: prefix, suffix: suffix,
		byPath: map[string]*PracticePage{}, groups: map[string][]*PracticePage{},
	}
	var errs []error
	for _, p := range pages {
		if len(p.Cities) == 0 && name != "duesseldorf" {
			errs = append(errs, fmt.Errorf("%s: cities is empty, and only duesseldorf has a default city", p.File))
			continue
		}
		if _, ok := prefix[p.Lang]; !ok {
			errs = append(errs, fmt.Errorf("%s: site %s publishes no pages in %q (only %s)", p.File, name, p.Lang, strings.Join(langs, ", ")))
			continue
		}
		path := b.path(p)
		if other, dup := b.byPath[path]; dup {
			errs = append(errs, fmt.Errorf("%s: same URL %s as %s", p.File, path, other.File))
			continue
		}
		for _, other := range b.groups[p.Group] {
			if other.Lang == p.Lang {
				errs = append(errs, fmt.Errorf("%s: group %q already has a %s page, %s", p.File, p.Group, p.Lang, other.File))
			}
		}
		b.byPath[path] = p
		b.groups[p.Group] = append(b.groups[p.Group], p)
		b.pages = append(b.pages, p)
		if p.Published.After(b.lastMod) {
			b.lastMod = p.Published
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(b.pages, func(x, y *PracticePage) int {
		if c := y.Published.Compare(x.Published); c != 0 {
			return c
		}
		return strings.Compare(x.Slug, y.Slug)
	})
	for _, g := range b.groups {
		slices.SortFunc(g, func(x, y *PracticePage) int {
			return slices.Index(langs, x.Lang) - slices.Index(langs, y.Lang)
		})
	}
	if b.lastMod.IsZero() {
		b.lastMod = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	t, err := template.New(name).Funcs(templateFuncs).ParseFS(templateFS, "templates/"+name+"/*.html")
	if err != nil {
		return nil, fmt.Errorf("demo site %s: templates: %w", name, err)
	}
	b.tmpl = t
	return b, nil
}

// path is the URL path of a practice page.
func (b *base) path(p *PracticePage) string {
	return b.prefix[p.Lang] + p.Slug + b.suffix
}

// inLang returns the site's pages in lang, newest first.
func (b *base) inLang(lang string) []*PracticePage {
	var out []*PracticePage
	for _, p := range b.pages {
		if p.Lang == lang {
			out = append(out, p)
		}
	}
	return out
}

// hasLang reports whether the site has pages in lang.
func (b *base) hasLang(lang string) bool {
	return slices.ContainsFunc(b.pages, func(p *PracticePage) bool { return p.Lang == lang })
}

// alternate is one hreflang link.
type alternate struct {
	Lang string // ISO 639-1 or "x-default"
	Href string
}

// alternates lists every version of p's group (p included) and x-default,
// or nothing when p has no translation.
func (b *base) alternates(origin string, p *PracticePage) []alternate {
	g := b.groups[p.Group]
	if len(g) < 2 {
		return nil
	}
	out := make([]alternate, 0, len(g)+1)
	for _, q := range g {
		out = append(out, alternate{Lang: q.Lang, Href: origin + b.path(q)})
	}
	return append(out, alternate{Lang: "x-default", Href: out[0].Href})
}

// view is what every template gets; each template uses what it needs.
type view struct {
	Origin      string
	Lang        string // language of the page
	Title       string // document title
	Description string
	Canonical   string
	Alternates  []alternate
	Robots      string            // meta robots, "" = none
	Year        int               // copyright year in footers
	T           map[string]string // interface strings in Lang
	Langs       []alternate       // language switcher
	Listing     string            // path of the practice listing in Lang

	Page    *PracticePage // practice pages
	Related []link
	Themes  []link // tags of the page, or filter sidebar of a listing
	JSONLD  template.JS

	Items     []item // listings
	Filter    string // listing: selected theme label
	PageNum   int
	PageCount int
	Prev      string
	Next      string
	Query     string // search page
}

type link struct {
	Text   string
	Href   string
	Active bool
}

type item struct {
	Page *PracticePage
	Href string
}

func (b *base) newView(r *http.Request, lang string) *view {
	t, ok := b.ui[lang]
	if !ok {
		t = b.ui[b.langs[0]]
	}
	return &view{Origin: origin(r), Lang: lang, Year: b.lastMod.Year(), T: t}
}

// origin is the scheme and host the request came to.
func origin(r *http.Request) string {
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return "http://" + host
}

// render executes a template and serves the result with ETag and
// Last-Modified, answering conditional requests with 304.
func (b *base) render(w http.ResponseWriter, r *http.Request, name string, v *view, modified time.Time) {
	var buf bytes.Buffer
	if err := b.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		slog.ErrorContext(r.Context(), "demo: render page", "site", b.name, "template", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	serveBytes(w, r, "text/html; charset=utf-8", buf.Bytes(), modified)
}

// notFound serves the site's 404 page.
func (b *base) notFound(w http.ResponseWriter, r *http.Request, lang string) {
	v := b.newView(r, lang)
	v.Robots = "noindex"
	var buf bytes.Buffer
	if err := b.tmpl.ExecuteTemplate(&buf, "404", v); err != nil {
		slog.ErrorContext(r.Context(), "demo: render 404", "site", b.name, "err", err)
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(buf.Bytes())
}

// serveBytes serves body with a strong ETag derived from it.
func serveBytes(w http.ResponseWriter, r *http.Request, contentType string, body []byte, modified time.Time) {
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}

// related picks up to n other pages in p's language, those sharing most
// tags first.
func (b *base) related(p *PracticePage, n int) []*PracticePage {
	type scored struct {
		p     *PracticePage
		score int
	}
	var cands []scored
	for _, q := range b.pages {
		if q == p || q.Lang != p.Lang || q.Group == p.Group {
			continue
		}
		s := 0
		for _, t := range q.Themes {
			if slices.Contains(p.Themes, t) {
				s++
			}
		}
		cands = append(cands, scored{q, s})
	}
	slices.SortStableFunc(cands, func(x, y scored) int { return y.score - x.score })
	var out []*PracticePage
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.p)
	}
	return out
}

// paginate returns page num (1-based) of items, the page count and whether
// num exists.
func paginate[T any](items []T, num, per int) ([]T, int, bool) {
	count := max(1, (len(items)+per-1)/per)
	if num < 1 || num > count {
		return nil, count, false
	}
	lo := (num - 1) * per
	return items[lo:min(lo+per, len(items))], count, true
}

// practiceBase exposes the shared state of a site to this package's tests
// and to Running.
func (b *base) practiceBase() *base { return b }
