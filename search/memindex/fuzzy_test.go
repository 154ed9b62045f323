package memindex

import "testing"

func TestBoundedDistance(t *testing.T) {
	tests := []struct {
		a, b string
		k    int
		want int
	}{
		{"integration", "integration", 2, 0},
		{"intergation", "integration", 2, 1}, // a swap of adjacent letters is one edit
		{"integraton", "integration", 2, 1},
		{"médiaton", "médiation", 1, 1},
		{"housing", "hosuing", 1, 1},
		{"refugee", "refuge", 1, 1},
		{"barcellona", "barcelona", 2, 1},
		{"school", "scholarship", 2, -1}, // -1: any value above k
		{"", "abc", 3, 3},
	}
	for _, tt := range tests {
		var rows [3][]int
		got := boundedDistance([]rune(tt.a), []rune(tt.b), tt.k, &rows)
		if tt.want < 0 && got > tt.k {
			continue
		}
		if got != tt.want {
			t.Errorf("boundedDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.k, got, tt.want)
		}
	}
}
