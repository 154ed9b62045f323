package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ExactTotalLimit: up to this many matching documents, Result.Total is the
// exact number of practices (translation groups); see Result.
const ExactTotalLimit = 1000

// scanLimit bounds the documents read to collapse translations for a page.
const scanLimit = 2 * MaxWindow

type member struct {
	id    string
	lang  string
	score float64
	doc   uint32 // number in the in-memory copy, when mem is set
	mem   bool
	words *docWords // the practice's words kept for highlighting, when it is kept
}

type group struct {
	key     string
	members []member // in result order
}

type collapsed struct {
	total  uint64
	page   []member // one representative per group on the requested page
	facets bsearch.FacetResults
}

// collapse runs q sorted by keys, folds translation groups into their best
// hit, and picks the representatives of r's page: the member in the
// interface language when one matches, else the best-ranked one.
func (e *Engine) collapse(ctx context.Context, idx bleve.Index, q query.Query, keys []string, r Request) (*collapsed, error) {
	need := r.Page * r.Size
	window := max(2*need, 200)
	out := &collapsed{}
	var groups []*group
	exhausted := false
	for first := true; ; first = false {
		req := bleve.NewSearchRequestOptions(q, min(window, scanLimit), 0, false)
		req.SortBy(keys)
		if first {
			for _, f := range Facets {
				if !hasOwnFilter(r, f) && r.Counted(f) {
					req.AddFacet(f, facetRequest(f))
				}
			}
		}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		if first {
			out.facets = res.Facets
		}
		groups = groupHits(res.Hits, len(keys)-3)
		exhausted = uint64(len(res.Hits)) >= res.Total
		switch {
		case exhausted:
			out.total = uint64(len(groups))
		default:
			out.total = res.Total - uint64(len(res.Hits)-len(groups))
		}
		if exhausted || window >= scanLimit || (len(groups) > need && res.Total > ExactTotalLimit) {
			break
		}
		if res.Total <= ExactTotalLimit {
			window = int(res.Total)
		} else {
			window *= 4
		}
	}

	lo := min((r.Page-1)*r.Size, len(groups))
	hi := min(r.Page*r.Size, len(groups))
	pageGroups := groups[lo:hi]
	var missing []string // groups whose ui-language member may lie beyond the scan
	for _, g := range pageGroups {
		if pick(g, r.UI) == nil && !exhausted && g.key != "" {
			missing = append(missing, g.key)
		}
	}
	if len(missing) > 0 {
		if err := e.findUIMembers(ctx, idx, q, missing, r.UI, pageGroups); err != nil {
			return nil, err
		}
	}
	for _, g := range pageGroups {
		m := pick(g, r.UI)
		if m == nil {
			m = &g.members[0]
		}
		out.page = append(out.page, *m)
	}
	return out, nil
}

func hasOwnFilter(r Request, facet string) bool {
	if facet == FacetYear {
		return r.YearFrom != 0 || r.YearTo != 0
	}
	return len(r.Filter(facet)) > 0
}

// groupHits folds hits into groups in order of their first member; the
// group and lang sort values sit at hit.Sort[k] and hit.Sort[k+1].
func groupHits(hits bsearch.DocumentMatchCollection, k int) []*group {
	var out []*group
	byKey := map[string]*group{}
	for _, h := range hits {
		key, lang := "", ""
		if len(h.Sort) > k+1 {
			key, lang = sortValue(h.Sort[k]), sortValue(h.Sort[k+1])
		}
		m := member{id: h.ID, lang: lang, score: h.Score}
		if key == "" {
			out = append(out, &group{key: "", members: []member{m}})
			continue
		}
		if g, ok := byKey[key]; ok {
			g.members = append(g.members, m)
			continue
		}
		g := &group{key: key, members: []member{m}}
		byKey[key] = g
		out = append(out, g)
	}
	return out
}

// sortValue drops Bleve's markers for a missing value.
func sortValue(s string) string {
	if s == bsearch.HighTerm || s == bsearch.LowTerm || strings.HasPrefix(s, "\xff") {
		return ""
	}
	return s
}

func pick(g *group, ui string) *member {
	for i := range g.members {
		if g.members[i].lang == ui {
			return &g.members[i]
		}
	}
	return nil
}

// findUIMembers looks for matching members in the ui language of the given
// groups and adds them.
func (e *Engine) findUIMembers(ctx context.Context, idx bleve.Index, q query.Query, keys []string, ui string, groups []*group) error {
	gq := bleve.NewDisjunctionQuery()
	for _, k := range keys {
		t := bleve.NewTermQuery(k)
		t.SetField(fieldGroup)
		gq.AddQuery(t)
	}
	lq := bleve.NewTermQuery(ui)
	lq.SetField(fieldLang)
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(q, gq, lq), 4*len(keys), 0, false)
	req.SortBy([]string{"-_score", fieldGroup, fieldLang, "_id"})
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	for _, g := range groupHits(res.Hits, 1) {
		for _, pg := range groups {
			if pg.key == g.key && pick(pg, ui) == nil {
				pg.members = append(pg.members, g.members[0])
			}
		}
	}
	return nil
}
