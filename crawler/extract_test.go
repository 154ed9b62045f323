package crawler_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/indexer"
)

var update = flag.Bool("update", false, "rewrite golden files")

// extractCases are the pages under testdata/extract, with the source each
// is extracted for and the headers it is served with.
var extractCases = map[string]struct {
	url string
	src crawler.Source
	hdr http.Header
}{
	"selectors": {
		url: "https://www.duesseldorf.example/integration/kommunales-integrationszentrum",
		src: crawler.Source{Name: "duesseldorf", Network: "Intercultural Cities", Fields: crawler.Fields{
			Title: "h1.page-title", Summary: ".teaser", Body: ".ce-bodytext", City: "td.city",
			Country: "td.country", Themes: ".tags li", Period: "td.period", Year: "td.period", Published: "time@datetime",
		}},
	},
	"jsonld": {
		url: "https://hub.example/2023/neighbourhood-mothers/",
		src: crawler.Source{Name: "hub", Network: "Living Together", Defaults: crawler.Defaults{City: "Default City", Lang: "fr"}},
	},
	"opengraph": {
		url: "https://observatoire.example/pratiques/mediation-strasbourg",
		src: crawler.Source{Name: "oive", Network: "Observatoire", Defaults: crawler.Defaults{Country: "FR"}},
	},
	"jsonld-places": {
		url: "https://rainbow.example/fr/projets/semaines-contre-le-racisme",
		src: crawler.Source{Name: "icc", Network: "Intercultural Cities", Defaults: crawler.Defaults{Lang: "en"}},
	},
	"jsonld-keywords": {
		url: "https://www.wien.example/menschen/integration/start-wien",
		src: crawler.Source{Name: "wien", Network: "Intercultural Cities"},
		hdr: http.Header{"Content-Language": {"fr"}},
	},
	"portal": {
		url: "https://www.geneve.example/fr/mediation-interculturelle",
		src: crawler.Source{Name: "geneve", Network: "Intercultural Cities", Defaults: crawler.Defaults{City: "Genève", Country: "CH"}},
	},
	"readability": {
		url: "https://www.erlangen.example/interkulturelle-wochen",
		src: crawler.Source{Name: "erlangen", Network: "ICC", Defaults: crawler.Defaults{City: "Erlangen", Country: "DE"}},
	},
}

func TestExtractGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/extract/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no extraction pages: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".html")
		t.Run(name, func(t *testing.T) {
			c, ok := extractCases[name]
			if !ok {
				t.Fatalf("no case for %s", file)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			got, err := crawler.Extract(c.url, doc, c.hdr, c.src)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			gotJSON, _ := json.MarshalIndent(got, "", "  ")
			gotJSON = append(gotJSON, '\n')
			golden := strings.TrimSuffix(file, ".html") + ".golden"
			if *update {
				if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantJSON, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			var want indexer.Practice
			if err := json.Unmarshal(wantJSON, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Extract(%s) (-want +got):\n%s", file, diff)
			}
			// What a reader of the result would notice, whatever the golden says.
			for _, junk := range []string{"Cookies", "cookies", "témoins", "Impressum", "Startseite", "Accueil", "Partager",
				"Facebook", "trackPageView", "Kontakt: Zimmer", "Veröffentlicht", "Publié", "Abonnez", "Mentions légales",
				"Palais Eynard", "À lire aussi", "Zeitraum", "Liferay"} {
				if strings.Contains(got.Body, junk) {
					t.Errorf("body contains page furniture %q:\n%s", junk, got.Body)
				}
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/extract/*.html")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"Article","keywords":[1,{"name":null}],"contentLocation":[{"address":[]}]}]}</script>`))
	f.Add([]byte("<html lang=\"\xff\"><div><div><p>\x00</p>"))
	for _, c := range hostilePages() {
		f.Add([]byte(c.html))
	}
	src := crawler.Source{Fields: crawler.Fields{Title: "h1", Body: "[", City: "p@", Year: "p", Published: "time@datetime"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		p, _ := crawler.Extract("https://example.org/p", doc, http.Header{"Content-Language": {"de"}}, src)
		if p.URL == "" {
			t.Fatal("practice without URL")
		}
		checkPracticeBounds(t, &p) // valid UTF-8, within the caps
	})
}

type hostilePage struct {
	name, html string
	body       string // what the body must contain when the page parses
}

// hostilePages are pages built to break parsers: deep nesting, NUL bytes,
// invalid UTF-8, unclosed tags, a huge flat page.
func hostilePages() []hostilePage {
	text := "Die Stadt berät Neuzugewanderte in vielen Sprachen und begleitet sie zu Ämtern, Schulen und Vereinen."
	return []hostilePage{
		{"10k nested divs", "<h1>Tief</h1>" + strings.Repeat("<div>", 10000) + "<p>" + text + "</p>" + strings.Repeat("</div>", 10000), text},
		{"400 nested divs", "<h1>Tief</h1>" + strings.Repeat("<div>", 400) + "<p>" + text + "</p>" + strings.Repeat("</div>", 400), text},
		{"10k nested unclosed", "<h1>Tief</h1>" + strings.Repeat("<div><span><b>", 3400) + text, ""},
		{"NUL bytes", "<html lang=de><h1>Null\x00Byte</h1><p>\x00" + text + "\x00</p><p>\x00\x00</p>", text},
		{"invalid UTF-8", "<html lang=\"\xff\xfe\"><title>\xc3\x28 Titel</title><p>" + text + " \xed\xa0\x80 \xf0\x28\x8c\x28</p>", text},
		{"unclosed tags", "<html><head><title>Offen</title><body><h1>Offen</h1><p>" + text + "<div><ul><li>eins<li>zwei<table><tr><td>" + text, text},
		{"broken JSON-LD", `<script type="application/ld+json">{"@type":"Article","headline":` + strings.Repeat("[", 5000) + `</script><h1>JSON</h1><p>` + text + `</p>`, text},
		{"comment and CDATA soup", "<h1>Soup</h1><!-- <p>hidden</p> --><![CDATA[ x ]]><p>" + text + "</p><!--", text},
		{"20k flat paragraphs", "<h1>Flach</h1><div>" + strings.Repeat("<p><a href=/x>Link</a> "+text+"</p>", 20000) + "</div>", text},
	}
}

// TestExtractHostile: hostile HTML never panics; a page the parser
// accepts gives a practice with its text, one it refuses gives an error.
func TestExtractHostile(t *testing.T) {
	src := crawler.Source{Name: "x", Network: "n", Defaults: crawler.Defaults{Lang: "de"}}
	for _, c := range hostilePages() {
		t.Run(c.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(c.html))
			if err != nil {
				// x/net/html refuses more than 512 open elements: the
				// crawler reports such a page as failed with this message.
				if !strings.Contains(err.Error(), "html") {
					t.Errorf("parse error %q does not say what failed", err)
				}
				return
			}
			p, err := crawler.Extract("https://example.org/seite", doc, nil, src)
			if err != nil && p.Title != "" {
				t.Errorf("error %v with a title %q", err, p.Title)
			}
			if p.URL != "https://example.org/seite" {
				t.Errorf("url %q", p.URL)
			}
			if c.body != "" && !strings.Contains(p.Body, c.body) {
				t.Errorf("body lost the page text: %.300q", p.Body)
			}
		})
	}
}
