package memindex

// Stats describes the size of an in-memory copy.
type Stats struct {
	Documents int
	Terms     int   // distinct terms over all text fields
	Postings  int   // (term, document) pairs
	Positions int   // term occurrences
	Bytes     int64 // approximate bytes of the text fields' postings, dictionaries and norms
}

// Stats counts the copy's terms, postings and positions.
func (ix *Index) Stats() Stats {
	s := Stats{Documents: ix.n}
	for _, f := range ix.text {
		s.Terms += len(f.terms)
		s.Bytes += int64(len(f.norm)) * 4
		for term, p := range f.terms {
			s.Postings += len(p.docs)
			s.Positions += len(p.pos)
			// the map entry and sorted slice hold the term twice (one string)
			s.Bytes += int64(len(term)) + 16*2 + 8 + 72 // header, pointer, posting struct
			s.Bytes += int64(cap(p.docs))*4 + int64(cap(p.freq)) + int64(cap(p.blk))*4 + int64(cap(p.pos))*2 + int64(len(p.big))*16
		}
	}
	return s
}
