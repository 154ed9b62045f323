// Package benchcorpus generates a deterministic corpus of practices for
// measuring casebook at scale (issue 7).
//
// The text is real where it can be: per language (en, fr, de), titles and
// summaries are those of the demo corpus (cmd/casebook/demo), and a body
// mixes sentences of the demo pages with sentences drawn word by word, with
// Zipf's law over frequency rank, from the language's word list: every word
// the demo pages of that language use (about 2,000 per language), ranked by
// how often they use it. One word in six of a drawn sentence is a domain word
// (a few hundred per language: the content words of titles, headings and the
// theme vocabulary). Cities, countries and themes come from the indexer
// vocabulary and are written as a site in that language would write them.
// The same n and seed always give the same practices, in the same order.
package benchcorpus
