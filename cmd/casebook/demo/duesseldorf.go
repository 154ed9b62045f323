package demo

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/casebook-project/casebook/crawler"
)

// duesseldorf is the city site of Düsseldorf, built like a TYPO3 site:
// German first, English translations, facts in a table.
type duesseldorf struct {
	*base
	mux *http.ServeMux
}

var duesseldorfPrefix = map[string]string{
	"de": "/leben/integration/gute-praxis/",
	"en": "/en/living/integration/good-practice/",
	"fr": "/fr/vivre/integration/bonnes-pratiques/",
}

var duesseldorfText = map[string]map[string]string{
	"de": {
		"home": "Startseite", "living": "Leben in Düsseldorf", "integration": "Integration",
		"practices": "Gute Praxis", "city": "Stadt", "country": "Land", "period": "Zeitraum", "themes": "Themen",
		"published": "Veröffentlicht am", "search": "Suche", "impressum": "Impressum", "privacy": "Datenschutz",
		"contact": "Kontakt", "access": "Barrierefreiheit", "more": "mehr",
		"intro":  "Projekte aus Düsseldorf und unseren Partnerstädten, die zeigen, wie Zusammenleben in Vielfalt gelingt.",
		"cookie": "Diese Website verwendet Cookies. Technisch notwendige Cookies werden immer gesetzt; statistische nur mit Ihrer Einwilligung.",
		"accept": "Alle akzeptieren", "reject": "Nur notwendige", "top": "nach oben",
	},
	"en": {
		"home": "Home", "living": "Living in Düsseldorf", "integration": "Integration",
		"practices": "Good practice", "city": "City", "country": "Country", "period": "Period", "themes": "Topics",
		"published": "Published on", "search": "Search", "impressum": "Legal notice", "privacy": "Privacy",
		"contact": "Contact", "access": "Accessibility", "more": "more",
		"intro":  "Projects from Düsseldorf and its partner cities showing how living together in diversity works.",
		"cookie": "This website uses cookies. Technically necessary cookies are always set; statistics cookies only with your consent.",
		"accept": "Accept all", "reject": "Necessary only", "top": "back to top",
	},
	"fr": {
		"home": "Accueil", "living": "Vivre à Düsseldorf", "integration": "Intégration",
		"practices": "Bonnes pratiques", "city": "Ville", "country": "Pays", "period": "Période", "themes": "Thèmes",
		"published": "Publié le", "search": "Recherche", "impressum": "Mentions légales", "privacy": "Confidentialité",
		"contact": "Contact", "access": "Accessibilité", "more": "plus",
		"intro":  "Des projets de Düsseldorf et de ses villes partenaires.",
		"cookie": "Ce site utilise des cookies.", "accept": "Tout accepter", "reject": "Nécessaires uniquement", "top": "haut de page",
	},
}

func newDuesseldorf(pages []*PracticePage) (*duesseldorf, error) {
	b, err := newBase("duesseldorf", pages, []string{"de", "en", "fr"}, duesseldorfPrefix, ".html")
	if err != nil {
		return nil, err
	}
	b.ui = duesseldorfText
	s := &duesseldorf{base: b, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /impressum.html", s.impressum)
	s.mux.HandleFunc("GET /robots.txt", s.robots)
	s.mux.HandleFunc("GET /sitemap.xml", s.sitemap)
	s.mux.HandleFunc("GET /suche", s.search)
	for lang, prefix := range duesseldorfPrefix {
		s.mux.HandleFunc("GET "+s.listingPath(lang), func(w http.ResponseWriter, r *http.Request) { s.listing(w, r, lang) })
		s.mux.HandleFunc("GET "+prefix+"{file}", s.practice)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.notFound(w, r, langOfPrefix(map[string]string{"en": "/en/", "fr": "/fr/"}, r.URL.Path+"/"))
	})
	return s, nil
}

func (s *duesseldorf) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *duesseldorf) listingPath(lang string) string {
	return strings.TrimSuffix(duesseldorfPrefix[lang], "/") + ".html"
}

func (s *duesseldorf) view(r *http.Request, lang string) *view {
	v := s.newView(r, lang)
	v.Listing = s.listingPath(lang)
	for _, l := range s.langs {
		if s.hasLang(l) {
			v.Langs = append(v.Langs, alternate{Lang: l, Href: s.listingPath(l)})
		}
	}
	return v
}

