package demo

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casebook-project/casebook/crawler"
)

// oive is the site of the International Observatory of Mayors on Living
// Together, built like a Drupal site: French first, English translations.
type oive struct {
	*base
	mux *http.ServeMux
}

var oivePrefix = map[string]string{
	"fr": "/fr/pratiques/",
	"en": "/en/practices/",
	"de": "/de/praxisbeispiele/",
}

var oiveText = map[string]map[string]string{
	"fr": {
		"site": "Observatoire international des maires sur le vivre ensemble", "home": "Accueil",
		"practices": "Pratiques inspirantes", "about": "À propos", "city": "Ville", "country": "Pays",
		"themes": "Thématiques", "period": "Période", "published": "Publié le", "filter": "Filtrer par thématique",
		"all": "Toutes les thématiques", "members": "Villes membres", "contact": "Nous joindre",
		"intro": "Des villes de partout dans le monde partagent leurs initiatives pour mieux vivre ensemble.",
		"skip":  "Aller au contenu principal", "count": "pratiques", "read": "Lire la suite",
		"share": "Partager", "legal": "Mentions légales", "about_path": "/fr/a-propos",
	},
	"en": {
		"site": "International Observatory of Mayors on Living Together", "home": "Home",
		"practices": "Inspiring practices", "about": "About", "city": "City", "country": "Country",
		"themes": "Themes", "period": "Period", "published": "Published on", "filter": "Filter by theme",
		"all": "All themes", "members": "Member cities", "contact": "Contact us",
		"intro": "Cities around the world share their initiatives for living well together.",
		"skip":  "Skip to main content", "count": "practices", "read": "Read more",
		"share": "Share", "legal": "Legal notice", "about_path": "/fr/a-propos",
	},
	"de": {
		"site": "Internationale Beobachtungsstelle der Bürgermeister für das Zusammenleben", "home": "Startseite",
		"practices": "Praxisbeispiele", "about": "Über uns", "city": "Stadt", "country": "Land",
		"themes": "Themen", "period": "Zeitraum", "published": "Veröffentlicht am", "filter": "Nach Thema filtern",
		"all": "Alle Themen", "members": "Mitgliedsstädte", "contact": "Kontakt",
		"intro": "Städte aus aller Welt teilen ihre Initiativen für ein gutes Zusammenleben.",
		"skip":  "Zum Hauptinhalt springen", "count": "Beispiele", "read": "Weiterlesen",
		"share": "Teilen", "legal": "Impressum", "about_path": "/fr/a-propos",
	},
}

func newOIVE(pages []*PracticePage) (*oive, error) {
	b, err := newBase("oive", pages, []string{"fr", "en", "de"}, oivePrefix, "")
	if err != nil {
		return nil, err
	}
	b.ui = oiveText
	s := &oive{base: b, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /fr/a-propos", s.about)
	s.mux.HandleFunc("GET /robots.txt", s.robots)
	s.mux.HandleFunc("GET /sitemap.xml", s.sitemap)
	for lang, prefix := range oivePrefix {
		s.mux.HandleFunc("GET "+strings.TrimSuffix(prefix, "/"), func(w http.ResponseWriter, r *http.Request) { s.listing(w, r, lang) })
		s.mux.HandleFunc("GET "+prefix+"{slug}", s.practice)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r, "fr") })
	return s, nil
}

func (s *oive) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *oive) view(r *http.Request, lang string) *view {
	v := s.newView(r, lang)
	v.Listing = strings.TrimSuffix(oivePrefix[lang], "/")
	for _, l := range s.langs {
		if s.hasLang(l) {
			v.Langs = append(v.Langs, alternate{Lang: l, Href: strings.TrimSuffix(oivePrefix[l], "/")})
		}
	}
	return v
}

func (s *oive) home(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "fr")
	v.Title = v.T["site"]
	v.Canonical = v.Origin + "/"
	v.Description = v.T["intro"]
	fr := s.inLang("fr")
	for _, p := range fr[:min(4, len(fr))] {
		v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
	}
	s.render(w, r, "home", v, s.lastMod)
}

func (s *oive) about(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "fr")
	v.Title = "À propos de l'Observatoire"
	v.Canonical = v.Origin + "/fr/a-propos"
	s.render(w, r, "about", v, s.lastMod)
}

