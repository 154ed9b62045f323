package search

import "github.com/casebook-project/casebook/search/memindex"

// maxNear is the longest pair of ASCII terms withinDistance compares itself.
const maxNear = 32

// withinDistance is memindex.WithinDistance without its allocations for
// ASCII terms of up to maxNear bytes (nearly every folded term): the same
// edit distance, a swap of two adjacent letters counting as one edit, by
// the same bounded computation.
func withinDistance(a, b string, k int) bool {
	if len(a) > maxNear || len(b) > maxNear || !isASCII(a) || !isASCII(b) {
		return memindex.WithinDistance(a, b, k)
	}
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	var rows [3][maxNear + 1]int
	pp, prev, cur := &rows[0], &rows[1], &rows[2]
	n := len(b)
	for j := 0; j <= n; j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := i
		for j := 1; j <= n; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				c = min(c, pp[j-2]+1)
			}
			cur[j] = c
			best = min(best, c)
		}
		if best > k {
			return false
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[n] <= k
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
