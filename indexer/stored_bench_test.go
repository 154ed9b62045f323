package indexer

import (
	"encoding/json"
	"strings"
	"testing"
)

// BenchmarkDecodeStored decodes a practice of about 3 KB stored
// compressed (zstd with the dictionary, as written now), as DEFLATE and as
// plain JSON (as written before), the cost of each hit a search returns.
func BenchmarkDecodeStored(b *testing.B) {
	p := Practice{ID: "p1", URL: "https://x.example/1", Title: "Wohnen für alle", Lang: "de",
		Body: strings.Repeat("Die Stadt eröffnete ein Begegnungscafé für Geflüchtete und Nachbarn. ", 45)}
	raw, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	for _, form := range []struct {
		name   string
		stored string
	}{{"compressed", encodeStored(raw)}, {"deflate", deflateStored(b, raw)}, {"plain", string(raw)}} {
		b.Run(form.name, func(b *testing.B) {
			fields := map[string]interface{}{FieldDoc: form.stored}
			for b.Loop() {
				if _, err := DecodeStored(fields); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
