package crawler

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseSitemap(t *testing.T) {
	for _, test := range []struct {
		name    string
		in      string
		want    sitemapDoc
		wantErr bool
	}{
		{"urlset", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
			<url><loc> https://a.example/p/1 </loc><xhtml:link rel="alternate" hreflang="fr" href="https://a.example/fr/p/1"/></url>
			<url><loc>https://a.example/p/2?a=1&amp;b=2</loc></url></urlset>`,
			sitemapDoc{Entries: []sitemapEntry{
				{Loc: "https://a.example/p/1", Alternates: []alternate{{Lang: "fr", Href: "https://a.example/fr/p/1"}}},
				{Loc: "https://a.example/p/2?a=1&b=2"},
			}}, false},
		{"lastmod and alternates", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
			<url><loc>https://a.example/en/p</loc><lastmod>2024-05-01</lastmod>
			<xhtml:link rel="alternate" hreflang="en" href="https://a.example/en/p"/>
			<xhtml:link rel="alternate" hreflang="FR-ca" href=" https://a.example/fr/p "/>
			<xhtml:link rel="alternate" hreflang="x-default" href="https://a.example/p"/>
			<xhtml:link rel="stylesheet" hreflang="de" href="https://a.example/s.css"/></url>
			<url><lastmod>2024-05-02T10:30:00+02:00</lastmod><loc>https://a.example/q</loc></url>
			<url><loc>https://a.example/r</loc><lastmod>last week</lastmod></url></urlset>`,
			sitemapDoc{Entries: []sitemapEntry{
				{Loc: "https://a.example/en/p", Lastmod: time.Date(2024, 5, 1, 23, 59, 59, 0, time.UTC),
					Alternates: []alternate{{Lang: "en", Href: "https://a.example/en/p"}, {Lang: "fr-ca", Href: "https://a.example/fr/p"}}},
				{Loc: "https://a.example/q", Lastmod: time.Date(2024, 5, 2, 8, 30, 0, 0, time.UTC)},
				{Loc: "https://a.example/r"},
			}}, false},
		{"index", `<sitemapindex><sitemap><loc>https://a.example/s1.xml.gz</loc></sitemap></sitemapindex>`,
			sitemapDoc{Index: true, Entries: []sitemapEntry{{Loc: "https://a.example/s1.xml.gz"}}}, false},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://a.example/d\xfcsseldorf</loc></url></urlset>",
			sitemapDoc{Entries: []sitemapEntry{{Loc: "https://a.example/düsseldorf"}}}, false},
		{"broken keeps what was read", `<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</lo`,
			sitemapDoc{Entries: []sitemapEntry{{Loc: "https://a.example/1"}}}, true},
		{"html is not a sitemap", `<html><body>Not found</body></html>`, sitemapDoc{}, true},
		{"empty", ``, sitemapDoc{}, true},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := parseSitemap(strings.NewReader(test.in), maxSitemapURLs)
			if (err != nil) != test.wantErr {
				t.Errorf("error %v, want error %v", err, test.wantErr)
			}
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSitemapCap(t *testing.T) {
	in := "<urlset>" + strings.Repeat("<url><loc>https://a.example/p</loc></url>", 30) + "</urlset>"
	got, err := parseSitemap(strings.NewReader(in), 10)
	if err != nil || len(got.Entries) != 10 {
		t.Errorf("got %d entries, %v; want 10, nil", len(got.Entries), err)
	}
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://a.example/1</loc></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>`))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><urlset><loc>\x80</loc></urlset>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _ := parseSitemap(strings.NewReader(string(data)), 100)
		if len(doc.Entries) > 100 {
			t.Fatalf("%d entries over the cap of 100", len(doc.Entries))
		}
		for _, e := range doc.Entries {
			if e.Loc == "" || len(e.Alternates) > maxAlternates {
				t.Fatalf("entry %+v: empty loc or too many alternates", e)
			}
		}
	})
}
