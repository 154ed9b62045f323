package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
)

// checkResultJSON fails the test when appendResult and json.Marshal
// disagree on res (but for the form of U+FFFD standing for invalid UTF-8).
func checkResultJSON(t *testing.T, name string, res *search.Result) {
	t.Helper()
	want, err := json.Marshal(res)
	if err != nil {
		t.Fatalf("%s: json.Marshal: %v", name, err)
	}
	got, ok := appendResult([]byte("junk"), res)
	if !ok {
		t.Fatalf("%s: appendResult refused a result json.Marshal encodes", name)
	}
	got = got[len("junk"):]
	if !utf8.Valid(got) || !utf8.Valid(want) {
		t.Fatalf("%s: invalid UTF-8 in the answer", name)
	}
	if bytes.Contains(want, []byte(`\ufffd`)) {
		// Text with invalid UTF-8: both write U+FFFD in its place,
		// encoding/json as an escape, the v2 encoder as the character.
		want = bytes.ReplaceAll(want, []byte(`\ufffd`), []byte("\uFFFD"))
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Errorf("%s: appendResult differs from json.Marshal at byte %d:\n got %q\nwant %q",
			name, i, got[max(0, i-60):min(len(got), i+60)], want[max(0, i-60):min(len(want), i+60)])
	}
}

// realQueries are query strings of GET /api/v1/search: words in three
// languages, phrases, filters, every facet, none, big pages, empty and odd
// queries.
var realQueries = []string{
	"", "q=Lisbon", "q=Wohnen&ui=de", "q=logement&ui=fr", "q=housing+refugees",
	"q=%22one-stop+shop%22&lang=en", "q=script", "q=%3Cscript%3E", "q=mark", "q=%22quote%22",
	"q=amp+lt", "q=integration&facets=city,theme,lang", "q=integration&facets=none", "size=100",
	"size=100&sort=newest", "page=2&size=3", "q=a~2+e*&size=100", "theme=housing-urban&theme=refugees",
	"q=int%C3%A9gration&ui=fr&city=Lisbon", "q=M%C3%BCnchen", "q=Gen%C3%A8ve&ui=fr", "q=Wien&ui=de",
	"q=youth+school+mediation&size=50&facets=city,country,lang,year,network,theme",
	"q=language+courses&year_from=2010&year_to=2020", "q=-parking+city", "q=zzzzunknown",
	"q=%22language+courses%22&ui=en&facets=city,theme,lang", "q=Integration+Sprache&ui=de&lang=de",
}

