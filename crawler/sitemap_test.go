package crawler

import (
	"strings"
	"testing"

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
			sitemapDoc{Locs: []string{"https://a.example/p/1", "https://a.example/p/2?a=1&b=2"}}, false},
		{"index", `<sitemapindex><sitemap><loc>https://a.example/s1.xml.gz</loc></sitemap></sitemapindex>`,
			sitemapDoc{Index: true, Locs: []string{"https://a.example/s1.xml.gz"}}, false},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://a.example/d\xfcsseldorf</loc></url></urlset>",
			sitemapDoc{Locs: []string{"https://a.example/düsseldorf"}}, false},
		{"broken keeps what was read", `<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</lo`,
			sitemapDoc{Locs: []string{"https://a.example/1"}}, true},
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
	if err != nil || len(got.Locs) != 10 {
		t.Errorf("got %d locs, %v; want 10, nil", len(got.Locs), err)
	}
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://a.example/1</loc></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>`))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><urlset><loc>\x80</loc></urlset>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _ := parseSitemap(strings.NewReader(string(data)), 100)
		if len(doc.Locs) > 100 {
			t.Fatalf("%d locs over the cap of 100", len(doc.Locs))
		}
	})
}
