package search_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

func TestSearchCrossLanguage(t *testing.T) {
	for _, test := range []struct {
		query string
		want  []string // ids that must be among the hits
	}{
		// A city in any of its forms finds the city's practices.
		{"q=Lissabon", []string{id("en", "lisbon-one-stop")}},
		{"q=Lisbonne&ui=fr", []string{id("fr", "lisbon-one-stop")}},
		{"q=Lisboa&ui=de", []string{id("de", "lisbon-one-stop")}},
		// A theme word in German finds French and English housing practices.
		{"q=Wohnen", []string{id("fr", "strasbourg-logement"), id("fr", "bruxelles-logement"), id("en", "duesseldorf-wohnen")}},
		// A French word finds through its stem and the theme it names.
		{"q=logement&ui=de", []string{id("fr", "strasbourg-logement"), id("de", "duesseldorf-wohnen")}},
		// A typo still finds.
		{"q=Barcelna", []string{id("en", "barcelona-anti-rumour")}},
		// (The English member stands for the group in the English interface.)
		{"q=integraton", []string{id("en", "duesseldorf-wohnen")}},
	} {
		res := doSearch(t, test.query)
		got := ids(res)
		for _, w := range test.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: hits %v lack %s", test.query, hitTitles(res), w)
			}
		}
	}
}

func hitTitles(res *search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Lang+":"+h.Title)
	}
	return out
}

func TestSearchTranslationGrouping(t *testing.T) {
	for _, ui := range []string{"en", "fr", "de"} {
		res := doSearch(t, "q=Lisbon+one-stop+Lisbonne+Lissabon&ui="+ui)
		var group []search.Hit
		for _, h := range res.Hits {
			if strings.HasSuffix(h.URL, "/lisbon-one-stop") {
				group = append(group, h)
			}
		}
		if len(group) != 1 {
			t.Errorf("ui=%s: the Lisbon practice appears %d times in %v; want once", ui, len(group), hitTitles(res))
			continue
		}
		if group[0].Lang != ui {
			t.Errorf("ui=%s: the Lisbon practice is shown in %s; want %s", ui, group[0].Lang, ui)
		}
		var langs []string
		for _, tr := range group[0].Translations {
			langs = append(langs, tr.Lang)
		}
		slices.Sort(langs)
		want := slices.DeleteFunc([]string{"de", "en", "fr"}, func(l string) bool { return l == ui })
		if !slices.Equal(langs, want) {
			t.Errorf("ui=%s: translations %v; want %v", ui, langs, want)
		}
	}
	// Browsing: 21 documents, two translation groups of 3 and 2.
	if res := doSearch(t, "size=100"); res.Total != 18 || len(res.Hits) != 18 {
		t.Errorf("browse all: total %d with %d hits; want 18 practices", res.Total, len(res.Hits))
	}
	// Filtered to one language, every version is its own hit.
	if res := doSearch(t, "lang=de&size=100"); res.Total != 5 {
		t.Errorf("lang=de: total %d; want 5", res.Total)
	}
}

func TestSearchFilters(t *testing.T) {
	for _, test := range []struct {
		query string
		ok    func(search.Hit) bool
		want  int
	}{
		{"city=D%C3%BCsseldorf&ui=de", func(h search.Hit) bool { return slices.Contains(h.Cities, "Düsseldorf") }, 1},
		{"city=Lissabon&lang=fr", func(h search.Hit) bool { return h.Lang == "fr" && h.Cities[0] == "Lisbon" }, 1},
		{"lang=fr&lang=de&size=100", func(h search.Hit) bool { return h.Lang == "fr" || h.Lang == "de" }, 10},
		{"lang=fr&theme=housing-urban", func(h search.Hit) bool { return h.Lang == "fr" && hasTheme(h, "housing-urban") }, 2},
		{"theme=Jugend&theme=sport", func(h search.Hit) bool { return hasTheme(h, "youth") || hasTheme(h, "sport") }, 3},
		{"country=Deutschland&lang=de", func(h search.Hit) bool { return h.Country == "DE" && h.Lang == "de" }, 3},
		{"network=Cities+of+Migration", func(h search.Hit) bool { return h.Network == "Cities of Migration" }, 3},
		{"year_from=2015&year_to=2016&lang=de", func(h search.Hit) bool { return h.Year >= 2015 && h.Year <= 2016 }, 2},
		{"year_to=2001", func(h search.Hit) bool { return h.Year == 2001 }, 2},
		{"q=refugees&theme=housing-urban&country=FR", func(h search.Hit) bool { return h.Country == "FR" }, 1},
		{"city=Springfield", nil, 0},
	} {
		res := doSearch(t, test.query)
		if int(res.Total) != test.want || len(res.Hits) != test.want {
			t.Errorf("%s: total %d, %d hits %v; want %d", test.query, res.Total, len(res.Hits), hitTitles(res), test.want)
		}
		for _, h := range res.Hits {
			if !test.ok(h) {
				t.Errorf("%s: hit %s %s %v %s %d does not pass the filter", test.query, h.Lang, h.Title, h.Cities, h.Country, h.Year)
			}
		}
	}
}

