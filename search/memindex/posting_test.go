package memindex

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A posting returns each document's positions and frequency as added,
// across block boundaries and for frequencies too large for a byte.
func TestPostingPositions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var p posting
	var want [][]uint16
	for d := range uint32(300) {
		n := 1 + rng.IntN(3)
		switch d {
		case 70:
			n = 255 // exactly the escape
		case 200:
			n = 1000
		}
		ps := make([]uint16, n)
		for i := range ps {
			ps[i] = uint16(i*3 + 1)
		}
		p.add(d*2, ps)
		want = append(want, ps)
	}
	for i, ps := range want {
		if got := p.positions(i); !slices.Equal(got, ps) {
			t.Fatalf("positions(%d) = %d values, want %d", i, len(got), len(ps))
		}
		if got := p.freqOf(i); got != uint32(len(ps)) {
			t.Fatalf("freqOf(%d) = %d, want %d", i, got, len(ps))
		}
		if p.docs[i] != uint32(i*2) {
			t.Fatalf("docs[%d] = %d", i, p.docs[i])
		}
	}
}
