package indexer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestImportJSONL(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	huge := `{"url":"https://x.example/huge","title":"` + strings.Repeat("a", MaxImportLine) + `"}`
	input := strings.Join([]string{
		"\xEF\xBB\xBF" + `{"id":"p1","url":"https://x.example/1","title":"Guichet unique","lang":"fr","cities":["Lisbonne"],"themes":["Réfugiés","Accueil et intégration sociale"]}`,
		`{"url":"https://x.example/2","title":"Wohnen für alle","lang":"de","themes":["Wohnen"],"cities":["München"]}`,
		``,
		`{"url":"https://x.example/3","title":`, // invalid JSON
		`{"url":"https://x.example/4"}`,         // no title
		huge,                                    // too long
		`{"url":"https://x.example/5","title":"Five"} {"x":1}`, // two values
		`   `,
		`{"url":"https://x.example/6","title":"Youth council","lang":"en","themes":["youth","Jugend","Unknown"],"year":"2017"}`, // year not a number
		`{"url":"https://x.example/7","title":"Youth council","lang":"en-US","themes":["youth","Jugend","Unknown"],"period":"since 2019"}`,
	}, "\r\n")
	type lineErr struct {
		Line    int
		Invalid bool
	}
	var errs []lineErr
	n, err := ImportJSONL(ctx, ix, strings.NewReader(input), func(line int, err error) {
		errs = append(errs, lineErr{line, errors.Is(err, ErrInvalid)})
	})
	if err != nil {
		t.Fatalf("ImportJSONL: %v", err)
	}
	if n != 3 {
		t.Errorf("imported %d; want 3", n)
	}
	wantErrs := []lineErr{{4, false}, {5, true}, {6, false}, {7, false}, {9, false}}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("reported lines (-want +got):\n%s", diff)
	}
	p1, err := ix.Get(ctx, "p1")
	if err != nil {
		t.Fatalf("Get(p1): %v", err)
	}
	if diff := cmp.Diff([]string{"refugees", "welcoming"}, p1.Themes); diff != "" || p1.Cities[0] != "Lisbon" {
		t.Errorf("p1 themes (-want +got):\n%s cities %v", diff, p1.Cities)
	}
	p7, err := ix.Get(ctx, IDForURL("https://x.example/7"))
	if err != nil || p7.Year != 2019 || p7.Lang != "en" || !cmp.Equal(p7.Themes, []string{"youth"}) {
		t.Errorf("p7 = %+v, %v; want year 2019, lang en, themes [youth]", p7, err)
	}
	if c, _ := ix.Count(ctx); c != 3 {
		t.Errorf("Count = %d; want 3", c)
	}
}

func TestImportJSONLManyLines(t *testing.T) {
	ix := openTemp(t)
	var b bytes.Buffer
	for i := range 3*importBatchSize + 1 {
		b.WriteString(`{"url":"https://x.example/` + itoa(i) + `","title":"Practice ` + itoa(i) + `","lang":"en"}` + "\n")
	}
	n, err := ImportJSONL(t.Context(), ix, &b, func(line int, err error) { t.Errorf("line %d: %v", line, err) })
	if err != nil || n != 3*importBatchSize+1 {
		t.Fatalf("ImportJSONL = %d, %v; want %d", n, err, 3*importBatchSize+1)
	}
	if c, _ := ix.Count(t.Context()); c != uint64(n) {
		t.Errorf("Count = %d; want %d", c, n)
	}
}

func FuzzImportJSONL(f *testing.F) {
	f.Add([]byte(`{"url":"u","title":"t","themes":["Réfugiés"],"cities":["Lissabon"]}`))
	f.Add([]byte(`{"id":"x","title":"t","translations":[{"lang":"fr","url":"v"}],"year":2020}`))
	f.Add([]byte(`{"url":"u"}`))
	f.Add([]byte(`{"url":"u","title":"t"} []`))
	f.Add([]byte("null"))
	f.Add([]byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, line []byte) {
		p, err := ParseImportLine(line)
		if err != nil {
			return
		}
		if p.ID == "" || p.Title == "" {
			t.Fatalf("accepted a line without id or title: %q", line)
		}
		again, err := Normalize(p)
		if err != nil || !cmp.Equal(p, again) {
			t.Fatalf("parsed practice is not normalised: %v\n%s", err, cmp.Diff(p, again))
		}
	})
}

