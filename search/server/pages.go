package server

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// searchPageCSP lets the search page run its own script (/static/page.js),
// which fetches the page's own URLs; nothing inline, nothing from elsewhere.
const searchPageCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// page is what every page template gets.
type page struct {
	UI       string
	Title    string
	Switcher []langLink
}

// T returns the message key in the page's language.
func (p page) T(key string) string { return msg(p.UI, key) }

type langLink struct {
	Code, Label, URL string
	Current          bool
}

type searchView struct {
	page
	Query    string
	Req      search.Request
	Error    string
	Total    string
	HasQuery bool
	Hits     []hitView
	Facets   []facetView
	Sorts    []sortLink
	Hidden   []hiddenField // the search form keeps filters, years and sort
	Kept     []hiddenField // the year form keeps filters and sort
	YearFrom string
	YearTo   string
	Prev     string
	Next     string
	Pages    []pageLink
	Clear    string
}

type hitView struct {
	ID      string
	Link    string
	Title   template.HTML
	Snippet template.HTML
	Cities  []string
	Country string
	Themes  []string
	Lang    string
	LangTag string
	Year    int
	AlsoIn  []string
}

type facetView struct {
	Name, Title string
	Values      []facetLink
}

type facetLink struct {
	Facet, Value string // data attributes page.js uses to keep focus on the toggled value
	Label        string
	Count        string // formatted for the interface language
	Selected     bool
	URL          string
}

type sortLink struct {
	Label, URL string
	Current    bool
}

type hiddenField struct{ Name, Value string }

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// handlePage adapts a page handler: errors become HTML error pages.
func (s *Server) handlePage(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			status, _, _ := statusOf(err)
			if status >= http.StatusInternalServerError {
				s.log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "err", err)
			}
			s.renderError(c, status, "")
		}
	}
}

func pageUI(c *gin.Context) string {
	ui := strings.ToLower(c.Query("ui"))
	if slices.Contains(search.UILanguages, ui) {
		return ui
	}
	return search.NegotiateUI(c.GetHeader("Accept-Language"))
}

func newPage(c *gin.Context, ui, title string) page {
	p := page{UI: ui, Title: title}
	for _, l := range search.UILanguages {
		v := c.Request.URL.Query()
		v.Set("ui", l)
		p.Switcher = append(p.Switcher, langLink{
			Code: l, Label: indexer.LangLabel(l, l), URL: c.Request.URL.Path + "?" + v.Encode(), Current: l == ui,
		})
	}
	return p
}

func (s *Server) searchPage(c *gin.Context) error {
	ui := pageUI(c)
	req, err := search.ParseRequest(c.Request.URL.Query(), c.GetHeader("Accept-Language"))
	req.Counts = nil // the page shows every facet
	view := searchView{page: newPage(c, ui, msg(ui, "title")), Query: c.Query("q")}
	if err != nil {
		pe, ok := err.(*search.ParamError)
		if !ok {
			return err
		}
		view.Error = msg(ui, "bad_request") + ": " + pe.Message
		s.render(c, http.StatusBadRequest, "search", view)
		return nil
	}
	res, err := s.runSearch(c.Request.Context(), req)
	if err != nil {
		return err
	}
	view.Req = req
	view.Query = req.Query
	view.HasQuery = req.Query != "" || hasFilters(req)
	if res.Total == 1 {
		view.Total = msg(ui, "results_one")
	} else {
		view.Total = strings.Replace(msg(ui, "results_many"), "%d", formatInt(ui, int64(res.Total)), 1)
	}
	for _, h := range res.Hits {
		view.Hits = append(view.Hits, hitViewOf(h, ui))
	}
	for _, f := range search.Facets {
		fv := facetView{Name: f, Title: msg(ui, f)}
		for _, v := range res.Facets[f] {
			fv.Values = append(fv.Values, facetLink{
				Facet: f, Value: v.Value, Label: v.Label, Count: formatInt(ui, int64(v.Count)),
				Selected: v.Selected, URL: toggleURL(req, f, v.Value, v.Selected),
			})
		}
		if len(fv.Values) > 0 {
			view.Facets = append(view.Facets, fv)
		}
	}
	for _, so := range []string{search.SortRelevance, search.SortNewest, search.SortOldest} {
		r := req
		r.Sort, r.Page = so, 1
		view.Sorts = append(view.Sorts, sortLink{Label: msg(ui, so), URL: linkTo(r), Current: req.Sort == so})
	}
	// The search form keeps the filters and sort; a new query starts at page 1.
	keep := req
	keep.Query, keep.Page = "", 1
	for name, vals := range keep.Values() {
		for _, v := range vals {
			view.Hidden = append(view.Hidden, hiddenField{name, v})
			if name != "year_from" && name != "year_to" {
				view.Kept = append(view.Kept, hiddenField{name, v})
			}
		}
	}
	byName := func(a, b hiddenField) int { return strings.Compare(a.Name+"="+a.Value, b.Name+"="+b.Value) }
	slices.SortFunc(view.Hidden, byName)
	slices.SortFunc(view.Kept, byName)
	if req.YearFrom != 0 {
		view.YearFrom = strconv.Itoa(req.YearFrom)
	}
	if req.YearTo != 0 {
		view.YearTo = strconv.Itoa(req.YearTo)
	}
	view.Prev, view.Next, view.Pages = paging(req, res.Total)
	clear := search.Request{Query: req.Query, Sort: req.Sort, UI: ui, Page: 1, Size: req.Size}
	if hasFilters(req) {
		view.Clear = linkTo(clear)
	}
	s.render(c, http.StatusOK, "search", view)
	return nil
}

