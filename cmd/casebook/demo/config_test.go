package demo

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/casebook-project/casebook/crawler"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// yamlConfig mirrors the part of CONTRACT §2 that ConfigYAML writes.
type yamlConfig struct {
	Index  string `yaml:"index"`
	Server struct {
		Addr           string   `yaml:"addr"`
		AllowedOrigins []string `yaml:"allowed_origins"`
		AdminTokenEnv  string   `yaml:"admin_token_env"`
	} `yaml:"server"`
	Crawler struct {
		Concurrency          int    `yaml:"concurrency"`
		Delay                string `yaml:"delay"`
		Timeout              string `yaml:"timeout"`
		AllowPrivateNetworks bool   `yaml:"allow_private_networks"`
	} `yaml:"crawler"`
	Sources []struct {
		Name      string            `yaml:"name"`
		Network   string            `yaml:"network"`
		StartURLs []string          `yaml:"start_urls"`
		Sitemaps  []string          `yaml:"sitemaps"`
		Include   []string          `yaml:"include"`
		Follow    []string          `yaml:"follow"`
		Exclude   []string          `yaml:"exclude"`
		Defaults  crawler.Defaults  `yaml:"defaults"`
		Fields    map[string]string `yaml:"fields"`
	} `yaml:"sources"`
}

func TestConfigYAML(t *testing.T) {
	r := serve(t, testContent(t))
	text := r.ConfigYAML(`/tmp/demo "index"`)
	var cfg yamlConfig
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("ConfigYAML does not decode: %v\n%s", err, text)
	}
	if cfg.Index != `/tmp/demo "index"` || cfg.Server.Addr != "127.0.0.1:8080" || cfg.Crawler.Delay != "0s" ||
		cfg.Crawler.Concurrency != 4 || !cfg.Crawler.AllowPrivateNetworks {
		t.Errorf("ConfigYAML settings = %+v %+v %+v", cfg.Index, cfg.Server, cfg.Crawler)
	}
	srcs := r.Sources()
	if len(cfg.Sources) != len(srcs) {
		t.Fatalf("ConfigYAML has %d sources, want %d", len(cfg.Sources), len(srcs))
	}
	for i, src := range srcs {
		got := cfg.Sources[i]
		fields := map[string]string{}
		for k, v := range map[string]string{
			"title": src.Fields.Title, "summary": src.Fields.Summary, "body": src.Fields.Body,
			"city": src.Fields.City, "country": src.Fields.Country, "themes": src.Fields.Themes,
			"period": src.Fields.Period, "year": src.Fields.Year, "published": src.Fields.Published,
		} {
			if v != "" {
				fields[k] = v
			}
		}
		if len(fields) == 0 {
			fields = nil
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"name", got.Name, src.Name},
			{"network", got.Network, src.Network},
			{"start_urls", got.StartURLs, src.StartURLs},
			{"sitemaps", got.Sitemaps, src.Sitemaps},
			{"include", got.Include, patterns(src.Include)},
			{"follow", got.Follow, patterns(src.Follow)},
			{"exclude", nonNil(got.Exclude), patterns(src.Exclude)},
			{"defaults", got.Defaults, src.Defaults},
			{"fields", got.Fields, fields},
		} {
			if diff := cmp.Diff(c.want, c.got); diff != "" {
				t.Errorf("source %s %s (-want +got):\n%s", src.Name, c.what, diff)
			}
		}
		for _, p := range got.Include {
			if _, err := regexp.Compile(p); err != nil {
				t.Errorf("source %s include %q: %v", src.Name, p, err)
			}
		}
	}
	if cfg.Sources[3].Name != "hub" || cfg.Sources[3].Fields != nil {
		t.Errorf("hub source has fields %v, want none", cfg.Sources[3].Fields)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestSourceRules checks the include and follow rules against the URL
// schemes: listings are followed and not included, practices the reverse.
func TestSourceRules(t *testing.T) {
	r := serve(t, testContent(t))
	for _, test := range []struct {
		site              string
		follow, practices []string
		neither           []string
	}{
		{"icc", []string{"/en/good-practice", "/en/good-practice?page=2", "/fr/bonnes-pratiques"},
			[]string{"/en/good-practice/a-b", "/en/good-practice/a?utm_source=listing", "/de/gute-praxis/x"},
			[]string{"/", "/en/about", "/search?q=x", "/en/good-practice?theme=youth"}},
		{"oive", []string{"/fr/pratiques", "/fr/pratiques?theme=emploi", "/en/practices"},
			[]string{"/fr/pratiques/a-b", "/en/practices/x"}, []string{"/fr/a-propos", "/"}},
		{"duesseldorf", []string{"/leben/integration/gute-praxis.html", "/en/living/integration/good-practice.html"},
			[]string{"/leben/integration/gute-praxis/a-b.html", "/en/living/integration/good-practice/x.html"},
			[]string{"/impressum.html", "/suche?q=x"}},
		{"hub", []string{"/stories/", "/stories/page/2/"}, []string{"/stories/a-b/"},
			[]string{"/about/", "/stories/a-b/?share=twitter", "/wp-sitemap.xml"}},
	} {
		var src crawler.Source
		for _, s := range r.Sources() {
			if s.Name == test.site {
				src = s
			}
		}
		for _, p := range test.follow {
			if !matchesAny(src.Follow, p) || matchesAny(src.Include, p) {
				t.Errorf("%s %s: want followed, not included", test.site, p)
			}
		}
		for _, p := range test.practices {
			if matchesAny(src.Follow, p) || !matchesAny(src.Include, p) {
				t.Errorf("%s %s: want included, not followed", test.site, p)
			}
		}
		for _, p := range test.neither {
			if matchesAny(src.Follow, p) || matchesAny(src.Include, p) {
				t.Errorf("%s %s: want neither followed nor included", test.site, p)
			}
		}
		for _, u := range src.StartURLs {
			if !matchesAny(src.Follow, strings.TrimPrefix(u, r.URL(test.site))) {
				t.Errorf("%s start URL %s is not followed", test.site, u)
			}
		}
	}
}

// TestGoldenPages renders one practice page of each site; the golden files
// show the markup a crawler meets. Run with -update after changing a template.
func TestGoldenPages(t *testing.T) {
	pages, err := LoadFS(testContent(t), "content")
	if err != nil {
		t.Fatal(err)
	}
	sites, err := Build(pages)
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"icc":         "/fr/bonnes-pratiques/lisbon-guichet-unique",
		"oive":        "/fr/pratiques/montreal-bureau-nouveaux-arrivants",
		"duesseldorf": "/leben/integration/gute-praxis/lotsenprojekt.html",
		"hub":         "/stories/botkyrka-libraries/",
	}
	for _, s := range sites {
		req := httptest.NewRequest(http.MethodGet, "http://demo.test"+paths[s.Name], nil)
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s %s: status %d", s.Name, paths[s.Name], rec.Code)
		}
		golden := filepath.Join("testdata", "golden", s.Name+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, rec.Body.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(rec.Body.Bytes(), want) {
			t.Errorf("%s page differs from %s (-want +got):\n%s", s.Name, golden, cmp.Diff(string(want), rec.Body.String()))
		}
	}
}
