// Package search answers the visitor's questions over the practice index.
//
// A request (ParseRequest) carries the visitor's words, the facet filters,
// paging, sort order and the interface language. The words are read by a
// tiny grammar of our own (ParseQuery: words, "phrases", -exclusions; every
// other character is plain text), never by Bleve's query-string syntax, so
// no input is a syntax error and no input expands without bound.
//
// Each word is looked up in the title, summary and body fields of every
// language (en, fr, de and the language-neutral xx fields), each with its
// own analyzer; a word that names a theme or a city in any language also
// matches practices carrying that theme or city, so "Wohnen" finds housing
// practices in French and English and "Lissabon" finds Lisbon. Results in
// the interface language get a small boost; nothing is filtered out unless
// a lang filter is given.
//
// Facets are disjunctive: the counts of a facet apply every filter except
// the facet's own. Highlights (title_html, snippet_html) are built here from
// the stored document with the index's analyzers and contain only escaped
// text and <mark> tags. Translations of one practice (same translation
// group) appear once, in the interface language when it is among the hits.
package search