func hasFilters(r search.Request) bool {
	return len(r.Langs)+len(r.Cities)+len(r.Countries)+len(r.Themes)+len(r.Networks) > 0 ||
		r.YearFrom != 0 || r.YearTo != 0
}

func linkTo(r search.Request) string {
	return "/?" + r.Values().Encode()
}

// toggleURL adds value to facet's filter, or removes it when selected,
// keeping every other filter.
func toggleURL(r search.Request, facet, value string, selected bool) string {
	if facet == search.FacetYear {
		y, _ := strconv.Atoi(value)
		r.Page = 1
		if selected && r.YearFrom == y && r.YearTo == y {
			r.YearFrom, r.YearTo = 0, 0
		} else {
			r.YearFrom, r.YearTo = y, y
		}
		return linkTo(r)
	}
	vals := slices.Clone(r.Filter(facet))
	if selected {
		vals = slices.DeleteFunc(vals, func(v string) bool { return v == value })
	} else {
		vals = append(vals, value)
	}
	return linkTo(r.WithFilter(facet, vals))
}

// paging returns previous/next links and up to 9 page links around the
// current page.
func paging(r search.Request, total uint64) (prev, next string, pages []pageLink) {
	last := int((total + uint64(r.Size) - 1) / uint64(r.Size))
	last = min(last, search.MaxWindow/r.Size)
	if last <= 1 {
		return "", "", nil
	}
	at := func(n int) string {
		q := r
		q.Page = n
		return linkTo(q)
	}
	if r.Page > 1 {
		prev = at(r.Page - 1)
	}
	if r.Page < last {
		next = at(r.Page + 1)
	}
	lo := max(1, r.Page-4)
	hi := min(last, lo+8)
	for n := lo; n <= hi; n++ {
		pages = append(pages, pageLink{N: n, URL: at(n), Current: n == r.Page})
	}
	return prev, next, pages
}

// hitViewOf prepares a hit for the page. Title and Snippet become
// template.HTML only here, from title_html and snippet_html, which the
// search package built from escaped text and <mark> tags alone.
func hitViewOf(h search.Hit, ui string) hitView {
	v := hitView{
		ID:      h.ID,
		Link:    "/p/" + url.PathEscape(h.ID) + "?ui=" + ui,
		Title:   template.HTML(h.TitleHTML),
		Snippet: template.HTML(h.SnippetHTML),
		Country: search.FacetLabel(search.FacetCountry, h.Country, ui),
		Lang:    search.FacetLabel(search.FacetLang, h.Lang, ui),
		LangTag: strings.ToUpper(h.Lang),
		Year:    h.Year,
	}
	for _, c := range h.Cities {
		v.Cities = append(v.Cities, search.FacetLabel(search.FacetCity, c, ui))
	}
	for _, t := range h.Themes {
		v.Themes = append(v.Themes, t.Label)
	}
	for _, t := range h.Translations {
		if tag := strings.ToUpper(t.Lang); tag != "" && tag != v.LangTag && !slices.Contains(v.AlsoIn, tag) {
			v.AlsoIn = append(v.AlsoIn, tag)
		}
	}
	return v
}

