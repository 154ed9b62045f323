package search

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search/memindex"
)

// facetSizes is how many values each facet returns at most.
var facetSizes = map[string]int{
	FacetCity: 100, FacetCountry: 100, FacetTheme: 50, FacetLang: 30, FacetYear: 200, FacetNetwork: 50,
}

// facetRequest counts the terms of facet's field. Year is numeric: only its
// full-precision terms (shift 0) are counted.
func facetRequest(facet string) *bleve.FacetRequest {
	fr := bleve.NewFacetRequest(facet, facetSizes[facet])
	if facet == FacetYear {
		fr.TermPrefix = string([]byte{numeric.ShiftStartInt64})
	}
	return fr
}

type facetAnswer struct {
	facets bsearch.FacetResults
	err    error
}

// ownFilterFacets counts, for every facet that has its own filter, the
// documents that pass all the other filters (one size-0 search each).
func (e *Engine) ownFilterFacets(ctx context.Context, p *plan, r Request, fuzzy bool) facetAnswer {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = facetAnswer{facets: bsearch.FacetResults{}}
	)
	idx := e.ix.Bleve()
	for _, f := range Facets {
		if !hasOwnFilter(r, f) || !r.Counted(f) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := bleve.NewSearchRequestOptions(e.bleveQuery(buildQuery(p, r, f, fuzzy)), 0, 0, false)
			req.AddFacet(f, facetRequest(f))
			res, err := idx.SearchInContext(ctx, req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if out.err == nil {
					out.err = err
				}
				return
			}
			out.facets[f] = res.Facets[f]
		}()
	}
	wg.Wait()
	return out
}

// bleveCounts turns a Bleve facet result into counted values; year terms
// are decoded from their prefix-coded form.
func bleveCounts(facet string, fr *bsearch.FacetResult) []memindex.Count {
	var out []memindex.Count
	if fr == nil || fr.Terms == nil {
		return nil
	}
	for _, t := range fr.Terms.Terms() {
		value := t.Term
		if facet == FacetYear {
			i64, err := numeric.PrefixCoded(t.Term).Int64()
			if err != nil {
				continue
			}
			y := int(numeric.Int64ToFloat64(i64))
			if y <= 0 {
				continue
			}
			value = strconv.Itoa(y)
		}
		out = append(out, memindex.Count{Value: value, Count: t.Count})
	}
	return out
}

// facetValues labels the counted values of facet in r.UI, adds the selected
// values that were not counted (count 0) and sorts by count, then label.
func facetValues(facet string, counts []memindex.Count, r Request) []FacetValue {
	filter := r.Filter(facet)
	out := make([]FacetValue, 0, len(counts)+len(filter))
	seen := make(map[string]bool, len(counts)+len(filter))
	for _, c := range counts {
		if c.Value == "" || seen[c.Value] {
			continue
		}
		seen[c.Value] = true
		out = append(out, FacetValue{Value: c.Value, Count: c.Count})
	}
	for _, v := range filter {
		if !seen[v] {
			seen[v] = true
			out = append(out, FacetValue{Value: v})
		}
	}
	for i := range out {
		out[i].Label = FacetLabel(facet, out[i].Value, r.UI)
		out[i].Selected = selected(facet, out[i].Value, r)
	}
	coll := collators.get(r.UI)
	defer collators.put(r.UI, coll)
	slices.SortStableFunc(out, func(a, b FacetValue) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if c := coll.CompareString(a.Label, b.Label); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

func selected(facet, value string, r Request) bool {
	if facet == FacetYear {
		y, err := strconv.Atoi(value)
		if err != nil || (r.YearFrom == 0 && r.YearTo == 0) {
			return false
		}
		return (r.YearFrom == 0 || y >= r.YearFrom) && (r.YearTo == 0 || y <= r.YearTo)
	}
	return slices.Contains(r.Filter(facet), value)
}

// FacetLabel is the label of a facet value in the interface language ui.
func FacetLabel(facet, value, ui string) string {
	var l string
	switch facet {
	case FacetCity:
		l = indexer.CityLabel(value, ui)
	case FacetCountry:
		l = indexer.CountryLabel(value, ui)
	case FacetTheme:
		l = indexer.ThemeLabel(value, ui)
	case FacetLang:
		l = indexer.LangLabel(value, ui)
	}
	if l == "" {
		return value
	}
	return l
}

// collators lends label collators per interface language: making one costs
// more than sorting a facet, and one may not be used by two searches at
// once.
var collators = &collatorPools{pools: map[string]*sync.Pool{}}

type collatorPools struct {
	mu    sync.Mutex
	pools map[string]*sync.Pool
}

func (c *collatorPools) pool(ui string) *sync.Pool {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pools[ui]
	if p == nil {
		tag := language.Make(ui)
		p = &sync.Pool{New: func() any { return collate.New(tag, collate.IgnoreCase, collate.IgnoreDiacritics) }}
		if len(c.pools) < 16 { // requests name en, fr or de; a Go caller could name any
			c.pools[ui] = p
		}
	}
	return p
}

func (c *collatorPools) get(ui string) *collate.Collator { return c.pool(ui).Get().(*collate.Collator) }

func (c *collatorPools) put(ui string, coll *collate.Collator) { c.pool(ui).Put(coll) }
