package demo

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/temoto/robotstxt"

	"github.com/casebook-project/casebook/crawler"
)

func TestRobotsTxt(t *testing.T) {
	r := serve(t, testContent(t))
	for _, test := range []struct {
		site       string
		sitemap    string
		disallowed []string
		allowed    []string
	}{
		{"icc", "/sitemap.xml", []string{"/search?q=lisbon", "/admin"}, []string{"/en/good-practice", "/fr/bonnes-pratiques/lisbon-guichet-unique"}},
		{"oive", "/sitemap.xml", []string{"/admin/content", "/user/login"}, []string{"/fr/pratiques"}},
		{"duesseldorf", "/sitemap.xml", []string{"/suche?q=lotsen", "/typo3/"}, []string{"/leben/integration/gute-praxis.html"}},
		{"hub", "/wp-sitemap.xml", []string{"/wp-admin/"}, []string{"/stories/", "/wp-admin/admin-ajax.php"}},
	} {
		o := r.URL(test.site)
		res := getOK(t, o+"/robots.txt")
		if ct := res.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("%s robots.txt Content-Type = %q", test.site, ct)
		}
		robots, err := robotstxt.FromBytes(res.body)
		if err != nil {
			t.Fatalf("%s robots.txt: %v", test.site, err)
		}
		if got, want := robots.Sitemaps, []string{o + test.sitemap}; !slices.Equal(got, want) {
			t.Errorf("%s robots.txt sitemaps = %v, want %v", test.site, got, want)
		}
		for _, p := range test.disallowed {
			if robots.TestAgent(p, "casebook") {
				t.Errorf("%s robots.txt allows %s", test.site, p)
			}
		}
		for _, p := range test.allowed {
			if !robots.TestAgent(p, "casebook") {
				t.Errorf("%s robots.txt disallows %s", test.site, p)
			}
		}
	}
}

func TestSitemapsListEveryPractice(t *testing.T) {
	r := serve(t, testContent(t))
	for _, src := range r.Sources() {
		b := siteBase(t, r, src.Name)
		var got []string
		for _, u := range sitemapLocs(t, src.Sitemaps[0]) {
			if u.Lastmod == "" {
				t.Errorf("%s sitemap: %s has no lastmod", src.Name, u.Loc)
			}
			getOK(t, u.Loc)
			if path := strings.TrimPrefix(u.Loc, r.URL(src.Name)); matchesAny(src.Include, path) {
				got = append(got, path)
			}
		}
		var want []string
		for _, p := range b.pages {
			want = append(want, b.path(p))
		}
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: practice URLs in sitemaps (-want +got):\n%s", src.Name, diff)
		}
	}
}

func TestICCSitemapIndex(t *testing.T) {
	r := serve(t, testContent(t))
	o := r.URL("icc")
	var idx sitemapDoc
	if err := xml.Unmarshal(getOK(t, o+"/sitemap.xml").body, &idx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range idx.Maps {
		got = append(got, m.Loc)
	}
	if want := []string{o + "/sitemap-en.xml", o + "/sitemap-translations.xml.gz"}; !slices.Equal(got, want) {
		t.Errorf("icc sitemap index = %v, want %v", got, want)
	}
	for _, u := range sitemapLocs(t, o+"/sitemap-translations.xml.gz") {
		if strings.HasPrefix(u.Loc, o+"/en/") {
			t.Errorf("translations sitemap lists English page %s", u.Loc)
		}
	}
}

func TestICCListingPagination(t *testing.T) {
	r := serve(t, addPages(testContent(t), "icc", "en", 21)) // 23 English pages
	o := r.URL("icc")
	type listing struct {
		items      int
		prev, next string
	}
	var got []listing
	tracked := 0
	for url := o + "/en/good-practice"; ; {
		doc := getDoc(t, url)
		l := listing{items: doc.Find("li.asset-abstract").Length()}
		l.prev, _ = doc.Find(`a[rel="prev"]`).Attr("href")
		l.next, _ = doc.Find(`a[rel="next"]`).Attr("href")
		got = append(got, l)
		doc.Find("h3.asset-title a").Each(func(_ int, s *goquery.Selection) {
			href := s.AttrOr("href", "")
			if strings.Contains(href, "utm_source=listing") {
				tracked++
				// A tracked link leads to the page whose canonical has no query.
				canon := getDoc(t, o+href).Find(`link[rel="canonical"]`).AttrOr("href", "")
				if want := o + href[:strings.IndexByte(href, '?')]; canon != want {
					t.Errorf("canonical of %s = %q, want %q", href, canon, want)
				}
			}
		})
		if l.next == "" || len(got) > 5 {
			break
		}
		url = o + l.next
	}
	want := []listing{
		{10, "", "/en/good-practice?page=2"},
		{10, "/en/good-practice", "/en/good-practice?page=3"},
		{3, "/en/good-practice?page=2", ""},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(listing{})); diff != "" {
		t.Errorf("listing pages (-want +got):\n%s", diff)
	}
	if tracked == 0 {
		t.Error("no listing link carries a tracking parameter")
	}
	for _, page := range []string{"4", "0", "x"} {
		if res := get(t, o+"/en/good-practice?page="+page); res.status != http.StatusNotFound {
			t.Errorf("listing page %s: status %d, want 404", page, res.status)
		}
	}
}

func TestHubListingPagination(t *testing.T) {
	r := serve(t, addPages(testContent(t), "hub", "en", 9)) // 12 stories
	o := r.URL("hub")
	first := getDoc(t, o+"/stories/")
	second := getDoc(t, o+"/stories/page/2/")
	for _, test := range []struct {
		doc        *goquery.Document
		items      int
		prev, next string
	}{
		{first, 10, "", "/stories/page/2/"},
		{second, 2, "/stories/", ""},
	} {
		if got := test.doc.Find("li.wp-block-post").Length(); got != test.items {
			t.Errorf("stories listing has %d items, want %d", got, test.items)
		}
		if got := test.doc.Find("a.wp-block-query-pagination-previous").AttrOr("href", ""); got != test.prev {
			t.Errorf("previous link = %q, want %q", got, test.prev)
		}
		if got := test.doc.Find("a.wp-block-query-pagination-next").AttrOr("href", ""); got != test.next {
			t.Errorf("next link = %q, want %q", got, test.next)
		}
	}
	if res := get(t, o+"/stories/page/1/"); res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/stories/" {
		t.Errorf("/stories/page/1/: status %d, Location %q; want 301 to /stories/", res.status, res.header.Get("Location"))
	}
	if res := get(t, o+"/stories/page/3/"); res.status != http.StatusNotFound {
		t.Errorf("/stories/page/3/: status %d, want 404", res.status)
	}
}

