package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
)

// openTemp opens a fresh index in a temporary directory, closed at the end
// of the test.
func openTemp(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func samplePractices() []Practice {
	return []Practice{
		{
			URL: "https://icc.example/en/good-practice/lisbon-one-stop", Source: "icc", Network: "Intercultural Cities",
			Title: "One-stop shop for migrants", Summary: "Lisbon's centre for newcomers.",
			Body:   "The municipality opened a one-stop shop for refugees and migrants in 2017.",
			Cities: []string{"Lisboa"}, Country: "Portugal", Themes: []string{"Refugees", "Welcoming"},
			Lang: "en-GB", Period: "2017-2021", Published: "2023-04-12",
			Translations: []Translation{{Lang: "fr", URL: "https://icc.example/fr/bonne-pratique/lisbonne-guichet"}},
		},
		{
			URL: "https://icc.example/fr/bonne-pratique/lisbonne-guichet", Source: "icc", Network: "Intercultural Cities",
			Title: "Guichet unique pour l'intégration", Body: "La ville de Lisbonne a ouvert un guichet pour l'intégration des réfugiés.",
			Cities: []string{"Lisbonne"}, Themes: []string{"Réfugiés", "Intégration"}, Lang: "fr",
			Translations: []Translation{{Lang: "en", URL: "https://icc.example/en/good-practice/lisbon-one-stop"}},
		},
		{
			URL: "https://duesseldorf.example/wohnen/mueller", Source: "duesseldorf", Network: "Städtenetzwerk",
			Title: "Wohnprojekt von Familie Müller", Body: "Frau Müller vermittelt Wohnungen an Geflüchtete in Düsseldorf.",
			Cities: []string{"Duesseldorf"}, Themes: []string{"Wohnen", "Flüchtlinge"}, Lang: "de-DE", Period: "seit 2016",
		},
	}
}

func TestUpsertGetCount(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	ps := samplePractices()
	if err := ix.Upsert(ctx, ps); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	n, err := ix.Count(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Count = %d, %v; want 3", n, err)
	}
	want, err := Normalize(ps[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Get(ctx, IDForURL(ps[0].URL))
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get returned another practice than upserted (-want +got):\n%s", diff)
	}
	if got.Cities[0] != "Lisbon" || got.Country != "PT" || got.Lang != "en" || got.Year != 2017 {
		t.Errorf("Get = cities %v country %q lang %q year %d; want [Lisbon] PT en 2017", got.Cities, got.Country, got.Lang, got.Year)
	}

	// Upserting the same id again replaces the practice.
	changed := ps[0]
	changed.Title = "One-stop shop for newcomers"
	if err := ix.Upsert(ctx, []Practice{changed}); err != nil {
		t.Fatalf("Upsert again: %v", err)
	}
	got, err = ix.Get(ctx, IDForURL(ps[0].URL))
	if err != nil || got.Title != changed.Title {
		t.Errorf("after second Upsert Get = %q, %v; want title %q", got.Title, err, changed.Title)
	}
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("Count after replacing = %d; want 3", n)
	}

	if err := ix.Delete(ctx, []string{IDForURL(ps[0].URL), "no-such-id"}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := ix.Get(ctx, IDForURL(ps[0].URL)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: err = %v; want ErrNotFound", err)
	}
}

func TestUpsertInvalidWritesNothing(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	ps := samplePractices()
	ps[1].Title = "  "
	err := ix.Upsert(ctx, ps)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "title") {
		t.Fatalf("Upsert with an empty title: err = %v; want ErrInvalid naming title", err)
	}
	if n, _ := ix.Count(ctx); n != 0 {
		t.Errorf("Count = %d after a failed Upsert; want 0", n)
	}
}

func TestUpsertManyBatches(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	var ps []Practice
	for i := range 2*batchSize + 17 {
		ps = append(ps, Practice{URL: "https://site.example/p/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "/" + itoa(i), Title: "Practice " + itoa(i), Lang: "en"})
	}
	if err := ix.Upsert(ctx, ps); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if n, err := ix.Count(ctx); err != nil || n != uint64(len(ps)) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(ps))
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestReopenKeepsDocuments(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Upsert(ctx, samplePractices()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := ix.Count(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Count after Close: err = %v; want ErrClosed", err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix.Close()
	if n, err := ix.Count(ctx); err != nil || n != 3 {
		t.Errorf("Count after reopen = %d, %v; want 3", n, err)
	}
	got, err := ix.Get(ctx, IDForURL("https://duesseldorf.example/wohnen/mueller"))
	if err != nil || got.Cities[0] != "Düsseldorf" {
		t.Errorf("Get after reopen = %v, %v; want the Düsseldorf practice", got.Cities, err)
	}
	// The analyzers came back with the index: folding still works.
	if hits := searchField(t, ix, FieldTitleDE, "muller"); len(hits) != 1 {
		t.Errorf("title_de muller after reopen: %d hits; want 1", len(hits))
	}
}

func TestOpenLockedInSameProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	_, err = Open(dir + string(filepath.Separator))
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "index in use") {
		t.Fatalf("second Open: err = %v; want ErrLocked (index in use)", err)
	}
}

func TestOpenRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := writeFile(filepath.Join(dir, "notes.txt"), "not an index"); err != nil {
		t.Fatal(err)
	}
	if ix, err := Open(dir); err == nil {
		ix.Close()
		t.Fatalf("Open of a non-empty directory without an index succeeded")
	}
}

// searchField returns the ids of documents whose field matches text
// analysed with the field's analyzer.
func searchField(t *testing.T, ix *Index, field, text string) []string {
	t.Helper()
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	res, err := ix.Bleve().SearchInContext(context.Background(), bleve.NewSearchRequest(q))
	if err != nil {
		t.Fatalf("search %s:%s: %v", field, text, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestAccentFoldingAcrossLanguages(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Upsert(t.Context(), samplePractices()); err != nil {
		t.Fatal(err)
	}
	fr := IDForURL("https://icc.example/fr/bonne-pratique/lisbonne-guichet")
	de := IDForURL("https://duesseldorf.example/wohnen/mueller")
	for _, test := range []struct {
		field, text string
		want        []string
	}{
		{FieldTitleFR, "integration", []string{fr}},
		{FieldTitleFR, "intégration", []string{fr}},
		{FieldBodyFR, "refugies", []string{fr}},
		{FieldTitleDE, "muller", []string{de}},
		{FieldTitleDE, "Mueller", []string{de}},
		{FieldBodyDE, "Gefluechtete", []string{de}},
		{FieldBodyDE, "wohnung", []string{de}},
		{FieldTitleEN, "migrant", []string{IDForURL("https://icc.example/en/good-practice/lisbon-one-stop")}},
		{FieldTitleEN, "integration", nil},
	} {
		got := searchField(t, ix, test.field, test.text)
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("%s:%q hits (-want +got):\n%s", test.field, test.text, diff)
		}
	}
}

func TestFacetFieldsAreIndexed(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Upsert(t.Context(), samplePractices()); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		field, term string
		want        int
	}{
		{FieldCity, "Lisbon", 2},
		{FieldCity, "Düsseldorf", 1},
		{FieldCountry, "PT", 2},
		{FieldCountry, "DE", 1},
		{FieldTheme, "refugees", 3},
		{FieldTheme, "housing-urban", 1},
		{FieldLang, "de", 1},
		{FieldSource, "icc", 2},
		{FieldNetwork, "Intercultural Cities", 2},
		{FieldGroup, min(IDForURL("https://icc.example/en/good-practice/lisbon-one-stop"), IDForURL("https://icc.example/fr/bonne-pratique/lisbonne-guichet")), 2},
	} {
		q := bleve.NewTermQuery(test.term)
		q.SetField(test.field)
		res, err := ix.Bleve().SearchInContext(t.Context(), bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != test.want {
			t.Errorf("%s=%q matches %d practices; want %d", test.field, test.term, res.Total, test.want)
		}
	}
	lo, hi, incl := 2016.0, 2016.0, true
	yq := bleve.NewNumericRangeInclusiveQuery(&lo, &hi, &incl, &incl)
	yq.SetField(FieldYear)
	res, err := ix.Bleve().SearchInContext(t.Context(), bleve.NewSearchRequest(yq))
	if err != nil || res.Total != 1 {
		t.Errorf("year 2016 matches %v, %v; want the Düsseldorf practice (\"seit 2016\")", res.Total, err)
	}
	// Sorting on date: newest first puts the one with a publication date first.
	req := bleve.NewSearchRequest(bleve.NewMatchAllQuery())
	req.SortBy([]string{"-" + FieldDate, "_id"})
	res, err = ix.Bleve().SearchInContext(t.Context(), req)
	if err != nil || len(res.Hits) != 3 || res.Hits[0].ID != IDForURL("https://icc.example/en/good-practice/lisbon-one-stop") {
		t.Errorf("sort by -date: %v, %v; want the practice published 2023-04-12 first", res, err)
	}
}

func TestDecodeStoredErrors(t *testing.T) {
	for _, fields := range []map[string]interface{}{
		nil,
		{FieldDoc: 3.0},
		{FieldDoc: "{not json"},
	} {
		if _, err := DecodeStored(fields); err == nil {
			t.Errorf("DecodeStored(%v) succeeded; want an error", fields)
		}
	}
	p, err := DecodeStored(map[string]interface{}{FieldDoc: `{"id":"x","title":"T","cities":["Lisbon"]}`})
	if err != nil || p.ID != "x" || p.Cities[0] != "Lisbon" {
		t.Errorf("DecodeStored = %+v, %v", p, err)
	}
}

// Open creates the directories an index path names (the lock file sits next
// to the index, so they must exist before the index is created).
func TestOpenCreatesParentDirectories(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet", "there", "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	defer ix.Close()
	if err := ix.Upsert(t.Context(), samplePractices()[:1]); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if _, err := os.Stat(dir + ".lock"); err != nil {
		t.Errorf("no lock file beside the new index: %v", err)
	}
}
