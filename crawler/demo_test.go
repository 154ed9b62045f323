package crawler_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/indexer"
)

// demoSamples are practice pages of the demo sites whose extracted fields
// are compared with testdata/demo/*.golden (origins written {{origin}}).
var demoSamples = map[string][]string{
	"icc": {
		"/en/good-practice/barcelona-anti-rumour-strategy",
		"/fr/bonnes-pratiques/barcelone-strategie-anti-rumeurs",
	},
	"oive": {
		"/fr/pratiques/paris-integration-des-refugies",
		"/en/practices/paris-refugee-integration",
	},
	"duesseldorf": {
		"/leben/integration/gute-praxis/integrationsrat-duesseldorf.html",
		"/en/living/integration/good-practice/integration-council-duesseldorf.html",
	},
	"hub": {
		"/stories/lublin-ukrainische-kinder-in-schulen/",
		"/stories/copenhagen-neighbourhood-mothers/",
		"/stories/turin-maisons-de-quartier/",
	},
}

// TestCrawlDemoSites crawls every bundled demo site the way `casebook demo`
// does and checks what a visitor of the search would see of it.
func TestCrawlDemoSites(t *testing.T) {
	sites, err := demo.Start(t.Context())
	if err != nil {
		t.Fatalf("demo.Start: %v", err)
	}
	defer sites.Close()
	pages, err := demo.Load()
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	perSite := map[string]int{}
	for _, p := range pages {
		perSite[p.Site]++
	}
	c := crawler.New(crawler.Config{AllowPrivateNetworks: true})
	total := 0
	for _, src := range sites.Sources() {
		t.Run(src.Name, func(t *testing.T) {
			origin := sites.URL(src.Name)
			var got events
			if err := c.Crawl(t.Context(), src, got.add); err != nil {
				t.Fatalf("Crawl: %v", err)
			}
			if f := got.urls(crawler.EventFailed); len(f) > 0 {
				t.Errorf("failed URLs: %v", f)
			}
			practices := got.urls(crawler.EventPractice)
			total += len(practices)
			// Every page of the site's content, once (canonical URLs dedupe
			// the tracking-parameter variants of the listings).
			if len(practices) != perSite[src.Name] {
				t.Errorf("%d practices, want %d (one per content page)", len(practices), perSite[src.Name])
			}
			for _, u := range practices {
				p := got.practice(u)
				if p.Title == "" || len(p.Body) < 300 || len(p.Cities) == 0 || len(p.Themes) == 0 {
					t.Errorf("%s: title %q, body %d bytes, cities %q, themes %q", u, p.Title, len(p.Body), p.Cities, p.Themes)
				}
				if p.Lang != "en" && p.Lang != "fr" && p.Lang != "de" {
					t.Errorf("%s: lang %q", u, p.Lang)
				}
				for _, junk := range []string{"cookie", "Cookie", "©"} {
					if strings.Contains(p.Body, junk) {
						t.Errorf("%s: body contains %q", u, junk)
					}
				}
			}
			samples := demoSamples[src.Name]
			if len(samples) < 2 {
				t.Fatalf("no sample pages for demo site %q", src.Name)
			}
			for _, path := range samples {
				p := got.practice(origin + path)
				if p == nil {
					t.Errorf("sample %s was not extracted (did the demo content change? update demoSamples)", path)
					continue
				}
				checkDemoGolden(t, src.Name, path, origin, *p)
			}
		})
	}
	if total != len(pages) || total < 60 {
		t.Errorf("%d practices over all demo sites, want all %d content pages (≥ 60)", total, len(pages))
	}
}

func checkDemoGolden(t *testing.T, site, path, origin string, p indexer.Practice) {
	t.Helper()
	data, _ := json.MarshalIndent(p, "", "  ")
	data = []byte(strings.ReplaceAll(string(data), origin, "{{origin}}") + "\n")
	name := site + "-" + strings.Trim(strings.NewReplacer("/", "-", ".html", "").Replace(path), "-") + ".golden"
	golden := filepath.Join("testdata", "demo", name)
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestCrawlDemoSites -update to create it)", err)
	}
	var wantP, gotP indexer.Practice
	if err := json.Unmarshal(want, &wantP); err != nil {
		t.Fatalf("%s: %v", golden, err)
	}
	_ = json.Unmarshal(data, &gotP)
	if diff := cmp.Diff(wantP, gotP); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
