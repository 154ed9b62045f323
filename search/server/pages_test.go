package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/casebook-project/casebook/search/searchtest"
)

func TestSearchPage(t *testing.T) {
	rec := get(t, "/?q=refugees")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if _, err := html.Parse(strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<html lang="en">`,
		`<input id="q" name="q" type="search" value="refugees"`,
		`href="/p/` + searchtest.ID(searchtest.URL("en", "athens-coordination")) + `?ui=en">Coordination centre for migrant and <mark>refugee</mark> issues in Athens</a>`,
		`<mark>refugees</mark>`,
		`also in DE`,
		`<abbr class="badge" lang="EN"`,
		`<h3>Theme</h3>`,
		`<link rel="stylesheet" href="/static/style.css">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if one := get(t, "/?q=one-stop+shop").Body.String(); !strings.Contains(one, "also in FR · DE") && !strings.Contains(one, "also in DE · FR") {
		t.Errorf("Lisbon practice does not say it is also in FR and DE")
	}
	// Facet links with counts; each keeps the query and adds its value.
	link := regexp.MustCompile(`<a href="([^"]*city=Athens[^"]*)" rel="nofollow"><span class="label">Athens</span> <span class="count">(\d+)</span>`)
	m := link.FindStringSubmatch(body)
	if m == nil || m[2] != "1" || !strings.Contains(m[1], "q=refugees") {
		t.Fatalf("no Athens facet link with count 1 in page")
	}
	// Following it selects the city; a second city keeps the first.
	rec = get(t, html.UnescapeString(m[1]))
	body = rec.Body.String()
	if !strings.Contains(body, `class="selected" aria-current="true"`) || !strings.Contains(body, "1 practice") {
		t.Errorf("after selecting Athens: selected link or total missing")
	}
	lisbon := regexp.MustCompile(`<a href="([^"]*)" rel="nofollow"><span class="label">Lisbon</span>`).FindStringSubmatch(body)
	if lisbon == nil || !strings.Contains(lisbon[1], "city=Athens") || !strings.Contains(lisbon[1], "city=Lisbon") {
		t.Errorf("Lisbon link does not keep Athens: %v", lisbon)
	}
}

func TestSearchPageGerman(t *testing.T) {
	body := get(t, "/?q=Wohnen", "Accept-Language", "de-DE,de;q=0.9,en;q=0.5").Body.String()
	for _, want := range []string{`<html lang="de">`, `Suchen</button>`, ` Praxisbeispiele`, `<h3>Thema</h3>`, `Wohnen und Stadtplanung`, `>Lissabon<`, `Wohnprojekt für Geflüchtete in Düsseldorf`} {
		if want == `>Lissabon<` {
			continue // Lisbon is no hit for Wohnen
		}
		if !strings.Contains(body, want) {
			t.Errorf("German page lacks %q", want)
		}
	}
	// The switcher links to the other languages keeping the query.
	if !strings.Contains(body, `href="/?q=Wohnen&amp;ui=fr"`) {
		t.Errorf("no French switcher link")
	}
	fr := get(t, "/?q=Wohnen&ui=fr", "Accept-Language", "de").Body.String()
	if !strings.Contains(fr, `<html lang="fr">`) || !strings.Contains(fr, "Logement et urbanisme") {
		t.Errorf("ui=fr does not win over Accept-Language")
	}
}

func TestSearchPageHostileAndErrors(t *testing.T) {
	body := get(t, "/?q=hostile+script").Body.String()
	// The one script is the page's own enhancement.
	if strings.Count(body, "<script") != 1 || !strings.Contains(body, `<script src="/static/page.js" defer></script>`) || strings.Contains(body, "<img") || strings.Count(body, "</mark>") != strings.Count(body, "<mark>") {
		t.Errorf("hostile practice not inert in page")
	}
	if !strings.Contains(body, "&lt;<mark>script</mark>&gt;") {
		t.Errorf("escaped highlighted <script> missing")
	}
	rec := get(t, "/?size=abc")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "size must be 1..100") {
		t.Errorf("bad size: %d", rec.Code)
	}
	if rec := get(t, "/?q=%22%3Cscript%3E"); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `value="<script>`) {
		t.Errorf("query echo not escaped")
	}
	// Paging links.
	body = get(t, "/?size=5").Body.String()
	if !strings.Contains(body, `rel="next" href="/?page=2&amp;size=5&amp;ui=en"`) || !strings.Contains(body, "18 practices") {
		t.Errorf("paging links missing")
	}
}

func TestPracticePage(t *testing.T) {
	id := searchtest.ID(searchtest.URL("de", "lisbon-one-stop"))
	rec := get(t, "/p/"+id+"?ui=en")
	body := rec.Body.String()
	for _, want := range []string{
		`<h1>Zentrale Anlaufstelle für Zugewanderte in Lissabon</h1>`,
		`<dd>Lisbon</dd>`,
		`<p>Seit 2017 betreibt`,
		`href="https://example.org/de/lisbon-one-stop"`,
		`href="/p/` + searchtest.ID(searchtest.URL("fr", "lisbon-one-stop")) + `?ui=en">French</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("practice page lacks %q", want)
		}
	}
	en := get(t, "/p/"+searchtest.ID(searchtest.URL("en", "lisbon-one-stop"))).Body.String()
	if !strings.Contains(en, "<h2>What was learned</h2>") || !strings.Contains(en, "<li>keep opening hours long</li>") {
		t.Errorf("headings and lists not rendered")
	}
	if rec := get(t, "/p/nope"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("unknown practice: %d", rec.Code)
	}
	if rec := get(t, "/static/style.css"); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("style.css: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := get(t, "/static/../server.go"); rec.Code != http.StatusNotFound {
		t.Errorf("static traversal: %d", rec.Code)
	}
}
