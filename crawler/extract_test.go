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
			for _, junk := range []string{"Cookies", "cookies", "Impressum", "Startseite", "Accueil", "Partager", "trackPageView", "Kontakt: Zimmer"} {
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
	})
}
