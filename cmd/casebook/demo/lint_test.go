package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
)

// TestContentLint checks the embedded content against what the issue asks
// of the demo corpus and what the indexer's vocabulary understands.
func TestContentLint(t *testing.T) {
	pages, err := Load()
	if err != nil {
		t.Errorf("Load:\n%v", err)
	}
	if _, err := Build(pages); err != nil {
		t.Errorf("Build:\n%v", err)
	}
	if len(pages) < 60 {
		t.Errorf("%d practice pages, want at least 60", len(pages))
	}
	cities := map[string]bool{}
	langs := map[string]int{}
	sites := map[string]int{}
	type key struct{ site, group string }
	groups := map[key][]*PracticePage{}
	for i := range pages {
		p := &pages[i]
		langs[p.Lang]++
		sites[p.Site]++
		groups[key{p.Site, p.Group}] = append(groups[key{p.Site, p.Group}], p)
		if n := p.Words(); n < 150 || n > 400 {
			t.Errorf("%s: body has %d words, want 150-400", p.File, n)
		}
		if len(p.Cities) == 0 && p.Site == "duesseldorf" {
			cities["Düsseldorf"] = true // the source's default city
		}
		for _, c := range p.Cities {
			city, ok := indexer.LookupCity(c)
			if !ok {
				t.Errorf("%s: city %q is not in the indexer's vocabulary", p.File, c)
				continue
			}
			cities[city.Name] = true
		}
		if p.Country != "" {
			if _, ok := indexer.LookupCountry(p.Country); !ok {
				t.Errorf("%s: country %q is not in the indexer's vocabulary", p.File, p.Country)
			}
		}
		for _, th := range p.Themes {
			if _, ok := indexer.LookupTheme(th); !ok {
				t.Errorf("%s: theme tag %q does not map to a theme", p.File, th)
			}
			if p.Site == "hub" && strings.Contains(th, ",") {
				t.Errorf("%s: hub theme tag %q holds a comma, which splits it in the JSON-LD keywords", p.File, th)
			}
		}
	}
	if len(cities) < 20 {
		t.Errorf("%d distinct cities, want at least 20: %v", len(cities), cities)
	}
	for _, l := range []string{"en", "fr", "de"} {
		if langs[l] == 0 {
			t.Errorf("no page in %s", l)
		}
	}
	for _, s := range siteNames {
		if sites[s] == 0 {
			t.Errorf("site %s has no page", s)
		}
	}
	for k, g := range groups {
		seen := map[string]string{}
		for _, p := range g {
			if other, dup := seen[p.Lang]; dup {
				t.Errorf("%s/%s: two %s pages, %s and %s", k.site, k.group, p.Lang, other, p.File)
			}
			seen[p.Lang] = p.File
			if len(g) < 2 || p == g[0] {
				continue
			}
			if a, b := mainCity(g[0]), mainCity(p); a != b {
				t.Errorf("%s/%s: main city %q in %s but %q in %s", k.site, k.group, a, g[0].File, b, p.File)
			}
			if a, b := themeIDs(g[0]), themeIDs(p); !slices.Equal(a, b) {
				t.Errorf("%s/%s: themes %v in %s but %v in %s", k.site, k.group, a, g[0].File, b, p.File)
			}
		}
	}
	t.Logf("%d pages, %d cities, languages %v, sites %v, %d groups", len(pages), len(cities), langs, sites, len(groups))
}

func mainCity(p *PracticePage) string {
	if len(p.Cities) == 0 {
		return "(default)"
	}
	c, _ := indexer.LookupCity(p.Cities[0])
	return c.Name
}

func themeIDs(p *PracticePage) []string {
	var ids []string
	for _, th := range p.Themes {
		if id, ok := indexer.LookupTheme(th); ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestEmbeddedSitesServeEveryPage starts the real demo sites and fetches
// every page their sitemaps list.
func TestEmbeddedSitesServeEveryPage(t *testing.T) {
	if _, err := contentSites(); err != nil {
		t.Skipf("embedded content does not load (see TestContentLint): %v", err)
	}
	r, err := Start(t.Context())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer r.Close()
	total := 0
	for _, src := range r.Sources() {
		for _, u := range sitemapLocs(t, src.Sitemaps[0]) {
			doc := getDoc(t, u.Loc)
			if path := strings.TrimPrefix(u.Loc, r.URL(src.Name)); matchesAny(src.Include, path) {
				total++
				if doc.Find(`link[rel="canonical"]`).AttrOr("href", "") != u.Loc {
					t.Errorf("%s: canonical is not its own URL", u.Loc)
				}
			}
		}
	}
	pages, _ := Load()
	if total != len(pages) {
		t.Errorf("sitemaps list %d practice pages, content has %d", total, len(pages))
	}
}

func TestSites(t *testing.T) {
	if _, err := contentSites(); err != nil {
		t.Skipf("embedded content does not load (see TestContentLint): %v", err)
	}
	var got []string
	for _, s := range Sites() {
		got = append(got, s.Name+" / "+s.Network)
		if s.Handler == nil {
			t.Errorf("site %s has no handler", s.Name)
		}
	}
	want := []string{
		"icc / Intercultural Cities",
		"oive / International Observatory of Mayors on Living Together",
		"duesseldorf / Intercultural Cities",
		"hub / Intercultural Cities",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Sites() = %q, want %q", got, want)
	}
}
