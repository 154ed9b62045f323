package search

import (
	"context"

	"github.com/casebook-project/casebook/search/memindex"
)

// facetFields maps the keyword facets onto their index fields.
var facetFields = map[string]string{
	FacetLang: fieldLang, FacetCity: fieldCity, FacetCountry: fieldCountry,
	FacetTheme: fieldTheme, FacetNetwork: fieldNetwork,
}

// searchMem answers r from the in-memory copy m: the visitor's words are
// matched once (the same Bleve query as searchBleve builds, without the
// filters, which score nothing), then every filter is a bit set: the page
// and total use all of them, each facet all but its own.
func (e *Engine) searchMem(ctx context.Context, m *memindex.Index, p *plan, r Request, fuzzy bool) (*Result, error) {
	unfiltered := r
	unfiltered.Langs, unfiltered.Cities, unfiltered.Countries, unfiltered.Themes, unfiltered.Networks = nil, nil, nil, nil, nil
	unfiltered.YearFrom, unfiltered.YearTo = 0, 0
	// The intermediate matches are lent by an arena and given back when
	// the page is built: nothing below keeps them.
	arena := m.NewArena()
	defer arena.Release()
	all, err := arena.Eval(ctx, buildQuery(p, unfiltered, "", fuzzy), e.ix.Bleve().Mapping())
	if err != nil {
		return nil, err
	}
	sets := map[string]memindex.Set{}
	for _, f := range Facets {
		if !hasOwnFilter(r, f) {
			continue
		}
		if f == FacetYear {
			sets[f] = m.YearSet(r.YearFrom, r.YearTo)
		} else {
			sets[f] = m.KeywordSet(facetFields[f], r.Filter(f))
		}
	}
	except := func(skip string) []memindex.Set {
		var out []memindex.Set
		for f, s := range sets {
			if f != skip {
				out = append(out, s)
			}
		}
		return out
	}
	matched := arena.Filter(all, except("")...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	out := &Result{Facets: map[string][]FacetValue{}}
	// The facets without a filter of their own count the matches, in one
	// pass; a facet with its own filter counts the matches of the others.
	var shared []string
	var specs []memindex.Facet
	for _, f := range Facets {
		if !r.Counted(f) {
			continue
		}
		spec := memindex.Facet{Field: facetFields[f], Year: f == FacetYear, Size: facetSizes[f]}
		if _, own := sets[f]; own {
			b := arena.Filter(all, except(f)...)
			out.Facets[f] = facetValues(f, m.FacetCounts(&b, []memindex.Facet{spec})[0], r)
			continue
		}
		shared = append(shared, f)
		specs = append(specs, spec)
	}
	if len(specs) > 0 {
		for i, counts := range m.FacetCounts(&matched, specs) {
			out.Facets[shared[i]] = facetValues(shared[i], counts, r)
		}
	}

	order := memindex.ByScore
	switch {
	case r.Sort == SortOldest:
		order = memindex.ByOldest
	case r.Sort == SortNewest || p.pq.Empty():
		order = memindex.ByNewest
	}
	page, groups := m.Collapse(&matched, order, (r.Page-1)*r.Size, r.Page*r.Size, r.UI)
	col := &collapsed{total: uint64(groups)}
	for _, pm := range page {
		col.page = append(col.page, member{id: pm.ID, lang: pm.Lang, score: pm.Score, doc: pm.Doc, mem: true})
	}
	hits, err := e.hits(ctx, e.ix.Bleve(), m, p.pq, col, r)
	if err != nil {
		return nil, err
	}
	out.Total, out.Hits = col.total, hits
	return out, nil
}
