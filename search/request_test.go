package search_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/casebook-project/casebook/search"
)

func TestParseRequest(t *testing.T) {
	for _, test := range []struct {
		query, acceptLanguage string
		want                  search.Request
	}{
		{"", "", search.Request{Page: 1, Size: 10, Sort: "relevance", UI: "en"}},
		{"q=+Wohnen+&ui=DE", "", search.Request{Query: "Wohnen", Complete: true, Page: 1, Size: 10, Sort: "relevance", UI: "de"}},
		{"", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", search.Request{Page: 1, Size: 10, Sort: "relevance", UI: "fr"}},
		{"", "es, de;q=0.5, en;q=0.4", search.Request{Page: 1, Size: 10, Sort: "relevance", UI: "de"}},
		{"", "de;q=0, *", search.Request{Page: 1, Size: 10, Sort: "relevance", UI: "en"}},
		{"city=Lissabon&city=lisbonne&city=Springfield", "", search.Request{Cities: []string{"Lisbon", "Springfield"}, Page: 1, Size: 10, Sort: "relevance", UI: "en"}},
		{"theme=Wohnen&theme=refugees&theme=Logement", "", search.Request{Themes: []string{"housing-urban", "refugees"}, Page: 1, Size: 10, Sort: "relevance", UI: "en"}},
		{"lang=FR&lang=de&lang=", "", search.Request{Langs: []string{"fr", "de"}, Page: 1, Size: 10, Sort: "relevance", UI: "en"}},
		{"country=Deutschland&country=pt", "", search.Request{Countries: []string{"DE", "PT"}, Page: 1, Size: 10, Sort: "relevance", UI: "en"}},
		{"year_from=2010&year_to=2010&page=3&size=100&sort=oldest", "", search.Request{YearFrom: 2010, YearTo: 2010, Page: 3, Size: 100, Sort: "oldest", UI: "en"}},
		{"page=100&size=100", "", search.Request{Page: 100, Size: 100, Sort: "relevance", UI: "en"}},
		{"facets=lang,City&facets=+theme+,city", "", search.Request{Page: 1, Size: 10, Sort: "relevance", UI: "en", Counts: []string{"theme", "city", "lang"}}},
		{"facets=none", "", search.Request{Page: 1, Size: 10, Sort: "relevance", UI: "en", Counts: []string{}}},
	} {
		v, _ := url.ParseQuery(test.query)
		got, err := search.ParseRequest(v, test.acceptLanguage)
		if err != nil {
			t.Errorf("ParseRequest(%q, %q): %v", test.query, test.acceptLanguage, err)
			continue
		}
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("ParseRequest(%q, %q) mismatch (-want +got):\n%s", test.query, test.acceptLanguage, diff)
		}
	}
}

// badParams are the bad parameters of RELIABILITY.md §E 40–42, each with
// the parameter the error must name.
var badParams = []struct{ query, param string }{
	{"size=0", "size"},
	{"size=101", "size"},
	{"size=-1", "size"},
	{"size=abc", "size"},
	{"size=1e9", "size"},
	{"page=0", "page"},
	{"page=1000000000", "page"},
	{"page=99999999999999999999999", "page"},
	{"page=-3", "page"},
	{"page=101&size=100", "page"},
	{"year_from=2020&year_to=2010", "year_from"},
	{"year_from=-1", "year_from"},
	{"year_to=10000", "year_to"},
	{"year_to=twenty", "year_to"},
	{"sort=x", "sort"},
	{"ui=xx", "ui"},
	{"theme=not-a-theme", "theme"},
	{"city=" + strings.Repeat("a", 300), "city"},
	{strings.Repeat("city=a&", 51), "city"},
	{strings.Repeat("lang=a&", 1000), "lang"},
	{"network=%FF", "network"},
	{"q=%FF%FE", "q"},
	{"q=caf%E9", "q"},
	{"%FF=1", "\uFFFD"},
	{"q=" + strings.Repeat("a", search.MaxQueryRunes+1), "q"},
	{"q=" + strings.Repeat("%C3%A9", search.MaxQueryRunes+1), "q"},
	{"q=" + strings.Repeat("w+", search.MaxTerms+1), "q"},
	{"q=" + strings.Repeat("word+", 5000), "q"},
	{"q=" + strings.Repeat("-x+", search.MaxTerms+1), "q"},
	{"q=a&q=b", "q"},
	{"size=5&size=5", "size"},
	{"page=1&page=2", "page"},
	{"sort=newest&sort=oldest", "sort"},
	{"ui=en&ui=fr", "ui"},
	{"year_from=2000&year_from=2001", "year_from"},
	{"year_to=2000&year_to=2001", "year_to"},
	{"facets=cities", "facets"},
	{"facets=city,none", "facets"},
	{"facets=", "facets"},
	{"facets=,,", "facets"},
	{strings.Repeat("facets=city&", 8), "facets"},
	{strings.Repeat("q=a&", 2000), "q"},
}

