package demo

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/casebook-project/casebook/crawler"
)

// icc is the network portal of the Intercultural Cities Programme, built
// like a Liferay site: English first, French and German translations.
type icc struct {
	*base
	mux *http.ServeMux
}

const iccPerPage = 10

var iccPrefix = map[string]string{
	"en": "/en/good-practice/",
	"fr": "/fr/bonnes-pratiques/",
	"de": "/de/gute-praxis/",
}

var iccText = map[string]map[string]string{
	"en": {
		"home": "Home", "practices": "Good practice", "about": "About the programme", "search": "Search",
		"city": "City", "country": "Country", "period": "Period", "themes": "Themes", "published": "Published",
		"related": "Related practices", "prev": "Previous", "next": "Next", "page": "Page", "of": "of",
		"cookie": "We use cookies to measure the audience of this portal and to remember your preferences. You can accept all cookies or only those strictly necessary.",
		"accept": "Accept all cookies", "reject": "Only necessary cookies", "settings": "Cookie settings",
		"intro":    "Cities of the network share how they manage diversity: policies, programmes and projects that worked, and what they learned.",
		"filtered": "Theme", "all": "All practices", "none": "No practice matches.",
	},
	"fr": {
		"home": "Accueil", "practices": "Bonnes pratiques", "about": "À propos du programme", "search": "Rechercher",
		"city": "Ville", "country": "Pays", "period": "Période", "themes": "Thèmes", "published": "Publié le",
		"related": "Pratiques associées", "prev": "Précédent", "next": "Suivant", "page": "Page", "of": "sur",
		"cookie": "Nous utilisons des cookies pour mesurer l'audience de ce portail et mémoriser vos préférences. Vous pouvez tout accepter ou seulement les cookies strictement nécessaires.",
		"accept": "Tout accepter", "reject": "Cookies nécessaires uniquement", "settings": "Paramètres des cookies",
		"intro":    "Les villes du réseau partagent leur manière de gérer la diversité : politiques, programmes et projets qui ont fonctionné, et ce qu'elles en ont appris.",
		"filtered": "Thème", "all": "Toutes les pratiques", "none": "Aucune pratique ne correspond.",
	},
	"de": {
		"home": "Startseite", "practices": "Gute Praxis", "about": "Über das Programm", "search": "Suchen",
		"city": "Stadt", "country": "Land", "period": "Zeitraum", "themes": "Themen", "published": "Veröffentlicht am",
		"related": "Ähnliche Beispiele", "prev": "Zurück", "next": "Weiter", "page": "Seite", "of": "von",
		"cookie": "Wir verwenden Cookies, um die Nutzung dieses Portals zu messen und Ihre Einstellungen zu speichern. Sie können alle Cookies oder nur die notwendigen akzeptieren.",
		"accept": "Alle akzeptieren", "reject": "Nur notwendige Cookies", "settings": "Cookie-Einstellungen",
		"intro":    "Die Städte des Netzwerks zeigen, wie sie mit Vielfalt umgehen: Strategien, Programme und Projekte, die funktioniert haben, und was sie daraus gelernt haben.",
		"filtered": "Thema", "all": "Alle Beispiele", "none": "Kein Beispiel gefunden.",
	},
}

func newICC(pages []*PracticePage) (*icc, error) {
	b, err := newBase("icc", pages, []string{"en", "fr", "de"}, iccPrefix, "")
	if err != nil {
		return nil, err
	}
	b.ui = iccText
	s := &icc{base: b, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /en/about", s.about)
	s.mux.HandleFunc("GET /robots.txt", s.robots)
	s.mux.HandleFunc("GET /sitemap.xml", s.sitemapIndex)
	s.mux.HandleFunc("GET /sitemap-en.xml", s.sitemapEN)
	s.mux.HandleFunc("GET /sitemap-translations.xml.gz", s.sitemapTranslations)
	s.mux.HandleFunc("GET /search", s.search)
	s.mux.HandleFunc("GET /admin", s.admin)
	for lang, prefix := range iccPrefix {
		s.mux.HandleFunc("GET "+strings.TrimSuffix(prefix, "/"), func(w http.ResponseWriter, r *http.Request) { s.listing(w, r, lang) })
		s.mux.HandleFunc("GET "+prefix+"{slug}", s.practice)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r, "en") })
	return s, nil
}