func (s *oive) robots(w http.ResponseWriter, r *http.Request) {
	serveText(w, r, `#
# robots.txt
#
# This file is to prevent the crawling and indexing of certain parts
# of your site by web crawlers and spiders run by sites like Yahoo!
# and Google.
#
User-agent: *
# Directories
Disallow: /core/
Disallow: /profiles/
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /node/add/
Disallow: /search/
Disallow: /user/login
Disallow: /user/password
Disallow: /user/register
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/user/login

Sitemap: `+origin(r)+"/sitemap.xml\n", s.lastMod)
}

func (s *oive) sitemap(w http.ResponseWriter, r *http.Request) {
	o := origin(r)
	set := urlset{NS: sitemapNS}
	set.URLs = append(set.URLs, sitemapURL{Loc: o + "/", Lastmod: s.lastMod.Format(time.DateOnly)})
	for _, l := range s.langs {
		if s.hasLang(l) {
			set.URLs = append(set.URLs, sitemapURL{Loc: o + strings.TrimSuffix(oivePrefix[l], "/"), Lastmod: s.newest(s.inLang(l)).Format(time.DateOnly)})
		}
	}
	set.URLs = append(set.URLs, s.pageURLs(o, s.pages)...)
	serveXML(w, r, set, s.lastMod, false)
}

func (s *oive) listing(w http.ResponseWriter, r *http.Request, lang string) {
	all := s.inLang(lang)
	theme := r.URL.Query().Get("theme")
	v := s.view(r, lang)
	v.Title = v.T["practices"]
	v.Description = v.T["intro"]
	v.Canonical = v.Origin + v.Listing
	var tags []string
	for _, p := range all {
		for _, t := range p.Themes {
			if !slices.ContainsFunc(tags, func(x string) bool { return slugify(x) == slugify(t) }) {
				tags = append(tags, t)
			}
		}
		if theme == "" || hasThemeSlug(p, theme) {
			v.Items = append(v.Items, item{Page: p, Href: s.path(p)})
		}
	}
	if theme != "" {
		if len(v.Items) == 0 {
			s.notFound(w, r, lang)
			return
		}
		v.Filter = themeLabel(all, theme)
		v.Canonical += "?theme=" + theme
	}
	slices.SortFunc(tags, func(a, b string) int { return strings.Compare(slugify(a), slugify(b)) })
	v.Themes = append(v.Themes, link{Text: v.T["all"], Href: v.Listing, Active: theme == ""})
	for _, t := range tags {
		v.Themes = append(v.Themes, link{Text: t, Href: v.Listing + "?theme=" + slugify(t), Active: slugify(t) == theme})
	}
	s.render(w, r, "listing", v, s.newest(all))
}

func (s *oive) practice(w http.ResponseWriter, r *http.Request) {
	p, ok := s.byPath[r.URL.Path]
	if !ok {
		s.notFound(w, r, langOfPrefix(oivePrefix, r.URL.Path))
		return
	}
	v := s.view(r, p.Lang)
	s.fillPractice(v, p, 3)
	for _, t := range p.Themes {
		v.Themes = append(v.Themes, link{Text: t, Href: v.Listing + "?theme=" + slugify(t)})
	}
	s.render(w, r, "practice", v, p.Published)
}

func (s *oive) source(o string) crawler.Source {
	src := crawler.Source{
		Name:     "oive",
		Network:  networks["oive"],
		Sitemaps: []string{o + "/sitemap.xml"},
		Include:  []*regexp.Regexp{regexp.MustCompile(`^/(fr/pratiques|en/practices|de/praxisbeispiele)/[a-z0-9-]+$`)},
		Follow:   []*regexp.Regexp{regexp.MustCompile(`^/(fr/pratiques|en/practices|de/praxisbeispiele)(\?theme=[a-z0-9-]+)?$`)},
		Defaults: crawler.Defaults{Lang: "fr"},
		Fields: crawler.Fields{
			Title:     "h1.page-title",
			Summary:   "p.chapo",
			Body:      "div.field--name-body",
			City:      "dl.fiche-infos dd.ville",
			Country:   "dl.fiche-infos dd.pays",
			Themes:    "dl.fiche-infos dd.thematiques a",
			Period:    "dl.fiche-infos dd.periode",
			Year:      "dl.fiche-infos dd.periode",
			Published: `meta[property="article:published_time"]@content`,
		},
	}
	for _, l := range s.langs {
		if s.hasLang(l) {
			src.StartURLs = append(src.StartURLs, o+strings.TrimSuffix(oivePrefix[l], "/"))
		}
	}
	return src
}
