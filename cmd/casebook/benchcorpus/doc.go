// Package benchcorpus generates a deterministic corpus of practices for
// measuring casebook at scale (issue 7).
//
// The text is real: every sentence, title and summary comes from the demo
// corpus (cmd/casebook/demo) in the practice's own language, recombined so
// that N practices share the vocabulary and word statistics of real pages.
// Cities, countries and themes come from the indexer vocabulary and are
// written as a site in that language would write them. The same n and seed
// always give the same practices, in the same order.
package benchcorpus
