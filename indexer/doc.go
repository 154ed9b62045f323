// Package indexer owns the practice document, the vocabulary (themes, city
// names, countries, languages) and the Bleve index that stores practices on
// disk.
//
// The crawler hands over practices with the raw words a page used
// ("Lissabon", "Wohnen", "Réfugiés"); Normalize maps them onto the
// controlled vocabulary before anything is indexed.
//
// Errors callers branch on (test with errors.Is):
//
//   - ErrInvalid: a practice without id and url, or without title; the
//     message names the field. Returned by Normalize, Upsert, Session.Put
//     and reported per line by ImportJSONL.
//   - ErrNotFound: Get on an id the index does not hold.
//   - ErrLocked: Open on a directory another process (or another Open in
//     this process) holds; reported within about two seconds.
//   - ErrClosed: any call on an Index after Close.
//   - ErrLineTooLong: reported by ImportJSONL for a line over MaxImportLine.
//
// Writes go to the live Bleve (scorch) index in batches; searches go through
// an IndexAlias over it (Index.Bleve), so that a full rebuild can be built
// beside the live index and swapped in atomically.
package indexer
