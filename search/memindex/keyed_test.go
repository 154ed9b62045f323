package memindex

import (
	"fmt"
	"testing"
)

func matchesOf(n int) Matches {
	m := Matches{docs: make([]uint32, n), scores: make([]float64, n)}
	for i := range m.docs {
		m.docs[i] = uint32(i)
		m.scores[i] = 1
	}
	return m
}

// The part cache keeps the most recently used parts within its budget:
// a word used again survives words used once.
func TestPartCacheDropsLeastRecentlyUsed(t *testing.T) {
	defer func(b int) { PartCacheBytes = b }(PartCacheBytes)
	PartCacheBytes = 100 * bytesPerMatch * 4 // four parts of 90 matches fit, five do not
	var c partCache
	c.put("a", matchesOf(90))
	c.put("b", matchesOf(90))
	c.put("c", matchesOf(90))
	c.put("d", matchesOf(90))
	if _, ok := c.get("a"); !ok { // a is now the most recently used
		t.Fatal("a: dropped while the cache had room")
	}
	c.put("e", matchesOf(90)) // over budget: b, the least recently used, goes
	c.put("f", matchesOf(90)) // then c
	for key, want := range map[string]bool{"a": true, "b": false, "c": false, "d": true, "e": true, "f": true} {
		if _, got := c.get(key); got != want {
			t.Errorf("%s cached = %t, want %t", key, got, want)
		}
	}
	if c.bytes > PartCacheBytes {
		t.Errorf("cache holds %d bytes, budget %d", c.bytes, PartCacheBytes)
	}
}

// A part larger than a quarter of the budget is not kept (it would push
// out many smaller ones).
func TestPartCacheSkipsHugeParts(t *testing.T) {
	defer func(b int) { PartCacheBytes = b }(PartCacheBytes)
	PartCacheBytes = 1000 * bytesPerMatch
	var c partCache
	c.put("small", matchesOf(10))
	c.put("huge", matchesOf(300))
	if _, ok := c.get("huge"); ok {
		t.Error("a part of 300 matches was kept in a budget of 1,000")
	}
	if _, ok := c.get("small"); !ok {
		t.Error("a small part was dropped to make room for one that is not kept")
	}
}

func TestYearCounts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		years []int32
		want  string
	}{
		{"array", []int32{2005, 2020, 2020, 0, 2011}, "[{2020 2} {2005 1} {2011 1}]"},
		// Years far apart (bad data) are counted in a map, not an array
		// spanning them.
		{"sparse", []int32{1, 99999, 99999, 0}, "[{99999 2} {1 1}]"},
		{"none", []int32{0, 0}, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := &Index{n: len(tc.years), year: tc.years}
			m := matchesOf(len(tc.years))
			got := fmt.Sprint(ix.FacetCounts(&m, []Facet{{Year: true, Size: 10}})[0])
			if got == "[]" && tc.want == "[]" {
				return
			}
			if got != tc.want {
				t.Errorf("YearCounts = %s, want %s", got, tc.want)
			}
		})
	}
}