func TestParseRequestErrors(t *testing.T) {
	for _, test := range badParams {
		v, err := url.ParseQuery(test.query)
		if err != nil {
			t.Fatalf("url.ParseQuery: %v", err)
		}
		_, err = search.ParseRequest(v, "")
		var pe *search.ParamError
		if !errors.As(err, &pe) {
			t.Errorf("ParseRequest(%.40q) = %v; want *ParamError", test.query, err)
			continue
		}
		if pe.Param != test.param || !strings.Contains(pe.Message, test.param) {
			t.Errorf("ParseRequest(%.40q) = %q on %q; want a message naming %q", test.query, pe.Message, pe.Param, test.param)
		}
	}
}

// The limits on q count what the visitor wrote: exactly MaxTerms terms and
// MaxQueryRunes characters pass, punctuation-only words do not count, and
// white space around q is not counted.
func TestParseRequestQueryLimits(t *testing.T) {
	for _, q := range []string{
		strings.Repeat("w ", search.MaxTerms),
		strings.Repeat("é", search.MaxQueryRunes),
		"  " + strings.Repeat("a", search.MaxQueryRunes) + "   ",
		strings.Repeat("* ", 200) + "x",
		`"` + strings.Repeat("w ", 100) + `"`, // one phrase
	} {
		r, err := search.ParseRequest(url.Values{"q": {q}}, "")
		if err != nil {
			t.Errorf("ParseRequest(q=%.40q…) = %v; want no error", q, err)
			continue
		}
		if n := len(search.ParseQuery(r.Query).Terms); n > search.MaxTerms {
			t.Errorf("q=%.40q…: %d terms", q, n)
		}
	}
}

// FuzzParseRequest sends any raw query string and Accept-Language header:
// ParseRequest either fails with a *ParamError naming a parameter, or
// returns a request within every limit that reads back through Values.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		"", "q=Wohnen&ui=de", "q=%22car+free%22+-parking&city=Lissabon&theme=Logement&lang=fr&lang=de",
		"size=100&page=100", "size=101", "page=0", "year_from=2020&year_to=2010", "q=%FF", "q=a&q=b",
		"city=" + strings.Repeat("x", 201), "q=*&sort=newest", "q=a~99+%2F.*%2F", "%zz=1&q=%", "ui=xx",
		"country=Deutschland&network=Cities+of+Migration&year_to=9999",
	} {
		f.Add(s, "fr-CH, fr;q=0.9, en;q=0.8")
	}
	f.Fuzz(func(t *testing.T, raw, acceptLanguage string) {
		v, _ := url.ParseQuery(raw)
		r, err := search.ParseRequest(v, acceptLanguage)
		if err != nil {
			var pe *search.ParamError
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("ParseRequest(%q) = %v; want a *ParamError with a message", raw, err)
			}
			return
		}
		if r.Size < 1 || r.Size > search.MaxSize || r.Page < 1 || r.Page*r.Size > search.MaxWindow {
			t.Fatalf("ParseRequest(%q): page %d size %d out of bounds", raw, r.Page, r.Size)
		}
		if utf8.RuneCountInString(r.Query) > search.MaxQueryRunes || !utf8.ValidString(r.Query) {
			t.Fatalf("ParseRequest(%q): query %q beyond the limits", raw, r.Query)
		}
		for _, f := range [][]string{r.Langs, r.Cities, r.Countries, r.Themes, r.Networks} {
			if len(f) > search.MaxValues {
				t.Fatalf("ParseRequest(%q): %d filter values", raw, len(f))
			}
		}
		if !slices.Contains(search.UILanguages, r.UI) {
			t.Fatalf("ParseRequest(%q): ui %q", raw, r.UI)
		}
		again, err := search.ParseRequest(r.Values(), "")
		if err != nil {
			t.Fatalf("ParseRequest(%q).Values() = %q does not parse: %v", raw, r.Values().Encode(), err)
		}
		again.Complete = r.Complete // Values trims q
		if diff := cmp.Diff(r, again); diff != "" {
			t.Fatalf("ParseRequest(%q) does not read back (-first +again):\n%s", raw, diff)
		}
	})
}

func TestRequestValuesRoundTrip(t *testing.T) {
	for _, query := range []string{
		"q=a+%22b+c%22&lang=fr&city=Lisbon&city=Paris&theme=youth&year_from=2001&page=2&size=20&sort=newest&ui=de",
		"q=housing&facets=lang,city",
		"q=housing&facets=none",
	} {
		v, _ := url.ParseQuery(query)
		r, err := search.ParseRequest(v, "")
		if err != nil {
			t.Fatal(err)
		}
		again, err := search.ParseRequest(r.Values(), "")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Errorf("%s: Values round trip (-first +again):\n%s", query, diff)
		}
	}
}