func TestOIVEThemeFilter(t *testing.T) {
	r := serve(t, testContent(t))
	o := r.URL("oive")
	doc := getDoc(t, o+"/fr/pratiques")
	if got := doc.Find("div.views-row").Length(); got != 2 {
		t.Errorf("/fr/pratiques lists %d practices, want 2", got)
	}
	href := ""
	doc.Find(".facets-widget-links a").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) == "Médiation" {
			href = s.AttrOr("href", "")
		}
	})
	if href != "/fr/pratiques?theme=mediation" {
		t.Fatalf("theme link for Médiation = %q", href)
	}
	filtered := getDoc(t, o+href)
	if got := texts(filtered.Find("div.views-row h2 a")); !slices.Equal(got, []string{"Médiation de quartier à Dakar"}) {
		t.Errorf("filtered listing = %q", got)
	}
	if res := get(t, o+"/fr/pratiques?theme=nothing-here"); res.status != http.StatusNotFound {
		t.Errorf("unknown theme: status %d, want 404", res.status)
	}
}

// TestPracticePages checks every sample practice page of every site as a
// crawler sees it: canonical, hreflang set, language, and every configured
// selector finding exactly what the content says.
func TestPracticePages(t *testing.T) {
	r := serve(t, testContent(t))
	for _, src := range r.Sources() {
		b := siteBase(t, r, src.Name)
		o := r.URL(src.Name)
		for _, p := range b.pages {
			url := o + b.path(p)
			doc := getDoc(t, url)
			if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != url {
				t.Errorf("%s: canonical %q", url, got)
			}
			if lang := doc.Find("html").AttrOr("lang", ""); lang[:2] != p.Lang {
				t.Errorf("%s: html lang %q, want %s", url, lang, p.Lang)
			}
			var want []string
			if g := b.groups[p.Group]; len(g) > 1 {
				for _, q := range g {
					want = append(want, hreflangTag(src.Name, q.Lang)+" "+o+b.path(q))
				}
				want = append(want, "x-default "+o+b.path(g[0]))
				slices.Sort(want)
			}
			if diff := cmp.Diff(want, hreflangs(doc)); diff != "" {
				t.Errorf("%s: hreflang (-want +got):\n%s", url, diff)
			}
			if !matchesAny(src.Include, b.path(p)) {
				t.Errorf("%s: include rules do not match its path", url)
			}
			if src.Name == "hub" {
				checkHubPage(t, doc, p, url)
				continue
			}
			checkFields(t, doc, src.Fields, p, url)
		}
	}
}

// hreflangTag is how a site writes a language in hreflang.
func hreflangTag(site, lang string) string {
	if site == "duesseldorf" && lang != "x-default" {
		return map[string]string{"de": "de-DE", "en": "en-GB"}[lang]
	}
	return lang
}

