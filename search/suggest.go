package search

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/casebook-project/casebook/indexer"
)

// Suggestion kinds.
const (
	KindTerm  = "term"
	KindCity  = "city"
	KindTheme = "theme"
)

// Suggestion is one type-ahead proposal.
type Suggestion struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
}

// MaxSuggestions caps the suggestions of one request.
const MaxSuggestions = 10

// Suggest proposes completions of prefix (at least 2 letters; accents and
// case ignored): theme labels and city names whose label in any language,
// synonym or local form starts with it (given in ui), then words of
// practice titles starting with it.
func (e *Engine) Suggest(ctx context.Context, prefix, ui string) ([]Suggestion, error) {
	out := []Suggestion{}
	p := fold(strings.TrimSpace(clean(prefix)))
	if utf8.RuneCountInString(p) < 2 || utf8.RuneCountInString(p) > 64 {
		return out, nil
	}
	ctx, cancel := e.withTimeout(ctx)
	defer cancel()
	seen := map[string]bool{}
	add := func(text, kind string) {
		if len(out) < MaxSuggestions && !seen[kind+"\x00"+text] {
			seen[kind+"\x00"+text] = true
			out = append(out, Suggestion{Text: text, Kind: kind})
		}
	}
	for _, t := range indexer.Themes() {
		forms := append([]string{t.ID}, t.Synonyms...)
		for _, l := range t.Labels {
			forms = append(forms, l)
		}
		if anyPrefix(forms, p) {
			add(FacetLabel(FacetTheme, t.ID, ui), KindTheme)
		}
	}
	cities, err := e.cityNames()
	if err != nil {
		return nil, err
	}
	for _, name := range cities {
		forms := []string{name}
		if c, ok := indexer.LookupCity(name); ok {
			forms = append(forms, c.Aliases...)
			for _, n := range c.Names {
				forms = append(forms, n)
			}
		}
		if anyPrefix(forms, p) {
			add(FacetLabel(FacetCity, name, ui), KindCity)
		}
	}
	words, err := e.titleWords(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, w := range words {
		add(w, KindTerm)
	}
	return out, nil
}

// cityNames lists the cities present in the index.
func (e *Engine) cityNames() ([]string, error) {
	d, err := e.ix.Bleve().FieldDict(fieldCity)
	if err != nil {
		return nil, fmt.Errorf("suggest: city names: %w", err)
	}
	defer d.Close()
	var out []string
	for {
		entry, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("suggest: city names: %w", err)
		}
		if entry == nil {
			return out, nil
		}
		out = append(out, entry.Term)
	}
}

// titleWords returns words of matching practice titles starting with p.
func (e *Engine) titleWords(ctx context.Context, p string) ([]string, error) {
	d := bleve.NewDisjunctionQuery()
	for _, lang := range textLangs {
		q := bleve.NewPrefixQuery(p)
		q.SetField(indexer.TextField("title", lang))
		d.AddQuery(q)
	}
	req := bleve.NewSearchRequestOptions(d, 20, 0, false)
	req.Fields = []string{indexer.FieldDoc}
	res, err := e.ix.Bleve().SearchInContext(ctx, req)
	if isTooManyClauses(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("suggest: titles: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	for _, h := range res.Hits {
		pr, err := indexer.DecodeStored(h.Fields)
		if err != nil {
			continue
		}
		for _, w := range strings.FieldsFunc(pr.Title, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
		}) {
			lw := strings.ToLower(w)
			if strings.HasPrefix(fold(lw), p) && !seen[lw] {
				seen[lw] = true
				out = append(out, lw)
			}
		}
	}
	return out, nil
}

// anyPrefix reports whether a form, or a word inside it, starts with p
// (p already folded).
func anyPrefix(forms []string, p string) bool {
	for _, f := range forms {
		f = fold(f)
		if strings.HasPrefix(f, p) {
			return true
		}
		for _, w := range strings.Fields(f) {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// fold lowercases s and removes accents.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}