// TestResultJSON: the search answer is written byte for byte as
// encoding/json wrote it, over real answers of the test index (with its
// hostile practice), of a generated corpus, and over hand-made hostile
// values.
func TestResultJSON(t *testing.T) {
	ctx := context.Background()
	engines := map[string]*search.Engine{"searchtest": search.New(searchtest.Index(t))}
	if !testing.Short() {
		engines["generated"] = search.New(searchtest.Generated(t, 400, 3))
	}
	n := 0
	for name, eng := range engines {
		for _, ui := range search.UILanguages {
			for _, q := range realQueries {
				v, err := url.ParseQuery(q)
				if err != nil {
					t.Fatal(err)
				}
				if !v.Has("ui") {
					v.Set("ui", ui)
				}
				req, err := search.ParseRequest(v, "")
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				res, err := eng.Search(ctx, req)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				checkResultJSON(t, name+" "+v.Encode(), res)
				n += len(res.Hits)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d hits compared", n)
	}

	var all strings.Builder
	for c := range 256 {
		all.WriteByte(byte(c))
	}
	hostile := []string{
		"", all.String(), all.String()[:utf8.RuneSelf], // every byte; every ASCII byte (valid UTF-8) `<script>alert("x")</script>`, `</mark>&lt;&amp;'"\`, "line\u2028para\u2029end",
		"\xff\xfe invalid \xc3", "é ü ß 日本 🏠", "\x00\x1f\x7f", "tab\there\r\nnew",
		strings.Repeat("<mark>x</mark>", 50),
	}
	for i, s := range hostile {
		res := &search.Result{
			Query: s, Total: math.MaxUint64, Page: -1, Size: 1 << 40, TookMS: 0.001,
			Hits: []search.Hit{{
				ID: s, URL: s, Title: s, TitleHTML: s, SnippetHTML: s, Summary: s, Cities: []string{s, ""},
				Country: s, Lang: s, Year: -2005, Period: s, Published: s, Network: s, Source: s,
				Themes: []search.Label{{Value: s, Label: s}}, Translations: []indexer.Translation{{Lang: s, URL: s}},
				Score: 1e-7,
			}, {}, {Cities: []string{}, Themes: []search.Label{}, Translations: []indexer.Translation{}}},
			Facets: map[string][]search.FacetValue{
				s: {{Value: s, Label: s, Count: -1, Selected: true}}, s + "b": nil, s + "a": {}, "city": {{}},
			},
		}
		checkResultJSON(t, fmt.Sprintf("hostile %d", i), res)
	}
	for _, res := range []*search.Result{nil, {}, {Hits: []search.Hit{}, Facets: map[string][]search.FacetValue{}}} {
		checkResultJSON(t, fmt.Sprintf("%#v", res), res)
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.5, 123.456, 1e-6, 9.99e-7, 1e-7, 1.234e-10,
		1e20, 1e21, 1.5e300, -1e21, math.SmallestNonzeroFloat64, math.MaxFloat64, 3.0000000000000004, 1 / 3.0} {
		checkResultJSON(t, fmt.Sprint(f), &search.Result{TookMS: f, Hits: []search.Hit{{Score: -f}}})
	}
}

// TestResultJSONNotFinite: a NaN or infinite float is refused as
// encoding/json refuses it, so the answer stays what it was.
func TestResultJSONNotFinite(t *testing.T) {
	for _, res := range []*search.Result{
		{TookMS: math.NaN()}, {TookMS: math.Inf(1)}, {Hits: []search.Hit{{Score: math.Inf(-1)}}},
	} {
		if _, ok := appendResult(nil, res); ok {
			t.Errorf("appendResult(%v) accepted a float encoding/json refuses", res)
		}
		if _, err := json.Marshal(res); err == nil {
			t.Errorf("json.Marshal(%v) succeeded", res)
		}
	}
}

// TestWriteResult: the answer writeResult gives has the status, headers
// and body c.JSON gave, for a finite and a refused result.
func TestWriteResult(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	for _, res := range []*search.Result{
		{Query: "<b>", Hits: []search.Hit{{Title: strings.Repeat("long ", 1000)}}},
		{TookMS: math.NaN()},
		{},
	} {
		answer := func(write func(*gin.Context)) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(rec)
			c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/search", nil)
			c.Header("X-Before", "1")
			write(c)
			return rec
		}
		got := answer(func(c *gin.Context) { writeResult(c, res) })
		want := answer(func(c *gin.Context) { c.JSON(http.StatusOK, res) })
		if got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Errorf("writeResult(%.40v) = %d %v %.80q; want %d %v %.80q", res,
				got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
		}
	}
}

// FuzzResultJSON: for any text and numbers appendResult writes what
// json.Marshal writes.
func FuzzResultJSON(f *testing.F) {
	f.Add("Lisbon <mark>one</mark>", "a\u2028b", 1.25, 3, true)
	f.Add("\xff\x00\"\\", "&amp;", 1e-9, -7, false)
	f.Fuzz(func(t *testing.T, s, key string, x float64, n int, sel bool) {
		res := &search.Result{
			Query: s, Page: n, TookMS: x,
			Hits: []search.Hit{{ID: key, URL: s, SnippetHTML: s + key, Cities: []string{key}, Year: n, Score: x,
				Themes: []search.Label{{Value: key, Label: s}}}},
			Facets: map[string][]search.FacetValue{key: {{Value: s, Count: n, Selected: sel}}, s: nil},
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if _, ok := appendResult(nil, res); ok {
				t.Errorf("appendResult accepted %v", x)
			}
			return
		}
		checkResultJSON(t, "fuzz", res)
	})
}

// BenchmarkResultJSON encodes a real answer (10 hits with snippets, the
// counts of city, theme and lang) with encoding/json and with appendResult.
func BenchmarkResultJSON(b *testing.B) {
	ctx := context.Background()
	ix := searchtest.Generated(b, 1000, 7)
	v, _ := url.ParseQuery("q=integration+language&ui=fr&size=10&facets=city,theme,lang")
	req, err := search.ParseRequest(v, "")
	if err != nil {
		b.Fatal(err)
	}
	res, err := search.New(ix).Search(ctx, req)
	if err != nil || len(res.Hits) != 10 {
		b.Fatalf("search: %d hits, %v", len(res.Hits), err)
	}
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := json.Marshal(res)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(out)))
		}
	})
	b.Run("appendResult", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = appendResult(buf[:0], res)
			b.SetBytes(int64(len(buf)))
		}
	})
}