func checkFields(t *testing.T, doc *goquery.Document, f crawler.Fields, p *PracticePage, url string) {
	t.Helper()
	one := func(name, sel, want string) {
		got := selectField(doc, sel)
		if want == "" && len(got) == 0 {
			return
		}
		if len(got) == 0 || squash(got[0]) != want && !(name == "published" && strings.HasPrefix(got[0], want+"T")) {
			t.Errorf("%s: %s %q finds %q, want %q", url, name, sel, got, want)
		}
	}
	one("title", f.Title, p.Title)
	one("summary", f.Summary, p.Summary)
	one("country", f.Country, p.Country)
	one("period", f.Period, p.Period)
	one("published", f.Published, p.Published.Format(time.DateOnly))
	if got := selectField(doc, f.City); !slices.Equal(got, p.Cities) {
		t.Errorf("%s: city %q finds %q, want %q", url, f.City, got, p.Cities)
	}
	if got := selectField(doc, f.Themes); !slices.Equal(got, p.Themes) {
		t.Errorf("%s: themes %q finds %q, want %q", url, f.Themes, got, p.Themes)
	}
	body := selectField(doc, f.Body)
	if len(body) != 1 {
		t.Fatalf("%s: body %q finds %d elements, want 1", url, f.Body, len(body))
	}
	for _, line := range strings.Split(strings.TrimSpace(p.BodyText()), "\n") {
		if !strings.Contains(squash(body[0]), squash(line)) {
			t.Errorf("%s: body lacks %q", url, line)
		}
	}
	if strings.Contains(body[0], p.Summary) || strings.Contains(body[0], "cookie") {
		t.Errorf("%s: body holds more than the body text", url)
	}
}

func checkHubPage(t *testing.T, doc *goquery.Document, p *PracticePage, url string) {
	t.Helper()
	scripts := doc.Find(`script[type="application/ld+json"]`)
	if scripts.Length() != 1 {
		t.Fatalf("%s: %d JSON-LD scripts, want 1", url, scripts.Length())
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(scripts.Text()), &ld); err != nil {
		t.Fatalf("%s: JSON-LD does not parse: %v", url, err)
	}
	if _, ok := ld["articleBody"]; ok {
		t.Errorf("%s: JSON-LD carries articleBody", url)
	}
	for key, want := range map[string]any{
		"@type": "Article", "headline": p.Title, "description": p.Summary, "inLanguage": p.Lang,
		"keywords": strings.Join(p.Themes, ", "), "datePublished": p.Published.Format(time.DateOnly),
		"url": url,
	} {
		if ld[key] != want {
			t.Errorf("%s: JSON-LD %s = %v, want %v", url, key, ld[key], want)
		}
	}
	if p.Period != "" && ld["temporalCoverage"] != p.Period {
		t.Errorf("%s: JSON-LD temporalCoverage = %v, want %q", url, ld["temporalCoverage"], p.Period)
	}
	locs, ok := ld["contentLocation"].([]any)
	if !ok {
		locs = []any{ld["contentLocation"]}
	}
	var cities []string
	for i, l := range locs {
		m, _ := l.(map[string]any)
		cities = append(cities, m["name"].(string))
		if i == 0 && p.Country != "" {
			addr, _ := m["address"].(map[string]any)
			if addr["addressCountry"] != p.Country {
				t.Errorf("%s: JSON-LD addressCountry = %v, want %q", url, addr["addressCountry"], p.Country)
			}
		}
	}
	if !slices.Equal(cities, p.Cities) {
		t.Errorf("%s: JSON-LD contentLocation names %q, want %q", url, cities, p.Cities)
	}
	meta := func(attr, key string) []string {
		return selectField(doc, `meta[`+attr+`="`+key+`"]@content`)
	}
	for _, test := range []struct {
		attr, key string
		want      []string
	}{
		{"property", "og:title", []string{p.Title}},
		{"property", "og:description", []string{p.Summary}},
		{"name", "description", []string{p.Summary}},
		{"property", "og:locale", []string{ogLocale(p.Lang)}},
		{"property", "article:tag", p.Themes},
	} {
		if got := meta(test.attr, test.key); !slices.Equal(got, test.want) {
			t.Errorf("%s: meta %s = %q, want %q", url, test.key, got, test.want)
		}
	}
	visible := squash(doc.Find("div.entry > div.wp-block-group").Text())
	if first := p.Body[0].Text; !strings.Contains(visible, squash(first)) {
		t.Errorf("%s: visible body lacks its first paragraph", url)
	}
	doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
		for _, class := range strings.Fields(s.AttrOr("class", "")) {
			if strings.Contains(class, "city") || strings.Contains(class, "country") || strings.Contains(class, "theme") ||
				class == "tags" || strings.HasPrefix(class, "tag-") || strings.HasSuffix(class, "-tags") {
				t.Errorf("%s: visible element with class %q names a fact", url, class)
			}
		}
	})
}

