package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	"strconv"
	"strings"
	"sync"
)

// IDForURL derives a practice id from its canonical URL: the first 16
// lowercase hex characters of the URL's SHA-256. The URL is used as given
// (trimmed); canonicalising it is the crawler's job.
func IDForURL(canonicalURL string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(canonicalURL)))
	return hex.EncodeToString(sum[:8])
}

// ContentHash returns the hash of a normalised practice that Session uses
// to tell an updated practice from an unchanged one. Every field counts;
// Normalize has already removed ordering noise (sorted translations,
// deduplicated cities and themes).
func ContentHash(p Practice) string {
	b, err := json.Marshal(p)
	if err != nil { // a Practice always marshals; keep the compiler honest
		panic(fmt.Sprintf("indexer: marshal practice: %v", err))
	}
	return hashJSON(b)
}

// hashJSON is ContentHash of the practice that marshals to raw.
func hashJSON(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:16])
}

// Group returns the translation group of a normalised practice: the
// smallest of its own id and the ids of its translations' URLs, so every
// language version of one practice shares it.
func Group(p Practice) string {
	g := p.ID
	for _, t := range p.Translations {
		if id := IDForURL(t.URL); id < g {
			g = id
		}
	}
	return g
}

// DateNumber gives the value of the date field: YYYYMMDD of Published,
// else year*10000+101, else 0.
func DateNumber(p Practice) int {
	if len(p.Published) >= 10 {
		y, e1 := strconv.Atoi(p.Published[0:4])
		m, e2 := strconv.Atoi(p.Published[5:7])
		d, e3 := strconv.Atoi(p.Published[8:10])
		if e1 == nil && e2 == nil && e3 == nil {
			return y*10000 + m*100 + d
		}
	}
	if p.Year > 0 {
		return p.Year*10000 + 101
	}
	return 0
}

// document turns a normalised practice into the field map Bleve indexes.
func document(p Practice) (map[string]interface{}, string, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, "", fmt.Errorf("encode practice %s: %w", p.ID, err)
	}
	hash := hashJSON(raw)
	d := map[string]interface{}{
		FieldURL:     p.URL,
		FieldHash:    hash,
		FieldSource:  p.Source,
		FieldNetwork: p.Network,
		FieldCountry: p.Country,
		FieldLang:    p.Lang,
		FieldGroup:   Group(p),
		FieldYear:    float64(p.Year),
		FieldDate:    float64(DateNumber(p)),
		FieldDoc:     encodeStored(raw),
	}
	if len(p.Cities) > 0 {
		d[FieldCity] = append([]string(nil), p.Cities...)
	}
	if len(p.Themes) > 0 {
		d[FieldTheme] = append([]string(nil), p.Themes...)
	}
	for kind, text := range map[string]string{KindTitle: p.Title, KindSummary: p.Summary, KindBody: p.Body} {
		if text != "" {
			d[TextField(kind, p.Lang)] = text
		}
	}
	return d, hash, nil
}

// DecodeStored rebuilds a practice from the stored fields of a search hit
// (the request must have asked for FieldDoc) or of a stored document.
// FieldDoc holds the practice's JSON, compressed by this version and
// plain in indexes written before; both are read.
func DecodeStored(fields map[string]interface{}) (Practice, error) {
	v, ok := fields[FieldDoc]
	if !ok {
		return Practice{}, fmt.Errorf("decode stored practice: no %q field (ask for indexer.FieldDoc)", FieldDoc)
	}
	s, ok := v.(string)
	if !ok {
		return Practice{}, fmt.Errorf("decode stored practice: %q is %T, not a string", FieldDoc, v)
	}
	return decodePractice(s)
}

// decodePractice decodes a stored FieldDoc value. The JSON is decompressed
// into a pooled buffer: decoding copies every string out of it. Bytes are
// only read during the call.
func decodePractice[T ~string | ~[]byte](s T) (Practice, error) {
	buf := jsonBufs.Get().(*[]byte)
	defer jsonBufs.Put(buf)
	raw, err := decodeStoredInto(s, *buf)
	if err != nil {
		return Practice{}, fmt.Errorf("decode stored practice: %w", err)
	}
	if len(s) > 0 && s[0] == storedZstd && cap(raw) <= maxPooledJSON {
		*buf = raw[:0] // ours (the other forms may be s itself)
	}
	var p Practice
	if err := jsonv2.Unmarshal(raw, &p); err != nil {
		return Practice{}, fmt.Errorf("decode stored practice: %w", err)
	}
	return p, nil
}

// jsonBufs lends the buffers stored practices are decompressed into; one
// larger than maxPooledJSON is not kept.
var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

const maxPooledJSON = 256 << 10
