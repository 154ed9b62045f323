// Package memindex holds an in-memory copy of what a search reads from the
// practice index — the postings (with positions) of every text field, the
// facet values of every document, sort keys and translation groups — and
// evaluates the Bleve queries that package search builds against it.
//
// Bleve stays the index on disk and the source of truth: a memindex.Index
// is built from one snapshot of it (Build) and is valid for that snapshot's
// generation only. It scores the way Bleve's default (TF-IDF) scorer does —
// sqrt(tf) × fieldNorm × idf² × boost per term, sums for conjunctions,
// sums scaled by the share of matching clauses for disjunctions — so the
// ranking is Bleve's, but it keeps every match as a dense, sorted list and
// counts facets with plain arrays, without the per-hit costs that make
// Bleve slow when a query matches most of the index.
package memindex
