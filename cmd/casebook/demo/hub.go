package demo

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/casebook-project/casebook/crawler"
)

// hub is the Welcoming Cities Hub, a WordPress-like magazine. Its story
// pages carry their facts only as schema.org JSON-LD and meta tags; the
// visible HTML has no city or theme markup.
type hub struct {
	*base
	mux *http.ServeMux
}

const hubPerPage = 10

var hubText = map[string]map[string]string{
	"en": {"site": "Welcoming Cities Hub", "tagline": "Stories of cities that make room for everyone"},
}

func newHub(pages []*PracticePage) (*hub, error) {
	prefix := map[string]string{}
	for _, l := range []string{"en", "fr", "de", "es", "it", "nl", "pt"} {
		prefix[l] = "/stories/"
	}
	b, err := newBase("hub", pages, []string{"en", "fr", "de", "es", "it", "nl", "pt"}, prefix, "/")
	if err != nil {
		return nil, err
	}
	b.ui = hubText
	s := &hub{base: b, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /about/{$}", s.about)
	s.mux.HandleFunc("GET /robots.txt", s.robots)
	s.mux.HandleFunc("GET /wp-sitemap.xml", s.sitemapIndex)
	s.mux.HandleFunc("GET /wp-sitemap-posts-post-1.xml", s.sitemapPosts)
	s.mux.HandleFunc("GET /stories/{$}", func(w http.ResponseWriter, r *http.Request) { s.listing(w, r, 1) })
	s.mux.HandleFunc("GET /stories/page/{n}/{$}", s.listingPage)
	s.mux.HandleFunc("GET /stories/{slug}/{$}", s.practice)
	s.mux.HandleFunc("GET /stories/{slug}", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.byPath[r.URL.Path+"/"]; ok {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, "en")
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r, "en") })
	return s, nil
}

func (s *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *hub) view(r *http.Request, lang string) *view {
	v := s.newView(r, lang)
	v.Listing = "/stories/"
	for _, p := range s.pages[:min(5, len(s.pages))] {
		v.Related = append(v.Related, link{Text: p.Title, Href: s.path(p)})
	}
	return v
}

func (s *hub) home(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "en")
	if q := strings.TrimSpace(r.URL.Query().Get("s")); r.URL.Query().Has("s") {
		// WordPress answers searches on the front page.
		v.Title = "Search results"
		v.Robots = "noindex, follow"
		v.Query = q
		v.Items = s.find(q)
		s.render(w, r, "search", v, s.lastMod)
		return
	}
	v.Title = v.T["tagline"]
	v.Canonical = v.Origin + "/"
	v.Description = "The Welcoming Cities Hub tells the stories of towns and cities that welcome newcomers and build communities where everyone belongs."
	for _, p := range s.pages[:min(6, len(s.pages))] {
		v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
	}
	s.render(w, r, "home", v, s.lastMod)
}

func (s *hub) about(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "en")
	v.Title = "About the hub"
	v.Canonical = v.Origin + "/about/"
	s.render(w, r, "about", v, s.lastMod)
}

func (s *hub) robots(w http.ResponseWriter, r *http.Request) {
	serveText(w, r, "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: "+origin(r)+"/wp-sitemap.xml\n", s.lastMod)
}

func (s *hub) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	idx := sitemapIndex{NS: sitemapNS, Sitemaps: []sitemapURL{
		{Loc: origin(r) + "/wp-sitemap-posts-post-1.xml", Lastmod: s.lastMod.Format(time.DateOnly)},
	}}
	serveXML(w, r, idx, s.lastMod, false)
}

func (s *hub) sitemapPosts(w http.ResponseWriter, r *http.Request) {
	serveXML(w, r, urlset{NS: sitemapNS, URLs: s.pageURLs(origin(r), s.pages)}, s.lastMod, false)
}

func (s *hub) listingPage(w http.ResponseWriter, r *http.Request) {
	n := r.PathValue("n")
	if !pageParam.MatchString(n) {
		s.notFound(w, r, "en")
		return
	}
	if n == "1" {
		http.Redirect(w, r, "/stories/", http.StatusMovedPermanently)
		return
	}
	num, _ := strconv.Atoi(n)
	s.listing(w, r, num)
}