func TestNotFound(t *testing.T) {
	r := serve(t, testContent(t))
	for site, paths := range map[string][]string{
		"icc":         {"/nope", "/en/good-practice/nope", "/fr/bonnes-pratiques/lisbon-one-stop-shop"},
		"oive":        {"/nope", "/fr/pratiques/nope", "/en/practices/dakar-mediation-quartiers"},
		"duesseldorf": {"/nope.html", "/leben/integration/gute-praxis/nope.html", "/leben/integration/gute-praxis/lotsenprojekt"},
		"hub":         {"/nope/", "/stories/nope/", "/stories/page/x/"},
	} {
		for _, path := range paths {
			res := get(t, r.URL(site)+path)
			if res.status != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", site, path, res.status)
			}
			if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s %s: Content-Type %q", site, path, ct)
			}
			if !strings.Contains(string(res.body), "<html lang=") {
				t.Errorf("%s %s: 404 is not the site's own page", site, path)
			}
		}
	}
}

func TestHomeAndAboutPages(t *testing.T) {
	r := serve(t, testContent(t))
	for site, test := range map[string]struct{ about, listing string }{
		"icc":         {"/en/about", "/en/good-practice"},
		"oive":        {"/fr/a-propos", "/fr/pratiques"},
		"duesseldorf": {"/impressum.html", "/leben/integration/gute-praxis.html"},
		"hub":         {"/about/", "/stories/"},
	} {
		home := getDoc(t, r.URL(site)+"/")
		if home.Find(`a[href="`+test.listing+`"]`).Length() == 0 {
			t.Errorf("%s home page does not link to %s", site, test.listing)
		}
		if home.Find(`a[href="`+test.about+`"]`).Length() == 0 {
			t.Errorf("%s home page does not link to %s", site, test.about)
		}
		getDoc(t, r.URL(site)+test.about)
	}
}

func TestConditionalGet(t *testing.T) {
	r := serve(t, testContent(t))
	for _, src := range r.Sources() {
		b := siteBase(t, r, src.Name)
		p := b.pages[0]
		url := r.URL(src.Name) + b.path(p)
		res := getOK(t, url)
		etag, lastMod := res.header.Get("ETag"), res.header.Get("Last-Modified")
		if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
			t.Errorf("%s: ETag %q", url, etag)
		}
		if want := p.Published.Format(http.TimeFormat); lastMod != want {
			t.Errorf("%s: Last-Modified %q, want %q", url, lastMod, want)
		}
		for _, h := range [][2]string{{"If-None-Match", etag}, {"If-Modified-Since", lastMod}} {
			res := get(t, url, h[0], h[1])
			if res.status != http.StatusNotModified || len(res.body) != 0 {
				t.Errorf("%s with %s: status %d, %d bytes; want 304, empty", url, h[0], res.status, len(res.body))
			}
		}
		if res := get(t, url, "If-None-Match", `"other"`); res.status != http.StatusOK {
			t.Errorf("%s with a stale ETag: status %d, want 200", url, res.status)
		}
	}
}

func TestSearchPagesAreNotIndexed(t *testing.T) {
	r := serve(t, testContent(t))
	for site, path := range map[string]string{"icc": "/search?q=lisbon", "duesseldorf": "/suche?q=lotsen", "hub": "/?s=library"} {
		doc := getDoc(t, r.URL(site)+path)
		if got := doc.Find(`meta[name="robots"]`).AttrOr("content", ""); !strings.Contains(got, "noindex") {
			t.Errorf("%s %s: meta robots %q, want noindex", site, path, got)
		}
	}
	doc := getDoc(t, r.URL("icc")+"/en/good-practice/lisbon-one-stop-shop")
	if doc.Find(`form[role="search"][action="/search"]`).Length() != 1 {
		t.Error("icc practice page has no search form pointing to /search")
	}
}

func TestRunningCloseStopsServing(t *testing.T) {
	r := serve(t, testContent(t))
	url := r.URL("icc") + "/robots.txt"
	getOK(t, url)
	r.Close()
	r.Close()
	if res, err := http.Get(url); err == nil {
		res.Body.Close()
		t.Errorf("GET %s after Close: status %d, want a connection error", url, res.StatusCode)
	}
	if got := r.URL("nope"); got != "" {
		t.Errorf("URL(nope) = %q", got)
	}
	if got, want := strconv.Itoa(len(r.Sources())), "4"; got != want {
		t.Errorf("%s sources, want %s", got, want)
	}
}
