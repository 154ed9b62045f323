package demo

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	const good = "title: Un guichet « unique » & <rapide>\n" +
		"summary: Deux phrases.\n" +
		"cities: Lisbonne; Porto \n" +
		"country:\n" +
		"themes: Accueil;  Services publics ;\n" +
		"period: depuis 2004\n" +
		"published: 2023-04-12\n" +
		"group: lisbon-one-stop\n" +
		"---\n" +
		"Premier paragraphe\nsur deux lignes.\n" +
		"\n" +
		"## Ce qui a marché\n" +
		"- un\n" +
		"- deux\n  suite de deux\n" +
		"\n" +
		"- trois\n" +
		"\n" +
		"Fin.\n"
	got, err := Parse("content/icc/lisbon-guichet.fr.md", []byte(strings.ReplaceAll(good, "\n", "\r\n")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := PracticePage{
		Site: "icc", Slug: "lisbon-guichet", Lang: "fr", File: "content/icc/lisbon-guichet.fr.md",
		Title: "Un guichet « unique » & <rapide>", Summary: "Deux phrases.",
		Cities: []string{"Lisbonne", "Porto"}, Themes: []string{"Accueil", "Services publics"},
		Period: "depuis 2004", Published: time.Date(2023, 4, 12, 0, 0, 0, 0, time.UTC), Group: "lisbon-one-stop",
		Body: []Block{
			{Kind: Paragraph, Text: "Premier paragraphe sur deux lignes."},
			{Kind: Heading, Text: "Ce qui a marché"},
			{Kind: List, Items: []string{"un", "deux suite de deux", "trois"}},
			{Kind: Paragraph, Text: "Fin."},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	if got, want := got.Words(), 16; got != want {
		t.Errorf("Words() = %d, want %d", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	const header = "title: T\nsummary: S\ncities: Oslo\ncountry: Norway\nthemes: Youth\nperiod:\npublished: 2020-01-02\ngroup: g\n"
	for _, test := range []struct {
		name, data, want string
	}{
		{"x/a.en.md", header, "x/a.en.md: no \"---\" line ends the header"},
		{"x/a.en.md", header + "---\n\n", "x/a.en.md:9: body is empty"},
		{"x/a.en.md", "title: T\ncitiy: Oslo\n---\nx\n", `x/a.en.md:2: unknown header key "citiy"`},
		{"x/a.en.md", "title: T\ntitle: U\n---\nx\n", `x/a.en.md:2: header key "title" repeated (first on line 1)`},
		{"x/a.en.md", "title: T\nno colon here\n", `x/a.en.md:2: header line must be "key: value"`},
		{"x/a.en.md", "title:\n---\nx\n", "x/a.en.md:1: title must not be empty"},
		{"x/a.en.md", "title: T\n---\nx\n", "x/a.en.md: header lacks group, published, summary, themes"},
		{"x/a.en.md", strings.Replace(header, "2020-01-02", "12.04.2023", 1) + "---\nx\n", `x/a.en.md:7: published "12.04.2023" must be a date YYYY-MM-DD`},
		{"x/a.en.md", header + "---\nok\n\n### deep\n", `x/a.en.md:12: only "## " subheadings are allowed`},
		{"x/a.en.md", header + "---\n- \n", "x/a.en.md:10: empty list item"},
		{"x/A_b.en.md", header + "---\nx\n", `x/A_b.en.md: slug "A_b" must be lowercase`},
		{"x/a.english.md", header + "---\nx\n", `x/a.english.md: language "english" must be a two-letter`},
		{"x/a.md", header + "---\nx\n", "x/a.md: file name must be <slug>.<lang>.md"},
	} {
		_, err := Parse(test.name, []byte(test.data))
		if err == nil || !strings.HasPrefix(err.Error(), test.want) {
			t.Errorf("Parse(%q, %q) error = %v, want prefix %q", test.name, test.data, err, test.want)
		}
	}
}

func TestLoadFSReportsEveryBadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"content/icc/a.en.md":     {Data: []byte("title: T\n")},
		"content/oive/b.fr.md":    {Data: []byte("title: T\nfoo: bar\n---\nx\n")},
		"content/hub/README.txt":  {Data: []byte("notes")},
		"content/blog/c.en.md":    {Data: []byte("title: T\n")},
		"content/icc/ok.en.md":    {Data: mustRead(t, "testdata/content/icc/lisbon-one-stop-shop.en.md")},
		"content/icc/nested/x.md": {Data: []byte("ignored")},
	}
	pages, err := LoadFS(fsys, "content")
	if len(pages) != 1 || pages[0].Slug != "ok" {
		t.Errorf("LoadFS pages = %d (%v), want only ok.en.md", len(pages), pages)
	}
	for _, want := range []string{
		"content/icc/a.en.md: no \"---\"",
		`content/oive/b.fr.md:2: unknown header key "foo"`,
		"content/blog: unknown site directory",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadFS error = %v, want it to mention %q", err, want)
		}
	}
}

func TestBuildRejectsClashes(t *testing.T) {
	page := func(site, slug, lang, group string) PracticePage {
		return PracticePage{Site: site, Slug: slug, Lang: lang, Group: group, File: site + "/" + slug + "." + lang + ".md",
			Title: "T", Summary: "S", Cities: []string{"Oslo"}, Themes: []string{"Youth"}, Body: []Block{{Text: "x"}}}
	}
	for _, test := range []struct {
		pages []PracticePage
		want  string
	}{
		{[]PracticePage{page("oive", "a", "it", "a")}, `oive/a.it.md: site oive publishes no pages in "it"`},
		{[]PracticePage{page("hub", "a", "en", "a"), page("hub", "a", "fr", "b")}, "hub/a.fr.md: same URL /stories/a/ as hub/a.en.md"},
		{[]PracticePage{page("icc", "a", "en", "g"), page("icc", "b", "en", "g")}, `icc/b.en.md: group "g" already has a en page, icc/a.en.md`},
	} {
		_, err := Build(test.pages)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("Build error = %v, want %q", err, test.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{
		"testdata/content/icc/lisbon-one-stop-shop.en.md",
		"testdata/content/oive/montreal-bureau-nouveaux-arrivants.fr.md",
		"testdata/content/duesseldorf/lotsenprojekt.de.md",
	} {
		f.Add(mustRead(f, name))
	}
	f.Add([]byte("title: x\n---\n- a\nb\n\n## c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("icc/fuzz.en.md", data)
		if err != nil {
			return
		}
		if p.Title == "" || p.Group == "" || len(p.Body) == 0 || len(p.Themes) == 0 {
			t.Errorf("Parse accepted a page lacking required parts: %+v", p)
		}
		for _, b := range p.Body {
			if b.Kind == List && len(b.Items) == 0 || b.Kind != List && b.Text == "" {
				t.Errorf("Parse produced an empty block: %+v", b)
			}
		}
	})
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