// FuzzReadLine checks the line splitting of ImportJSONL with a small limit:
// every line is reported once, in order, and a line is either returned
// whole or flagged too long.
func FuzzReadLine(f *testing.F) {
	f.Add([]byte("a\nbb\r\n\nccccccccccccccccccccc\nd"), 4)
	f.Add([]byte(""), 1)
	f.Add([]byte("\n\n"), 0)
	f.Fuzz(func(t *testing.T, input []byte, max int) {
		if max < 0 || max > 64 {
			return
		}
		want := strings.Split(string(input), "\n")
		br := newLineReader(bytes.NewReader(input))
		for i := 0; ; i++ {
			line, tooLong, err := readLine(br, max)
			if i >= len(want) {
				t.Fatalf("line %d read; the input has %d", i+1, len(want))
			}
			w := strings.TrimRight(want[i], "\r")
			switch {
			case tooLong && len(w) <= max:
				t.Fatalf("line %d (%d bytes) flagged too long with limit %d", i+1, len(w), max)
			case !tooLong && string(line) != w:
				t.Fatalf("line %d = %q; want %q", i+1, line, w)
			}
			if err != nil {
				if i != len(want)-1 {
					t.Fatalf("stopped at line %d of %d: %v", i+1, len(want), err)
				}
				return
			}
		}
	})
}

// TestImportJSONLLaterLineWins gives practices twice, in the same batch
// and in the next ones (written concurrently): the index holds each as its
// last line says.
func TestImportJSONLLaterLineWins(t *testing.T) {
	ctx := t.Context()
	ix := openTemp(t)
	const distinct = 50
	var b bytes.Buffer
	lines := 0
	for round := range 4 { // rounds land in different batches
		for i := range importBatchSize {
			id := i % distinct
			b.WriteString(`{"url":"https://x.example/` + itoa(id) + `","title":"Round ` + itoa(round) + ` line ` + itoa(i) + `","lang":"en"}` + "\n")
			lines++
		}
	}
	n, err := ImportJSONL(ctx, ix, &b, func(line int, err error) { t.Errorf("line %d: %v", line, err) })
	if err != nil || n != lines {
		t.Fatalf("ImportJSONL = %d, %v; want %d", n, err, lines)
	}
	if c, _ := ix.Count(ctx); c != distinct {
		t.Errorf("Count = %d; want %d", c, distinct)
	}
	for id := range distinct {
		last := importBatchSize - distinct + id // the last line of round 3 for id
		p, err := ix.Get(ctx, IDForURL("https://x.example/"+itoa(id)))
		if want := "Round 3 line " + itoa(last); err != nil || p.Title != want {
			t.Errorf("practice %d: title %q, %v; want %q", id, p.Title, err, want)
		}
	}
}

// TestImportJSONLStops checks that an import stops with an error when ctx
// ends or the index is closed under it, and that the practices it counts
// as imported are in the index.
func TestImportJSONLStops(t *testing.T) {
	var b bytes.Buffer
	for i := range 3 * importBatchSize {
		b.WriteString(`{"url":"https://x.example/` + itoa(i) + `","title":"Practice ` + itoa(i) + `","lang":"de"}` + "\n")
	}
	input := b.String()

	t.Run("canceled", func(t *testing.T) {
		ix := openTemp(t)
		ctx, cancel := context.WithCancel(t.Context())
		// Cancel once about half the input is read: some batches are written.
		in := &cancelAfter{r: strings.NewReader(input), after: len(input) / 2, cancel: cancel}
		n, err := ImportJSONL(ctx, ix, in, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ImportJSONL = %d, %v; want context.Canceled", n, err)
		}
		if c, _ := ix.Count(t.Context()); c != uint64(n) {
			t.Errorf("Count = %d; ImportJSONL counted %d imported", c, n)
		}
	})

	t.Run("closed", func(t *testing.T) {
		ix := openTemp(t)
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		n, err := ImportJSONL(t.Context(), ix, strings.NewReader(input), nil)
		if !errors.Is(err, ErrClosed) || n != 0 {
			t.Fatalf("ImportJSONL = %d, %v; want 0, ErrClosed", n, err)
		}
	})
}

// cancelAfter reads r and calls cancel once after bytes have been read.
type cancelAfter struct {
	r      io.Reader
	after  int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.after -= n; c.after <= 0 && c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	return n, err
}