func (s *duesseldorf) home(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "de")
	v.Title = "Landeshauptstadt Düsseldorf"
	v.Canonical = v.Origin + "/"
	v.Description = "Offizielles Stadtportal der Landeshauptstadt Düsseldorf."
	de := s.inLang("de")
	for _, p := range de[:min(3, len(de))] {
		v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
	}
	s.render(w, r, "home", v, s.lastMod)
}

func (s *duesseldorf) impressum(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "de")
	v.Title = "Impressum"
	v.Canonical = v.Origin + "/impressum.html"
	s.render(w, r, "impressum", v, s.lastMod)
}

func (s *duesseldorf) robots(w http.ResponseWriter, r *http.Request) {
	serveText(w, r, "User-agent: *\nDisallow: /typo3/\nDisallow: /typo3conf/\nDisallow: /suche\nAllow: /typo3conf/ext/\nAllow: /typo3temp/\n\nSitemap: "+origin(r)+"/sitemap.xml\n", s.lastMod)
}

func (s *duesseldorf) sitemap(w http.ResponseWriter, r *http.Request) {
	o := origin(r)
	set := urlset{NS: sitemapNS}
	set.URLs = append(set.URLs, sitemapURL{Loc: o + "/", Lastmod: s.lastMod.Format(time.DateOnly)})
	for _, l := range s.langs {
		if s.hasLang(l) {
			set.URLs = append(set.URLs, sitemapURL{Loc: o + s.listingPath(l), Lastmod: s.newest(s.inLang(l)).Format(time.DateOnly)})
		}
	}
	set.URLs = append(set.URLs, s.pageURLs(o, s.pages)...)
	set.URLs = append(set.URLs, sitemapURL{Loc: o + "/impressum.html", Lastmod: s.lastMod.Format(time.DateOnly)})
	serveXML(w, r, set, s.lastMod, false)
}

func (s *duesseldorf) listing(w http.ResponseWriter, r *http.Request, lang string) {
	pages := s.inLang(lang)
	v := s.view(r, lang)
	v.Title = v.T["practices"]
	v.Description = v.T["intro"]
	v.Canonical = v.Origin + v.Listing
	for _, p := range pages {
		v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
	}
	s.render(w, r, "listing", v, s.newest(pages))
}

func (s *duesseldorf) practice(w http.ResponseWriter, r *http.Request) {
	p, ok := s.byPath[r.URL.Path]
	if !ok {
		s.notFound(w, r, langOfPrefix(duesseldorfPrefix, r.URL.Path))
		return
	}
	v := s.view(r, p.Lang)
	s.fillPractice(v, p, 4)
	s.render(w, r, "practice", v, p.Published)
}

func (s *duesseldorf) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := s.view(r, "de")
	v.Title = "Suche"
	v.Robots = "noindex, nofollow"
	v.Query = q
	v.Items = s.find(q)
	s.render(w, r, "search", v, s.lastMod)
}

func (s *duesseldorf) source(o string) crawler.Source {
	src := crawler.Source{
		Name:     "duesseldorf",
		Network:  networks["duesseldorf"],
		Sitemaps: []string{o + "/sitemap.xml"},
		Include:  []*regexp.Regexp{regexp.MustCompile(`^/(leben/integration/gute-praxis|en/living/integration/good-practice|fr/vivre/integration/bonnes-pratiques)/[a-z0-9-]+\.html$`)},
		Follow:   []*regexp.Regexp{regexp.MustCompile(`^/(leben/integration/gute-praxis|en/living/integration/good-practice|fr/vivre/integration/bonnes-pratiques)\.html$`)},
		Exclude:  []*regexp.Regexp{regexp.MustCompile(`^/(suche|typo3)`)},
		Defaults: crawler.Defaults{City: "Düsseldorf", Country: "DE", Lang: "de"},
		Fields: crawler.Fields{
			Title:     "main h1",
			Summary:   "p.lead",
			Body:      "div.ce-bodytext",
			City:      "table.praxis-fakten td.stadt span",
			Country:   "table.praxis-fakten td.land",
			Themes:    "table.praxis-fakten td.themen span",
			Period:    "table.praxis-fakten td.zeitraum",
			Year:      "table.praxis-fakten td.zeitraum",
			Published: "time.praxis-datum@datetime",
		},
	}
	for _, l := range s.langs {
		if s.hasLang(l) {
			src.StartURLs = append(src.StartURLs, o+s.listingPath(l))
		}
	}
	return src
}
