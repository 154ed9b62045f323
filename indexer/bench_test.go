package indexer

import (
	"path/filepath"
	"strings"
	"testing"
)

// benchBody is a ~300-word body built from the words practices use.
var benchBody = strings.Repeat("The city opened a welcome centre for refugees and newcomers, with language courses, "+
	"housing advice and mediation in the neighbourhoods; partners include schools, sports clubs and faith communities. ", 12)

func BenchmarkUpsert(b *testing.B) {
	ix, err := Open(filepath.Join(b.TempDir(), "index"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	langs := []string{"en", "fr", "de"}
	ps := make([]Practice, 0, batchSize)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ps = append(ps, Practice{
			URL: "https://bench.example/p/" + itoa(i), Source: "bench", Title: "Practice " + itoa(i), Body: benchBody,
			Cities: []string{"Lisbon"}, Themes: []string{"refugees", "Wohnen"}, Lang: langs[i%3], Year: 2000 + i%25,
		})
		if len(ps) == batchSize || i == b.N-1 {
			if err := ix.Upsert(b.Context(), ps); err != nil {
				b.Fatal(err)
			}
			ps = ps[:0]
		}
	}
}
