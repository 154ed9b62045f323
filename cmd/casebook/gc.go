package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target when serving: the heap
// may grow by 15% of what is live before a collection, instead of Go's
// default of doubling. A served index keeps its in-memory copy live (about
// 290 MB at 100,000 practices with a full part cache) while a search
// allocates little (its working matches are lent by an arena), so
// collections are frequent but cheap. Measured at 100,000 practices (median
// resident memory while serving over HTTP, 2 clients): session 9, 579 MB at
// 50, 502 MB at 25, 457 MB at 10 (HTTP p50 3.62, 3.35, 3.69 ms); session 10,
// with pages released every 32 practices loaded, 422 MB at 25 and 395 MB at
// 15, p50 within the run-to-run noise (2.4-2.8 ms). GOGC, when set, wins.
const serveGCPercent = 15

// tuneGC applies serveGCPercent unless the operator set GOGC.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
}

// importGCPercent is the collector's target of `casebook import`: a batch
// job whose garbage (parsed lines, analysed tokens, segments being built)
// is short-lived, so letting the heap grow to three times what is live
// trades memory the job gives back at exit for about a tenth less time
// (BenchmarkImportGenerated, 20,000 practices: 1,721/s at 100, 1,903/s at
// 400; 200 is the middle).
const importGCPercent = 200

// tuneImportGC applies importGCPercent unless the operator set GOGC.
func tuneImportGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(importGCPercent)
	}
}
