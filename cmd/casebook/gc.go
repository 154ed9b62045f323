package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target when serving: the heap
// may grow by half of what is live before a collection, instead of Go's
// default of doubling. A served index keeps its in-memory copy live (about
// 260 MB at 100,000 practices), so the default would let the process grow
// by as much again in garbage; at 50 the resident memory stays about a
// third lower for a few more (short) collections. GOGC, when set, wins.
const serveGCPercent = 50

// tuneGC applies serveGCPercent unless the operator set GOGC.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
}
