package memindex

// DocFreq returns the number of documents holding term in a text field
// (0 when none or when field is not a text field).
func (ix *Index) DocFreq(field, term string) int {
	f := ix.text[field]
	if f == nil {
		return 0
	}
	if p := f.terms[term]; p != nil {
		return len(p.docs)
	}
	return 0
}

// PrefixTerms calls fn with every term of a text field that starts with
// prefix, in ascending order, and its document frequency, until fn
// returns false.
func (ix *Index) PrefixTerms(field, prefix string, fn func(term string, df int) bool) {
	f := ix.text[field]
	if f == nil {
		return
	}
	for _, t := range f.prefixRange(prefix) {
		if !fn(t, len(f.terms[t].docs)) {
			return
		}
	}
}
