package memindex

import "slices"

// PostingDump is one term's posting, for tests comparing two copies.
type PostingDump struct {
	Docs []string   // external ids, in document order
	Pos  [][]uint16 // positions in each
}

// DumpText returns every text field's postings by external id, and each
// document's norm per field.
func DumpText(ix *Index) (map[string]map[string]PostingDump, map[string]map[string]float32) {
	posts := map[string]map[string]PostingDump{}
	norms := map[string]map[string]float32{}
	for field, tf := range ix.text {
		pf := map[string]PostingDump{}
		for term, p := range tf.terms {
			var d PostingDump
			for i, doc := range p.docs {
				d.Docs = append(d.Docs, ix.ids[doc])
				d.Pos = append(d.Pos, slices.Clone(p.positions(i)))
			}
			pf[term] = d
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
