package memindex

import "slices"

// DumpText returns every text field's postings — term, then external id,
// then positions — and each document's norm per field, for tests
// comparing two copies whatever their document numbering.
func DumpText(ix *Index) (map[string]map[string]map[string][]uint16, map[string]map[string]float32) {
	posts := map[string]map[string]map[string][]uint16{}
	norms := map[string]map[string]float32{}
	for field, tf := range ix.text {
		pf := map[string]map[string][]uint16{}
		for term, p := range tf.terms {
			byID := map[string][]uint16{}
			for i, doc := range p.docs {
				byID[ix.ids[doc]] = slices.Clone(p.positions(i))
			}
			pf[term] = byID
		}
		posts[field] = pf
		nf := map[string]float32{}
		for doc, n := range tf.norm {
			if n != 0 {
				nf[ix.ids[doc]] = n
			}
		}
		norms[field] = nf
	}
	return posts, norms
}