func (s *hub) listing(w http.ResponseWriter, r *http.Request, num int) {
	shown, count, ok := paginate(s.pages, num, hubPerPage)
	if !ok {
		s.notFound(w, r, "en")
		return
	}
	pageURL := func(n int) string {
		if n == 1 {
			return "/stories/"
		}
		return fmt.Sprintf("/stories/page/%d/", n)
	}
	v := s.view(r, "en")
	v.Title = "Stories"
	v.Description = "Stories from welcoming cities."
	v.Canonical = v.Origin + pageURL(num)
	v.PageNum, v.PageCount = num, count
	if num > 1 {
		v.Prev = pageURL(num - 1)
		v.Title += fmt.Sprintf(" – Page %d", num)
	}
	if num < count {
		v.Next = pageURL(num + 1)
	}
	for _, p := range shown {
		v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
	}
	s.render(w, r, "listing", v, s.newest(shown))
}

func (s *hub) practice(w http.ResponseWriter, r *http.Request) {
	p, ok := s.byPath[r.URL.Path]
	if !ok {
		s.notFound(w, r, "en")
		return
	}
	v := s.view(r, p.Lang)
	v.Page = p
	v.Title = p.Title
	v.Description = p.Summary
	v.Canonical = v.Origin + s.path(p)
	v.Alternates = s.alternates(v.Origin, p)
	ld, err := articleJSONLD(p, v.Canonical)
	if err != nil {
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	v.JSONLD = ld
	s.render(w, r, "practice", v, p.Published)
}

// place is a schema.org Place.
type place struct {
	Type    string         `json:"@type"`
	Name    string         `json:"name"`
	Address *postalAddress `json:"address,omitempty"`
}

type postalAddress struct {
	Type    string `json:"@type"`
	Country string `json:"addressCountry"`
}

type organization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// article is the schema.org Article of a story. The body is left out on
// purpose: it is only in the visible HTML.
type article struct {
	Context          string       `json:"@context"`
	Type             string       `json:"@type"`
	MainEntity       string       `json:"mainEntityOfPage"`
	URL              string       `json:"url"`
	Headline         string       `json:"headline"`
	Description      string       `json:"description"`
	Keywords         string       `json:"keywords"`
	InLanguage       string       `json:"inLanguage"`
	DatePublished    string       `json:"datePublished"`
	DateModified     string       `json:"dateModified"`
	TemporalCoverage string       `json:"temporalCoverage,omitempty"`
	ContentLocation  any          `json:"contentLocation"`
	Author           organization `json:"author"`
	Publisher        organization `json:"publisher"`
}

// articleJSONLD renders p's schema.org Article for a script element
// (json.Marshal escapes <, > and &).
func articleJSONLD(p *PracticePage, canonical string) (template.JS, error) {
	var places []place
	for i, c := range p.Cities {
		pl := place{Type: "Place", Name: c}
		if p.Country != "" && i == 0 {
			pl.Address = &postalAddress{Type: "PostalAddress", Country: p.Country}
		}
		places = append(places, pl)
	}
	a := article{
		Context:          "https://schema.org",
		Type:             "Article",
		MainEntity:       canonical,
		URL:              canonical,
		Headline:         p.Title,
		Description:      p.Summary,
		Keywords:         strings.Join(p.Themes, ", "),
		InLanguage:       p.Lang,
		DatePublished:    p.Published.Format(time.DateOnly),
		DateModified:     p.Published.Format(time.DateOnly),
		TemporalCoverage: p.Period,
		ContentLocation:  places,
		Author:           organization{Type: "Organization", Name: "Welcoming Cities Hub editorial team"},
		Publisher:        organization{Type: "Organization", Name: "Welcoming Cities Hub", URL: strings.TrimSuffix(canonical, "/stories/"+p.Slug+"/") + "/"},
	}
	if len(places) == 1 {
		a.ContentLocation = places[0]
	}
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return "", fmt.Errorf("json-ld for %s: %w", p.File, err)
	}
	return template.JS(b), nil
}

func (s *hub) source(o string) crawler.Source {
	return crawler.Source{
		Name:      "hub",
		Network:   networks["hub"],
		StartURLs: []string{o + "/stories/"},
		Sitemaps:  []string{o + "/wp-sitemap.xml"},
		Include:   []*regexp.Regexp{regexp.MustCompile(`^/stories/[a-z0-9-]+/$`)},
		Follow:    []*regexp.Regexp{regexp.MustCompile(`^/stories/(page/[0-9]+/)?$`)},
		Exclude:   []*regexp.Regexp{regexp.MustCompile(`^/wp-(admin|login|comments-post)`), regexp.MustCompile(`[?&](share|replytocom)=`)},
		Defaults:  crawler.Defaults{Lang: "en"},
	}
}
