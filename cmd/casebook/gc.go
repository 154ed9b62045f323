package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target when serving: the heap
// may grow by a quarter of what is live before a collection, instead of
// Go's default of doubling. A served index keeps its in-memory copy live
// (about 300 MB at 100,000 practices with a full part cache) while a search
// allocates little (its working matches are lent by an arena), so
// collections are frequent but cheap. Measured with `casebook bench --n
// 100000 --reuse`: resident memory while serving (median) 579 MB at 50,
// 502 MB at 25, 457 MB at 10; HTTP p50 3.62, 3.35 and 3.69 ms. GOGC, when
// set, wins.
const serveGCPercent = 25

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
