package indexer

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNormalizeGolden normalises the raw practices in
// testdata/normalize/*.input.json (as a crawler would hand them over) and
// compares the result with the matching .golden.json; run with -update to
// rewrite the golden files.
func TestNormalizeGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/normalize/*.input.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var p Practice
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			n, err := Normalize(p)
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			got, err := json.MarshalIndent(n, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata/normalize", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("Normalize(%s) differs from %s (-want +got):\n%s", in, golden, diff)
			}
			again, err := Normalize(n)
			if err != nil {
				t.Fatalf("Normalize of normalised: %v", err)
			}
			if diff := cmp.Diff(n, again); diff != "" {
				t.Errorf("Normalize is not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestNormalizeFields(t *testing.T) {
	base := Practice{URL: "https://x.example/p/1", Title: "T"}
	for _, test := range []struct {
		name  string
		edit  func(*Practice)
		check func(Practice) string
	}{
		{"id from url", func(p *Practice) {}, func(n Practice) string {
			return want(n.ID == IDForURL("https://x.example/p/1") && len(n.ID) == 16, "id %q", n.ID)
		}},
		{"explicit id kept", func(p *Practice) { p.ID = " my-id " }, func(n Practice) string { return want(n.ID == "my-id", "id %q", n.ID) }},
		{"lang primary subtag", func(p *Practice) { p.Lang = "fr_CA" }, func(n Practice) string { return want(n.Lang == "fr", "lang %q", n.Lang) }},
		{"year from period", func(p *Practice) { p.Period = "depuis 2015" }, func(n Practice) string { return want(n.Year == 2015, "year %d", n.Year) }},
		{"year given wins", func(p *Practice) { p.Year = 2012; p.Period = "2017-2021" }, func(n Practice) string { return want(n.Year == 2012, "year %d", n.Year) }},
		{"year out of range", func(p *Practice) { p.Year = 12; p.Period = "ongoing" }, func(n Practice) string { return want(n.Year == 0, "year %d", n.Year) }},
		{"period without year", func(p *Practice) { p.Period = "ongoing, 12345 people" }, func(n Practice) string { return want(n.Year == 0, "year %d", n.Year) }},
		{"published english", func(p *Practice) { p.Published = "2 March 2021" }, func(n Practice) string { return want(n.Published == "2021-03-02", "published %q", n.Published) }},
		{"published american", func(p *Practice) { p.Published = "March 2, 2021" }, func(n Practice) string { return want(n.Published == "2021-03-02", "published %q", n.Published) }},
		{"published german", func(p *Practice) { p.Published = "2. März 2021" }, func(n Practice) string { return want(n.Published == "2021-03-02", "published %q", n.Published) }},
		{"published french", func(p *Practice) { p.Published = "1er février 2020" }, func(n Practice) string { return want(n.Published == "2020-02-01", "published %q", n.Published) }},
		{"published rfc3339", func(p *Practice) { p.Published = "2023-04-12T23:30:00+02:00" }, func(n Practice) string { return want(n.Published == "2023-04-12", "published %q", n.Published) }},
		{"published dotted", func(p *Practice) { p.Published = "12.04.2023" }, func(n Practice) string { return want(n.Published == "2023-04-12", "published %q", n.Published) }},
		{"published garbage dropped", func(p *Practice) { p.Published = "soon" }, func(n Practice) string { return want(n.Published == "", "published %q", n.Published) }},
		{"published impossible dropped", func(p *Practice) { p.Published = "2021-02-30" }, func(n Practice) string { return want(n.Published == "", "published %q", n.Published) }},
		{"country from city", func(p *Practice) { p.Cities = []string{"Atlantis", "Lissabon"} }, func(n Practice) string {
			return want(n.Country == "PT" && cmp.Equal(n.Cities, []string{"Atlantis", "Lisbon"}), "country %q cities %q", n.Country, n.Cities)
		}},
		{"city lists split when every part is a city", func(p *Practice) { p.Cities = []string{"Getxo, Bilbao", "Genf und Neuenburg"} }, func(n Practice) string {
			return want(cmp.Equal(n.Cities, []string{"Getxo", "Bilbao", "Geneva", "Neuchâtel"}) && n.Country == "ES", "cities %q country %q", n.Cities, n.Country)
		}},
		{"city with its country stays one city", func(p *Practice) { p.Cities = []string{"Lisbon, Portugal"} }, func(n Practice) string {
			return want(cmp.Equal(n.Cities, []string{"Lisbon"}), "cities %q", n.Cities)
		}},
		{"unknown place is not cut", func(p *Practice) { p.Cities = []string{"Springfield, Lisbon"} }, func(n Practice) string {
			return want(cmp.Equal(n.Cities, []string{"Springfield, Lisbon"}), "cities %q", n.Cities)
		}},
		{"country given wins", func(p *Practice) { p.Cities = []string{"Lisbon"}; p.Country = "Espagne" }, func(n Practice) string {
			return want(n.Country == "ES", "country %q", n.Country)
		}},
		{"unknown country dropped", func(p *Practice) { p.Country = "Atlantis" }, func(n Practice) string { return want(n.Country == "", "country %q", n.Country) }},
		{"cities deduped and split", func(p *Practice) {
			p.Cities = []string{"Lisbonne; Lissabon", " LISBOA", "Porto", "porto", "reggio emilia"}
		}, func(n Practice) string {
			return want(cmp.Equal(n.Cities, []string{"Lisbon", "Porto", "Reggio Emilia"}), "cities %q", n.Cities)
		}},
		{"unknown city title-cased", func(p *Practice) { p.Cities = []string{"  new   york "} }, func(n Practice) string {
			return want(cmp.Equal(n.Cities, []string{"New York"}), "cities %q", n.Cities)
		}},
		{"themes mapped, unknown dropped", func(p *Practice) { p.Themes = []string{"Réfugiés", "Cooking", "refugees", "Logement; Jeunesse", ""} }, func(n Practice) string {
			return want(cmp.Equal(n.Themes, []string{"refugees", "housing-urban", "youth"}), "themes %q", n.Themes)
		}},
		{"text cleaned", func(p *Practice) {
			p.Title = "  One\u00a0stop \t shop\u200b "
			p.Body = "First  line\r\nsame paragraph\n\n\n\n  Second\x00 paragraph  \n"
		}, func(n Practice) string {
			return want(n.Title == "One stop shop" && n.Body == "First line\nsame paragraph\n\nSecond paragraph", "title %q body %q", n.Title, n.Body)
		}},
		{"translations", func(p *Practice) {
			p.Lang = "en"
			p.Translations = []Translation{
				{Lang: "FR-fr", URL: "https://x.example/fr/1"}, {Lang: "de", URL: " https://x.example/de/1 "},
				{Lang: "fr", URL: "https://x.example/fr/other"}, {Lang: "en-US", URL: "https://x.example/us/1"},
				{Lang: "es", URL: "https://x.example/p/1"}, {Lang: "x-default", URL: "https://x.example/"}, {Lang: "it", URL: ""},
			}
		}, func(n Practice) string {
			return want(cmp.Equal(n.Translations, []Translation{{"de", "https://x.example/de/1"}, {"fr", "https://x.example/fr/1"}}), "translations %v", n.Translations)
		}},
		{"empty lists are empty, not null", func(p *Practice) {}, func(n Practice) string {
			return want(n.Cities != nil && n.Themes != nil && n.Translations != nil, "cities %#v themes %#v translations %#v", n.Cities, n.Themes, n.Translations)
		}},
	} {
		p := base
		test.edit(&p)
		n, err := Normalize(p)
		if err != nil {
			t.Errorf("%s: Normalize: %v", test.name, err)
			continue
		}
		if msg := test.check(n); msg != "" {
			t.Errorf("%s: got %s", test.name, msg)
		}
	}
}

// want returns "" when ok and the formatted description of what was got
// otherwise.
func want(ok bool, format string, args ...any) string {
	if ok {
		return ""
	}
	return sprintf(format, args...)
}

func TestNormalizeInvalid(t *testing.T) {
	for _, test := range []struct {
		p     Practice
		field string
	}{
		{Practice{Title: "T"}, "url"},
		{Practice{URL: " ", ID: "\t", Title: "T"}, "url"},
		{Practice{URL: "https://x.example/1"}, "title"},
		{Practice{URL: "https://x.example/1", Title: " \u200b "}, "title"},
		{Practice{ID: strings.Repeat("x", 300), Title: "T"}, "id"},
		// Pages and the widget link to the practice: http(s) only.
		{Practice{URL: "javascript:alert(1)", Title: "T"}, "url"},
		{Practice{URL: "JavaScript:alert(1)", Title: "T"}, "url"},
		{Practice{URL: "data:text/html,<script>alert(1)</script>", Title: "T"}, "url"},
		{Practice{URL: "ftp://x.example/1", Title: "T"}, "url"},
		{Practice{URL: "/relative/path", Title: "T"}, "url"},
	} {
		_, err := Normalize(test.p)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), test.field) {
			t.Errorf("Normalize(%+v) error = %v; want ErrInvalid naming %q", test.p, err, test.field)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("https://x.example/1", "", "Titre", "Lisbonne; Lissabon", "Allemagne", "Réfugiés, Wohnen", "de-DE", "seit 2014", "2 March 2021", "fr_CA", 0)
	f.Add("", "id", " \u00a0x\x00", "NEW YORK", "", "", "", "", "2021-02-29", "", 3000)
	f.Add("u", "", "t", "\xff\xfe", "\xc3", "a/b;c", "x-default", "1900 2100", "32 mars 2020", "FR", -1)
	f.Fuzz(func(t *testing.T, url, id, title, city, country, theme, lang, period, published, tlang string, year int) {
		p := Practice{
			ID: id, URL: url, Title: title, Body: title + "\n\n" + period, Summary: theme,
			Cities: []string{city, title}, Country: country, Themes: []string{theme, city}, Lang: lang,
			Year: year, Period: period, Published: published,
			Translations: []Translation{{Lang: tlang, URL: url + "/t"}, {Lang: lang, URL: id}},
		}
		n, err := Normalize(p)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Normalize error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if n.ID == "" || n.Title == "" {
			t.Fatalf("Normalize accepted a practice without id or title: %+v", n)
		}
		for _, th := range n.Themes {
			if _, ok := themeByID[th]; !ok {
				t.Fatalf("theme %q is not a theme id", th)
			}
		}
		if n.Year != 0 && (n.Year < minYear || n.Year > maxYear) {
			t.Fatalf("year %d out of range", n.Year)
		}
		again, err := Normalize(n)
		if err != nil {
			t.Fatalf("Normalize of normalised practice failed: %v", err)
		}
		if diff := cmp.Diff(n, again); diff != "" {
			t.Fatalf("not idempotent (-once +twice):\n%s", diff)
		}
	})
}

// TestIsCleanLine checks the shortcut of cleanLine: a line it calls
// clean is one that cleaning the long way leaves as it is.
// Translations that are not http(s) links are dropped, the practice kept.
func TestNormalizeDropsNonWebTranslations(t *testing.T) {
	p, err := Normalize(Practice{URL: "https://x.example/en/1", Title: "T", Lang: "en", Translations: []Translation{
		{Lang: "fr", URL: "javascript:alert(1)"}, {Lang: "de", URL: "https://x.example/de/1"}, {Lang: "es", URL: "data:,x"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Translations) != 1 || p.Translations[0].URL != "https://x.example/de/1" {
		t.Errorf("translations = %+v, want only the https one", p.Translations)
	}
}

func TestIsCleanLine(t *testing.T) {
	for _, test := range []struct {
		line  string
		clean bool
	}{
		{"", true},
		{"Wohnen für alle", true},
		{"Cafe\u0301 de la gare", false}, // not NFC
		{"Café de la gare", true},
		{" leading", false},
		{"trailing ", false},
		{"two  spaces", false},
		{"tab\there", false},
		{"nbsp\u00a0here", false},
		{"zero\u200bwidth", false},
		{"soft\u00adhyphen", false},
		{"bad \xff byte", false},
		{"replacement \uFFFD char", false},
		{"bell\x07", false},
		{"日本語 テキスト", true},
	} {
		if got := isCleanLine(test.line); got != test.clean {
			t.Errorf("isCleanLine(%q) = %v; want %v", test.line, got, test.clean)
		}
		if test.clean && rebuildLine(test.line) != test.line {
			t.Errorf("rebuildLine(%q) = %q; a clean line must stay as it is", test.line, rebuildLine(test.line))
		}
	}
}

// FuzzCleanLine checks that the shortcut never changes what cleanLine
// returns.
func FuzzCleanLine(f *testing.F) {
	f.Add("Wohnen für alle")
	f.Add(" a  b\u00a0c\u200b ")
	f.Add("Cafe\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if isCleanLine(s) && rebuildLine(s) != s {
			t.Fatalf("isCleanLine(%q) but cleaning gives %q", s, rebuildLine(s))
		}
	})
}
