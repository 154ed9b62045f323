package search

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casebook-project/casebook/indexer"
)

func cachedPractice(i, bodyLen int) indexer.Practice {
	return indexer.Practice{ID: fmt.Sprintf("p%02d", i), Title: "Welcome desk", Lang: "en",
		Cities: []string{"Lisbon"}, Themes: []string{"welcome"}, Body: strings.Repeat("x", bodyLen)}
}

// TestDocCacheBudget: the cache keeps the most recently used practices
// within its budget in bytes, never a practice too large for it, and only
// for one index generation.
func TestDocCacheBudget(t *testing.T) {
	one := practiceSize(cachedPractice(0, 1000))
	c := &docCache{budget: 10 * one}
	for i := range 20 {
		c.put(1, fmt.Sprintf("p%02d", i), cachedPractice(i, 1000))
		if i == 12 {
			// p5 is used again: it is now more recent than p6..p12.
			if _, _, ok := c.get(1, "p05"); !ok {
				t.Fatal("p5 not kept after 13 puts into room for 10")
			}
		}
	}
	if c.bytes > c.budget {
		t.Errorf("kept %d bytes, budget %d", c.bytes, c.budget)
	}
	if c.len() != 10 {
		t.Errorf("kept %d practices, want 10", c.len())
	}
	for i := range 20 {
		_, _, ok := c.get(1, fmt.Sprintf("p%02d", i))
		want := i == 5 || i >= 11 // p03, p04, p06..p10 went in turn, for p13..p19
		if ok != want {
			t.Errorf("p%d kept = %v, want %v", i, ok, want)
		}
	}

	// A long practice takes the room of several short ones.
	c1 := &docCache{budget: 80 * one}
	for i := range 80 {
		c1.put(1, fmt.Sprintf("p%02d", i), cachedPractice(i, 1000))
	}
	long := cachedPractice(99, 8*one-practiceSize(cachedPractice(99, 0)))
	if practiceSize(long) != 8*one {
		t.Fatalf("long practice of %d bytes, want %d", practiceSize(long), 8*one)
	}
	c1.put(1, "long", long)
	if _, _, ok := c1.get(1, "long"); !ok {
		t.Error("a practice of a tenth of the budget not kept")
	}
	if c1.len() != 73 || c1.bytes != c1.budget {
		t.Errorf("%d practices (%d bytes) kept with a long one, want 73 (%d)", c1.len(), c1.bytes, c1.budget)
	}
	if _, _, ok := c1.get(1, "p07"); ok {
		t.Error("p07 kept: the long practice pushed out fewer than 8 short ones")
	}

	// Words kept for a practice count too: recording them pushes out the
	// least recently used practices, never the one that grew.
	c3 := &docCache{budget: 10 * one}
	var first *docWords
	for i := range 10 {
		w := c3.put(1, fmt.Sprintf("p%02d", i), cachedPractice(i, 1000))
		if i == 0 {
			first = w
		}
	}
	w9 := c3.put(1, "p09", cachedPractice(9, 1000)) // already kept: the same words
	if _, w, _ := c3.get(1, "p09"); w == nil || w != w9 {
		t.Fatal("put of a kept practice did not return its words")
	}
	w9.grow(2 * one)
	if c3.len() != 8 || c3.bytes != 10*one {
		t.Errorf("after p09 grew by two practices: %d kept, %d bytes; want 8, %d", c3.len(), c3.bytes, 10*one)
	}
	if _, _, ok := c3.get(1, "p01"); ok {
		t.Error("p01 kept after p09 grew: the oldest two should have gone")
	}
	first.grow(5 * one) // p00 is gone: nothing to count
	if c3.bytes != 10*one {
		t.Errorf("a practice no longer kept grew the cache to %d bytes", c3.bytes)
	}
	w9.grow(20 * one) // larger than the budget: the others go, p09 stays
	if _, _, ok := c3.get(1, "p09"); !ok || c3.len() != 1 {
		t.Errorf("after p09 outgrew the budget: kept=%v, %d practices; want p09 alone", ok, c3.len())
	}

	// Larger than an eighth of the budget is never kept.
	c2 := &docCache{budget: 8 * one}
	c2.put(1, "huge", cachedPractice(1, 2000))
	if _, _, ok := c2.get(1, "huge"); ok || c2.bytes != 0 {
		t.Errorf("practice of %d bytes kept in a budget of %d", practiceSize(cachedPractice(1, 2000)), c2.budget)
	}

	// Another generation: nothing kept is returned, and the room is free.
	if _, _, ok := c.get(2, "p19"); ok {
		t.Error("practice of generation 1 returned at generation 2")
	}
	c.put(2, "p1", cachedPractice(1, 1000))
	if c.len() != 1 || c.bytes != one {
		t.Errorf("after a new generation: %d practices, %d bytes; want 1, %d", c.len(), c.bytes, one)
	}
}
