package crawler_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
)

const (
	textEN = "The city council opened a welcome centre where newcomers get advice on housing, schools and jobs in their own language."
	textFR = "La ville a ouvert un centre d'accueil où les nouveaux arrivants reçoivent des conseils sur le logement, l'école et l'emploi dans leur langue."
	textDE = "Die Stadt hat ein Willkommenszentrum eröffnet, in dem Neuzugewanderte in ihrer Sprache zu Wohnen, Schule und Arbeit beraten werden."
	textES = "El ayuntamiento abrió un centro de acogida donde las personas recién llegadas reciben asesoramiento sobre vivienda, escuelas y empleo."
)

// TestExtractLanguage: <html lang>, then Content-Language, then og:locale,
// then detection among the member sites' languages, then the source's
// default.
func TestExtractLanguage(t *testing.T) {
	tests := []struct {
		name string
		html string
		hdr  http.Header
		def  string
		want string
	}{
		{"html lang wins", `<html lang="fr-CA"><head><meta property="og:locale" content="en_GB"></head><h1>T</h1><p>` + textDE, http.Header{"Content-Language": {"de"}}, "en", "fr"},
		{"xml:lang", `<html xml:lang="de"><h1>T</h1><p>` + textEN, nil, "", "de"},
		{"Content-Language next", `<html><head><meta property="og:locale" content="en_GB"></head><h1>T</h1><p>` + textFR, http.Header{"Content-Language": {"de-DE, en"}}, "", "de"},
		{"og:locale next", `<html><head><meta property="og:locale" content="fr_FR"></head><h1>T</h1><p>` + textEN, nil, "en", "fr"},
		{"invalid lang attribute ignored", `<html lang="x"><head><meta property="og:locale" content="de_DE"></head><h1>T</h1><p>` + textEN, nil, "", "de"},
		{"detected: English", `<h1>Welcome centre</h1><p>` + textEN, nil, "fr", "en"},
		{"detected: French", `<h1>Centre d'accueil</h1><p>` + textFR, nil, "en", "fr"},
		{"detected: German", `<h1>Willkommenszentrum</h1><p>` + textDE, nil, "en", "de"},
		{"detected: Spanish", `<h1>Centro de acogida</h1><p>` + textES, nil, "en", "es"},
		{"too short to detect: default", `<h1>Oslo</h1><p>OXLO</p>`, nil, "nb", "nb"},
		{"nothing at all", `<h1>Oslo</h1>`, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.html))
			if err != nil {
				t.Fatal(err)
			}
			p, _ := crawler.Extract("https://example.org/p", doc, tt.hdr, crawler.Source{Defaults: crawler.Defaults{Lang: tt.def}})
			if p.Lang != tt.want {
				t.Errorf("lang %q, want %q", p.Lang, tt.want)
			}
		})
	}
}

// TestDetectLanguageDemo strips every language mark from the demo corpus:
// each page, given as a bare title and body with no lang attribute, header
// or meta tag, must still get the language of its content file.
func TestDetectLanguageDemo(t *testing.T) {
	pages, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range pages {
		var b strings.Builder
		b.WriteString("<h1>" + html.EscapeString(pg.Title) + "</h1>")
		for _, line := range strings.Split(pg.BodyText(), "\n") {
			b.WriteString("<p>" + html.EscapeString(line) + "</p>")
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := crawler.Extract("https://example.org/p", doc, nil, crawler.Source{})
		if p.Lang != pg.Lang {
			t.Errorf("%s: detected %q, want %q", pg.File, p.Lang, pg.Lang)
		}
	}
}