func (s *icc) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *icc) view(r *http.Request, lang string) *view {
	v := s.newView(r, lang)
	v.Listing = strings.TrimSuffix(iccPrefix[lang], "/")
	for _, l := range s.langs {
		v.Langs = append(v.Langs, alternate{Lang: l, Href: strings.TrimSuffix(iccPrefix[l], "/")})
	}
	return v
}

func (s *icc) home(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "en")
	v.Title = "Intercultural Cities Programme"
	v.Canonical = v.Origin + "/"
	v.Description = "The Intercultural Cities Programme supports cities in reviewing their policies through an intercultural lens."
	for _, p := range s.inLang("en")[:min(5, len(s.inLang("en")))] {
		v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
	}
	s.render(w, r, "home", v, s.lastMod)
}

func (s *icc) about(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "en")
	v.Title = "About the Intercultural Cities Programme"
	v.Canonical = v.Origin + "/en/about"
	s.render(w, r, "about", v, s.lastMod)
}

func (s *icc) admin(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/c/portal/login?redirect=%2Fadmin", http.StatusFound)
}

func (s *icc) robots(w http.ResponseWriter, r *http.Request) {
	serveText(w, r, "User-agent: *\nDisallow: /search\nDisallow: /admin\nDisallow: /c/portal/\n\nSitemap: "+origin(r)+"/sitemap.xml\n", s.lastMod)
}

func (s *icc) translations() []*PracticePage {
	var out []*PracticePage
	for _, p := range s.pages {
		if p.Lang != "en" {
			out = append(out, p)
		}
	}
	return out
}

func (s *icc) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	o := origin(r)
	en, tr := s.inLang("en"), s.translations()
	idx := sitemapIndex{NS: sitemapNS, Sitemaps: []sitemapURL{
		{Loc: o + "/sitemap-en.xml", Lastmod: s.newest(en).Format("2006-01-02")},
		{Loc: o + "/sitemap-translations.xml.gz", Lastmod: s.newest(tr).Format("2006-01-02")},
	}}
	serveXML(w, r, idx, s.lastMod, false)
}

func (s *icc) sitemapEN(w http.ResponseWriter, r *http.Request) {
	en := s.inLang("en")
	serveXML(w, r, urlset{NS: sitemapNS, URLs: s.pageURLs(origin(r), en)}, s.newest(en), false)
}

func (s *icc) sitemapTranslations(w http.ResponseWriter, r *http.Request) {
	tr := s.translations()
	serveXML(w, r, urlset{NS: sitemapNS, URLs: s.pageURLs(origin(r), tr)}, s.newest(tr), true)
}

var pageParam = regexp.MustCompile(`^[1-9][0-9]{0,4}$`)

