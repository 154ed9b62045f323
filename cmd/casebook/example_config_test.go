package main

import (
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

const exampleConfig = "../../casebook.example.yaml"

// casebook.example.yaml loads with the real loader and says what an
// operator reads in it: the two networks and four member cities.
func TestExampleConfigLoads(t *testing.T) {
	t.Setenv("CASEBOOK_INDEX", "")
	t.Setenv("CASEBOOK_ADDR", "")
	cfg, err := loadConfig(exampleConfig)
	if err != nil {
		t.Fatalf("loadConfig(%s): %v", exampleConfig, err)
	}
	if cfg.Index != "/data/index" || cfg.Server.Addr != ":8080" {
		t.Errorf("index %q, addr %q; want /data/index (the container volume) and :8080", cfg.Index, cfg.Server.Addr)
	}
	if rl := cfg.rateLimit(); rl == nil || rl.PerSecond != 20 || rl.Burst != 40 {
		t.Errorf("rate limit %+v; want 20/s, burst 40", rl)
	}
	if cfg.Server.AdminTokenEnv != "CASEBOOK_ADMIN_TOKEN" {
		t.Errorf("admin_token_env = %q", cfg.Server.AdminTokenEnv)
	}
	for _, p := range cfg.Server.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				t.Errorf("trusted proxy %q is neither an address nor a CIDR range", p)
			}
		}
	}
	for _, o := range cfg.Server.AllowedOrigins {
		if !strings.HasPrefix(o, "https://") || strings.HasSuffix(o, "/") {
			t.Errorf("allowed origin %q; want https://host without a path", o)
		}
	}
	if c := cfg.crawlerSettings(); c.Delay != time.Second || c.Timeout != 20*time.Second || c.Concurrency != 4 || c.AllowPrivateNetworks {
		t.Errorf("crawler settings %+v; want 1s delay, 20s timeout, 4 at once, public networks only", c)
	}
	if cfg.Crawler.Schedule.Spec != "0 3 * * *" {
		t.Errorf("crawler.schedule = %q", cfg.Crawler.Schedule.Spec)
	}

	srcs, err := cfg.crawlSources(nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	networks := map[string]string{}
	for _, s := range srcs {
		names = append(names, s.Name)
		networks[s.Name] = s.Network
		if len(s.StartURLs)+len(s.Sitemaps) == 0 {
			t.Errorf("source %s has neither start_urls nor sitemaps", s.Name)
		}
		for _, u := range append(slices.Clone(s.StartURLs), s.Sitemaps...) {
			if !strings.HasPrefix(u, "https://") {
				t.Errorf("source %s: %s is not https", s.Name, u)
			}
		}
	}
	if want := []string{"icc", "oive", "duesseldorf", "montreal", "lisbon", "barcelona"}; !slices.Equal(names, want) {
		t.Errorf("sources %v; want %v", names, want)
	}
	if networks["icc"] != "Intercultural Cities" || networks["oive"] != "International Observatory of Mayors on Living Together" {
		t.Errorf("networks %v; want Intercultural Cities and the International Observatory of Mayors on Living Together", networks)
	}
	byName := map[string]int{}
	for i, s := range srcs {
		byName[s.Name] = i
	}
	for _, test := range []struct{ source, city, country, lang string }{
		{"duesseldorf", "Düsseldorf", "DE", "de"}, {"montreal", "Montreal", "CA", "fr"},
		{"lisbon", "Lisbon", "PT", ""}, {"barcelona", "Barcelona", "ES", ""},
	} {
		d := srcs[byName[test.source]].Defaults
		if d.City != test.city || d.Country != test.country || d.Lang != test.lang {
			t.Errorf("%s defaults %+v; want %s, %s, %q", test.source, d, test.city, test.country, test.lang)
		}
	}
	icc := srcs[byName["icc"]]
	if icc.Delay != 2*time.Second || icc.MaxPages != 3000 || icc.MaxDepth != 4 || icc.Fields.Title != "h1" || icc.Fields.Published != "time@datetime" {
		t.Errorf("icc source %+v", icc)
	}
	// The URL patterns behave as their comments say.
	for _, test := range []struct {
		what   string
		got    bool
		sample string
	}{
		{"icc include", icc.Include[0].MatchString("/en/web/interculturalcities/-/lisbon-one-stop-shop"), "a practice"},
		{"icc include", !icc.Include[0].MatchString("/en/web/interculturalcities/good-practices"), "not the listing"},
		{"icc follow", icc.Follow[0].MatchString("/en/web/interculturalcities/good-practices?page=2"), "the listing's pages"},
		{"icc exclude", icc.Exclude[0].MatchString("/documents/report.pdf"), "documents"},
	} {
		if !test.got {
			t.Errorf("%s does not match %s", test.what, test.sample)
		}
	}
	if s := cfg.Sources[byName["icc"]]; s.Schedule.Spec != "30 2 * * 1" {
		t.Errorf("icc schedule %q", s.Schedule.Spec)
	}
}

// Every key of the configuration file appears in the example with a
// comment saying what it does, and the selectors are flagged as examples
// to verify.
func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	present, commented := map[string]bool{}, map[string]bool{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, prefix)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if c.Kind == yaml.MappingNode {
					walk(c, prefix+"[]")
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				path := k.Value
				if prefix != "" {
					path = prefix + "." + k.Value
				}
				present[path] = true
				if k.HeadComment != "" || k.LineComment != "" || v.LineComment != "" || v.HeadComment != "" {
					commented[path] = true
				}
				walk(v, path)
			}
		}
	}
	walk(&root, "")
	for _, k := range leafKeys() {
		switch {
		case !present[k]:
			t.Errorf("casebook.example.yaml does not show %s", k)
		case !commented[k]:
			t.Errorf("casebook.example.yaml shows %s without a comment", k)
		}
	}
	if n := strings.Count(string(data), "EXAMPLE"); n < 6 {
		t.Errorf("casebook.example.yaml flags %d places as examples to verify; want the URLs and selectors of every source flagged", n)
	}
}