type practiceView struct {
	page
	P            indexer.Practice
	Original     string
	Paragraphs   []paragraph
	Cities       []string
	Country      string
	Themes       []string
	Lang         string
	Published    string // formatted for the interface language
	Translations []translationLink
	Back         string
}

// paragraph is a heading, a paragraph of text or a list.
type paragraph struct {
	Heading bool
	Text    string
	Items   []string
}

type translationLink struct {
	Lang, URL string
}

func (s *Server) practicePage(c *gin.Context) error {
	ui := pageUI(c)
	p, err := s.engine.Practice(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	view := practiceView{
		page:      newPage(c, ui, p.Title),
		P:         p,
		Original:  indexer.WebURL(p.URL),
		Country:   search.FacetLabel(search.FacetCountry, p.Country, ui),
		Lang:      search.FacetLabel(search.FacetLang, p.Lang, ui),
		Back:      "/?ui=" + ui,
		Published: formatDate(ui, p.Published),
	}
	for _, city := range p.Cities {
		view.Cities = append(view.Cities, search.FacetLabel(search.FacetCity, city, ui))
	}
	for _, t := range p.Themes {
		view.Themes = append(view.Themes, search.FacetLabel(search.FacetTheme, t, ui))
	}
	view.Paragraphs = paragraphs(p.Body)
	for _, t := range p.Translations {
		u := indexer.WebURL(t.URL)
		if u == "" {
			continue
		}
		if id := indexer.IDForURL(u); id != "" {
			if _, err := s.engine.Practice(c.Request.Context(), id); err == nil {
				u = "/p/" + url.PathEscape(id) + "?ui=" + ui
			}
		}
		view.Translations = append(view.Translations, translationLink{
			Lang: search.FacetLabel(search.FacetLang, t.Lang, ui), URL: u,
		})
	}
	s.render(c, http.StatusOK, "practice", view)
	return nil
}

// paragraphs splits plain body text at blank lines; within a block a line
// starting with "## " is a heading and one starting with "- " a list item,
// as the demo sites write them; other lines of a block form one paragraph.
func paragraphs(body string) []paragraph {
	var out []paragraph
	for _, block := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		var text []string
		flush := func() {
			if len(text) > 0 {
				out = append(out, paragraph{Text: strings.Join(text, " ")})
				text = nil
			}
		}
		for _, line := range strings.Split(block, "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "":
			case strings.HasPrefix(line, "## "):
				flush()
				out = append(out, paragraph{Heading: true, Text: strings.TrimPrefix(line, "## ")})
			case strings.HasPrefix(line, "- "):
				flush()
				item := strings.TrimPrefix(line, "- ")
				if n := len(out); n > 0 && out[n-1].Items != nil {
					out[n-1].Items = append(out[n-1].Items, item)
					continue
				}
				out = append(out, paragraph{Items: []string{item}})
			default:
				text = append(text, line)
			}
		}
		flush()
	}
	return out
}

type errorView struct {
	page
	Status  int
	Message string
}

func (s *Server) renderError(c *gin.Context, status int, message string) {
	ui := pageUI(c)
	if message == "" || status == http.StatusNotFound {
		message = msg(ui, "error")
		if status == http.StatusNotFound {
			message = msg(ui, "not_found")
		}
	}
	s.render(c, status, "error", errorView{page: newPage(c, ui, message), Status: status, Message: message})
}

// render executes a page template into a buffer first, so a template
// error never sends half a page.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.ErrorContext(c.Request.Context(), "render page", "page", name, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		return
	}
	c.Header("Content-Language", pageLang(data))
	if name == "search" {
		c.Header("Content-Security-Policy", searchPageCSP)
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func pageLang(data any) string {
	switch v := data.(type) {
	case searchView:
		return v.UI
	case practiceView:
		return v.UI
	case errorView:
		return v.UI
	}
	return "en"
}