func (s *icc) listing(w http.ResponseWriter, r *http.Request, lang string) {
	num := 1
	if p := r.URL.Query().Get("page"); p != "" {
		if !pageParam.MatchString(p) {
			s.notFound(w, r, lang)
			return
		}
		num, _ = strconv.Atoi(p)
	}
	theme := r.URL.Query().Get("theme")
	all := s.inLang(lang)
	var pages []*PracticePage
	for _, p := range all {
		if theme == "" || hasThemeSlug(p, theme) {
			pages = append(pages, p)
		}
	}
	shown, count, ok := paginate(pages, num, iccPerPage)
	if !ok || (theme != "" && len(pages) == 0) {
		s.notFound(w, r, lang)
		return
	}
	path := strings.TrimSuffix(iccPrefix[lang], "/")
	v := s.view(r, lang)
	v.Title = v.T["practices"]
	v.Description = v.T["intro"]
	v.PageNum, v.PageCount = num, count
	pageURL := func(n int) string {
		q := url.Values{}
		if theme != "" {
			q.Set("theme", theme)
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	v.Canonical = v.Origin + pageURL(num)
	if num > 1 {
		v.Prev = pageURL(num - 1)
		v.Title += " – " + v.T["page"] + " " + strconv.Itoa(num)
	}
	if num < count {
		v.Next = pageURL(num + 1)
	}
	if theme != "" {
		v.Robots = "noindex, follow"
		v.Filter = themeLabel(pages, theme)
	}
	for i, p := range shown {
		href := s.path(p)
		if i%3 == 1 { // the portal's analytics tags some teaser links
			href += "?utm_source=listing&utm_medium=teaser"
		}
		v.Items = append(v.Items, item{Page: p, Href: href})
	}
	s.render(w, r, "listing", v, s.newest(all))
}

func (s *icc) practice(w http.ResponseWriter, r *http.Request) {
	p, ok := s.byPath[r.URL.Path]
	if !ok {
		s.notFound(w, r, langOfPrefix(iccPrefix, r.URL.Path))
		return
	}
	v := s.view(r, p.Lang)
	s.fillPractice(v, p, 3)
	listing := strings.TrimSuffix(iccPrefix[p.Lang], "/")
	for _, t := range p.Themes {
		v.Themes = append(v.Themes, link{Text: t, Href: listing + "?theme=" + slugify(t)})
	}
	s.render(w, r, "practice", v, p.Published)
}

func (s *icc) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := s.view(r, "en")
	v.Title = "Search"
	v.Robots = "noindex, nofollow"
	v.Query = q
	v.Items = s.find(q)
	s.render(w, r, "search", v, s.lastMod)
}

func (s *icc) source(o string) crawler.Source {
	src := crawler.Source{
		Name:     "icc",
		Network:  networks["icc"],
		Sitemaps: []string{o + "/sitemap.xml"},
		Include:  []*regexp.Regexp{regexp.MustCompile(`^/(en/good-practice|fr/bonnes-pratiques|de/gute-praxis)/[a-z0-9-]+(\?.*)?$`)},
		Follow:   []*regexp.Regexp{regexp.MustCompile(`^/(en/good-practice|fr/bonnes-pratiques|de/gute-praxis)(\?page=[0-9]+)?$`)},
		Exclude:  []*regexp.Regexp{regexp.MustCompile(`^/(search|admin|c/portal)`)},
		Defaults: crawler.Defaults{Lang: "en"},
		Fields: crawler.Fields{
			Title:     "h1.practice-title",
			Summary:   "div.practice-summary",
			Body:      "div.practice-body",
			City:      "span.field-city",
			Country:   "span.field-country",
			Themes:    "ul.tags li a",
			Period:    "span.field-period",
			Year:      "span.field-period",
			Published: "time.published@datetime",
		},
	}
	for _, l := range s.langs {
		if s.hasLang(l) {
			src.StartURLs = append(src.StartURLs, o+strings.TrimSuffix(iccPrefix[l], "/"))
		}
	}
	return src
}

// hasThemeSlug reports whether one of p's tags slugifies to slug.
func hasThemeSlug(p *PracticePage, slug string) bool {
	for _, t := range p.Themes {
		if slugify(t) == slug {
			return true
		}
	}
	return false
}

// themeLabel is the tag among pages whose slug is slug.
func themeLabel(pages []*PracticePage, slug string) string {
	for _, p := range pages {
		for _, t := range p.Themes {
			if slugify(t) == slug {
				return t
			}
		}
	}
	return slug
}

// langOfPrefix guesses the language of a path from a site's prefixes.
func langOfPrefix(prefixes map[string]string, path string) string {
	for lang, prefix := range prefixes {
		if strings.HasPrefix(path, prefix) {
			return lang
		}
	}
	return "en"
}
