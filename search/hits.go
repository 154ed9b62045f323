package search

import (
	"context"
	"math"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// hits loads the stored practices of the page's representatives and turns
// them into hits with highlights.
func (e *Engine) hits(ctx context.Context, idx bleve.Index, mem *memindex.Index, pq Query, col *collapsed, r Request) ([]Hit, error) {
	out := []Hit{}
	if len(col.page) == 0 {
		return out, nil
	}
	gen := e.ix.Generation()
	docs := map[string]indexer.Practice{}
	words := map[string]*docWords{}
	var ids []string
	for _, m := range col.page {
		if p, w, ok := e.docs.get(gen, m.id); ok {
			docs[m.id], words[m.id] = p, w
		} else {
			ids = append(ids, m.id)
		}
	}
	if len(ids) > 0 {
		loaded, err := e.ix.GetMany(ctx, ids)
		if err != nil {
			return nil, err
		}
		for id, p := range loaded {
			docs[id] = p
			words[id] = e.docs.put(gen, id, p)
		}
		e.pages.loaded(e, len(loaded))
	}
	hl := newHighlights(idx, pq)
	hl.mem = mem
	defer hl.release()
	for _, m := range col.page {
		p, ok := docs[m.id]
		if !ok {
			continue // removed between the two requests
		}
		m.words = words[m.id]
		h := practiceHit(p, r.UI)
		h.Score = m.score
		if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) {
			h.Score = 0
		}
		h.TitleHTML, h.SnippetHTML = hl.render(p, m)
		out = append(out, h)
	}
	return out, nil
}

// practiceHit copies a practice into a hit (without highlights).
func practiceHit(p indexer.Practice, ui string) Hit {
	h := Hit{
		ID:           p.ID,
		URL:          indexer.WebURL(p.URL),
		Title:        p.Title,
		Summary:      p.Summary,
		Cities:       nonNil(p.Cities),
		Country:      p.Country,
		Lang:         p.Lang,
		Year:         p.Year,
		Period:       p.Period,
		Published:    p.Published,
		Network:      p.Network,
		Source:       p.Source,
		Themes:       ThemeLabels(p.Themes, ui),
		Translations: []indexer.Translation{},
	}
	for _, t := range p.Translations {
		if u := indexer.WebURL(t.URL); u != "" {
			h.Translations = append(h.Translations, indexer.Translation{Lang: t.Lang, URL: u})
		}
	}
	return h
}

// ThemeLabels labels theme ids in ui.
func ThemeLabels(ids []string, ui string) []Label {
	out := make([]Label, 0, len(ids))
	for _, id := range ids {
		out = append(out, Label{Value: id, Label: FacetLabel(FacetTheme, id, ui)})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// highlights caches one highlighter per text field for one query.
type highlights struct {
	idx   bleve.Index
	pq    Query
	cache map[string]*highlighter
	mem   *memindex.Index // when set, fields without any query term are not scanned
}

func newHighlights(idx bleve.Index, pq Query) *highlights {
	return &highlights{idx: idx, pq: pq, cache: map[string]*highlighter{}}
}

func (hs *highlights) get(field string) *highlighter {
	if pqEmpty := hs.pq.Empty(); pqEmpty {
		return nil
	}
	h, ok := hs.cache[field]
	if !ok {
		h = newHighlighter(hs.idx.Mapping(), field, hs.pq)
		hs.cache[field] = h
	}
	return h
}

// release gives the highlighters' buffers back.
func (hs *highlights) release() {
	for _, h := range hs.cache {
		h.release()
	}
}

// spans marks field's text of the practice of member m. A field in which
// the in-memory copy shows none of the query's terms nor their near
// spellings has nothing to mark and is not scanned (most hits found
// through another language's forms of a word).
//
// kept, when set, holds (or will hold) the terms of text's words.
func (hs *highlights) spans(field, text string, m member, kept func(*docWords) *atomic.Pointer[textWords]) []span {
	h := hs.get(field)
	if h == nil || text == "" {
		return nil
	}
	if hs.mem != nil && m.mem && !h.mayMatch(hs.mem, field, m.doc) {
		return nil
	}
	if m.words == nil || kept == nil {
		return h.spans(text)
	}
	return h.spansKept(text, &keptWords{slot: kept(m.words), grow: m.words.grow})
}

func keptTitle(w *docWords) *atomic.Pointer[textWords]   { return &w.title }
func keptSummary(w *docWords) *atomic.Pointer[textWords] { return &w.summary }
func keptBody(w *docWords) *atomic.Pointer[textWords]    { return &w.body }

// render returns title_html and snippet_html for p: the title with marks,
// and about SnippetLength characters of the summary or body around the best
// match (the summary, else the body start, when nothing matches).
func (hs *highlights) render(p indexer.Practice, m member) (titleHTML, snippetHTML string) {
	titleHTML = markAll(p.Title, hs.spans(indexer.TextField("title", p.Lang), p.Title, m, keptTitle))

	sumSpans := hs.spans(indexer.TextField("summary", p.Lang), p.Summary, m, keptSummary)
	bodySpans := hs.spans(indexer.TextField("body", p.Lang), p.Body, m, keptBody)
	switch {
	case distinct(p.Body, bodySpans) > distinct(p.Summary, sumSpans):
		snippetHTML = snippet(p.Body, bodySpans)
	case len(sumSpans) > 0 || p.Summary != "":
		snippetHTML = snippet(p.Summary, sumSpans)
	default:
		snippetHTML = snippet(p.Body, nil)
	}
	return titleHTML, snippetHTML
}

func distinct(text string, spans []span) int {
	seen := map[string]bool{}
	for _, s := range spans {
		seen[text[s.start:s.end]] = true
	}
	return len(seen)
}