func hasTheme(h search.Hit, id string) bool {
	return slices.ContainsFunc(h.Themes, func(l search.Label) bool { return l.Value == id })
}

func facetCounts(res *search.Result, facet string) map[string]int {
	out := map[string]int{}
	for _, v := range res.Facets[facet] {
		out[v.Value] = v.Count
	}
	return out
}

func TestSearchDisjunctiveFacets(t *testing.T) {
	all := doSearch(t, "")
	lisbon := doSearch(t, "city=Lisbon")
	if got, want := facetCounts(lisbon, "city"), facetCounts(all, "city"); !mapsEqual(got, want) {
		t.Errorf("city facet changed when a city was selected: %v; want %v", got, want)
	}
	themes := facetCounts(lisbon, "theme")
	if len(themes) != 3 || themes["welcoming"] != 3 || themes["refugees"] != 3 {
		t.Errorf("theme facet with city=Lisbon: %v; want the 3 themes of the Lisbon practice, 3 each", themes)
	}
	sel := 0
	for _, v := range lisbon.Facets["city"] {
		if v.Selected {
			sel++
			if v.Value != "Lisbon" {
				t.Errorf("selected city %q; want Lisbon", v.Value)
			}
		}
	}
	if sel != 1 {
		t.Errorf("%d selected cities; want 1", sel)
	}
	// A selected value with no match stays, with count 0, selected.
	res := doSearch(t, "city=Springfield&theme=roma")
	for facet, value := range map[string]string{"city": "Springfield", "theme": "roma"} {
		i := slices.IndexFunc(res.Facets[facet], func(v search.FacetValue) bool { return v.Value == value })
		if i < 0 || !res.Facets[facet][i].Selected || res.Facets[facet][i].Count != 0 {
			t.Errorf("facet %s: %v; want %s selected with count 0", facet, res.Facets[facet], value)
		}
	}
	// OR within a facet: selecting two languages keeps the lang counts.
	two := doSearch(t, "lang=fr&lang=de")
	if got, want := facetCounts(two, "lang"), facetCounts(all, "lang"); !mapsEqual(got, want) {
		t.Errorf("lang facet with lang=fr&lang=de: %v; want %v", got, want)
	}
	if got := facetCounts(two, "country"); got["PT"] != 2 || got["GB"] != 0 {
		t.Errorf("country facet with lang=fr&lang=de: %v; want PT 2 and no GB", got)
	}
	for _, f := range search.Facets {
		if res.Facets[f] == nil {
			t.Errorf("facet %s missing", f)
		}
		for i := 1; i < len(all.Facets[f]); i++ {
			if all.Facets[f][i].Count > all.Facets[f][i-1].Count {
				t.Errorf("facet %s not sorted by count: %v", f, all.Facets[f])
			}
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSearchUILabels(t *testing.T) {
	res := doSearch(t, "theme=housing-urban&ui=de")
	i := slices.IndexFunc(res.Facets["theme"], func(v search.FacetValue) bool { return v.Value == "housing-urban" })
	if i < 0 || !res.Facets["theme"][i].Selected || !strings.Contains(res.Facets["theme"][i].Label, "Wohnen") {
		t.Errorf("theme facet in German: %+v", res.Facets["theme"])
	}
	for _, h := range res.Hits {
		if !hasTheme(h, "housing-urban") {
			t.Errorf("hit %s without the theme", h.Title)
		}
		for _, l := range h.Themes {
			if l.Label != indexer.ThemeLabel(l.Value, "de") {
				t.Errorf("hit theme %+v not labelled in German", l)
			}
		}
	}
	if l := doSearch(t, "ui=fr").Facets["lang"]; !slices.ContainsFunc(l, func(v search.FacetValue) bool { return v.Value == "de" && v.Label == indexer.LangLabel("de", "fr") }) {
		t.Errorf("lang facet in French: %v", l)
	}
}

func TestSearchPagingAndSort(t *testing.T) {
	var seen []string
	for page := 1; page <= 4; page++ {
		res := doSearch(t, "size=5&page="+string(rune('0'+page)))
		if res.Total != 18 {
			t.Errorf("page %d: total %d; want 18", page, res.Total)
		}
		for _, h := range res.Hits {
			if slices.Contains(seen, h.ID) {
				t.Errorf("page %d repeats %s", page, h.Title)
			}
			seen = append(seen, h.ID)
		}
	}
	if len(seen) != 18 {
		t.Errorf("4 pages of 5 gave %d practices; want 18", len(seen))
	}
	if res := doSearch(t, "page=5&size=5"); len(res.Hits) != 0 || res.Total != 18 {
		t.Errorf("page past the end: %d hits, total %d", len(res.Hits), res.Total)
	}
	for _, test := range []struct {
		query string
		desc  bool
	}{{"size=100", true}, {"size=100&sort=newest", true}, {"size=100&sort=oldest", false}, {"q=refugees&sort=oldest", false}} {
		res := doSearch(t, test.query)
		var dates []string
		for _, h := range res.Hits {
			dates = append(dates, h.Published)
		}
		want := slices.Clone(dates)
		slices.Sort(want)
		if test.desc {
			slices.Reverse(want)
		}
		if !slices.Equal(dates, want) || len(dates) < 2 {
			t.Errorf("%s: published dates %v; want %v", test.query, dates, want)
		}
	}
	rel := doSearch(t, "q=refugees")
	for i := 1; i < len(rel.Hits); i++ {
		if rel.Hits[i].Score > rel.Hits[i-1].Score {
			t.Errorf("relevance order broken at %d: %v", i, hitTitles(rel))
		}
	}
}

func TestSearchHighlights(t *testing.T) {
	for _, q := range []string{"q=hostile", "q=mark+script+quoted", "q=%22literal+mark%22", "q=onerror+img", "q=lt+gt+amp"} {
		res := doSearch(t, q)
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hit", q)
		}
		for _, h := range res.Hits {
			for _, f := range []string{h.TitleHTML, h.SnippetHTML} {
				if err := onlyTextAndMark(f); err != nil {
					t.Errorf("%s: %s in %q", q, err, f)
				}
			}
		}
	}
	res := doSearch(t, "q=hostile")
	if len(res.Hits) != 1 || !strings.Contains(res.Hits[0].TitleHTML, "<mark>Hostile</mark>") || !strings.Contains(res.Hits[0].SnippetHTML, "<mark>hostile</mark>") {
		t.Errorf("hostile: %+v", res.Hits)
	}
	if got := res.Hits[0].TitleHTML; !strings.HasPrefix(got, "&lt;script&gt;") {
		t.Errorf("title_html %q does not start with the escaped <script>", got)
	}
	// A match deep in a long body gives a snippet around it.
	res = doSearch(t, "q=duplication")
	if len(res.Hits) == 0 || !strings.HasPrefix(res.Hits[0].SnippetHTML, "…") || !strings.Contains(res.Hits[0].SnippetHTML, "<mark>duplication</mark>") || len(res.Hits[0].SnippetHTML) > 2*search.SnippetLength {
		t.Errorf("duplication: %+v", res.Hits)
	}
	// Without a text match, the snippet is the start of the summary.
	res = doSearch(t, "q=Lissabon&ui=en")
	if len(res.Hits) == 0 || strings.Contains(res.Hits[0].TitleHTML, "<mark>") && !strings.Contains(res.Hits[0].TitleHTML, "Lisbon") {
		t.Errorf("Lissabon: %+v", res.Hits)
	}
}

// onlyTextAndMark parses s as an HTML fragment and reports anything but
// text and <mark> elements without attributes.
func onlyTextAndMark(s string) error {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P})
	if err != nil {
		return err
	}
	var walk func(n *html.Node) error
	walk = func(n *html.Node) error {
		switch {
		case n.Type == html.TextNode:
		case n.Type == html.ElementNode && n.Data == "mark" && len(n.Attr) == 0:
		default:
			return errors.New("unexpected node " + n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := walk(n); err != nil {
			return err
		}
	}
	return nil
}

// A quoted or hyphenated word is matched exactly: "anti-rumour" must not
// fuzz its parts into "act", "anything" or "active".
func TestSearchHyphenatedWordsAreExact(t *testing.T) {
	for _, q := range []string{`q="anti-rumour"`, `q=anti-rumour`} {
		res := doSearch(t, q+"&size=100")
		if res.Total == 0 {
			t.Errorf("%s found nothing", q)
		}
		for _, h := range res.Hits {
			text := strings.ToLower(h.Title + " " + h.Summary + " " + h.SnippetHTML)
			hasTheme := false
			for _, th := range h.Themes {
				hasTheme = hasTheme || th.Value == "anti-rumour"
			}
			if !strings.Contains(text, "rumour") && !strings.Contains(text, "rumeur") && !hasTheme {
				t.Errorf("%s returned %q, which neither mentions rumours nor has the theme", q, h.Title)
			}
		}
	}
}

// An excluded city name excludes the city's practices in every language,
// whatever form of the name their text uses.
func TestSearchExcludedCityInAnyLanguage(t *testing.T) {
	all := doSearch(t, "q=-Nobody&size=100")
	for _, q := range []string{"q=-Lissabon&size=100", "q=-Lisbonne&size=100&ui=fr", "q=-LISBOA&size=100"} {
		res := doSearch(t, q)
		if res.Total == 0 || res.Total >= all.Total {
			t.Errorf("%s: total %d of %d", q, res.Total, all.Total)
		}
		for _, h := range res.Hits {
			if slices.Contains(h.Cities, "Lisbon") {
				t.Errorf("%s returned the Lisbon practice %q (%s)", q, h.Title, h.Lang)
			}
		}
	}
}

func TestSearchOddQueries(t *testing.T) {
	for _, q := range []string{`"`, `""`, `"a`, `-`, `--`, `*`, `*a*`, `/.*/`, `a~99`, `((((`, `city:lyon`, `title_en:x`,
		"\x00", "\u202e\u200f", `+-&&||!(){}[]^"~*?:\/`, strings.Repeat("refugees ", 2000), strings.Repeat("é", 10000), "-refugees"} {
		req := search.Request{Query: q, Page: 1, Size: 10, UI: "en"}
		res, err := engine.Search(t.Context(), req)
		if err != nil {
			t.Errorf("Search(%.30q): %v", q, err)
			continue
		}
		if res.Facets == nil || res.Hits == nil {
			t.Errorf("Search(%.30q): nil facets or hits", q)
		}
	}
	all := doSearch(t, "")
	if res := doSearch(t, "q=*"); res.Total != all.Total {
		t.Errorf("q=*: total %d; want every practice (%d)", res.Total, all.Total)
	}
	if res := doSearch(t, "q=-refugees&size=100"); res.Total == 0 || res.Total >= all.Total {
		t.Errorf("q=-refugees: total %d of %d", res.Total, all.Total)
	} else {
		for _, h := range res.Hits {
			if strings.Contains(strings.ToLower(h.Title+h.Summary), "refugee") {
				t.Errorf("q=-refugees returned %s", h.Title)
			}
		}
	}
}

func TestFacetsAndPractice(t *testing.T) {
	f, err := engine.Facets(t.Context(), "fr")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range search.Facets {
		if len(f[name]) == 0 {
			t.Errorf("facet %s empty over the whole index", name)
		}
	}
	if c := facetCounts(&search.Result{Facets: f}, "lang"); c["en"] != 10 || c["fr"] != 6 || c["de"] != 5 {
		t.Errorf("lang counts %v; want en 10, fr 6, de 5", c)
	}
	p, err := engine.Practice(t.Context(), id("de", "koeln-fussball"))
	if err != nil || p.Cities[0] != "Cologne" {
		t.Errorf("Practice: %+v, %v", p, err)
	}
	for _, bad := range []string{"nope", "", "../etc", strings.Repeat("a", 129), "a\x00b"} {
		if _, err := engine.Practice(t.Context(), bad); !errors.Is(err, indexer.ErrNotFound) {
			t.Errorf("Practice(%.20q) = %v; want ErrNotFound", bad, err)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, test := range []struct {
		q, ui string
		want  search.Suggestion
	}{
		{"lissa", "en", search.Suggestion{Text: "Lisbon", Kind: "city"}},
		{"lisb", "de", search.Suggestion{Text: "Lissabon", Kind: "city"}},
		{"wohn", "fr", search.Suggestion{Text: indexer.ThemeLabel("housing-urban", "fr"), Kind: "theme"}},
		{"medi", "en", search.Suggestion{Text: "médiation", Kind: "term"}},
	} {
		got, err := engine.Suggest(t.Context(), test.q, test.ui)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(got, test.want) {
			t.Errorf("Suggest(%q, %s) = %v; want %v among them", test.q, test.ui, got, test.want)
		}
	}
	if got, _ := engine.Suggest(t.Context(), "l", "en"); len(got) != 0 {
		t.Errorf("one letter: %v", got)
	}
}
