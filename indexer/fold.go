package indexer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldReplacer spells out letters that Unicode decomposition leaves alone.
var foldReplacer = strings.NewReplacer(
	"ß", "ss", "ẞ", "ss", "æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe",
	"ø", "o", "Ø", "o", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d",
	"ð", "d", "Ð", "d", "þ", "th", "Þ", "th", "ı", "i",
)

// fold returns the lookup key of a label: lower case, without accents,
// with every run of punctuation and spaces turned into one space and
// trimmed. "  Réfugiés!" and "refugies" fold alike, as do "Anti-rumour"
// and "anti rumour".
func fold(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = foldReplacer.Replace(strings.ToLower(s))
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent: dropped
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return norm.NFC.String(b.String())
}

// connectors are words that labels in different spellings include or leave
// out ("Housing & urban planning", "Housing and urban planning").
var connectors = map[string]bool{
	"and": true, "et": true, "und": true, "y": true, "e": true, "en": true,
	"the": true, "of": true, "for": true, "de": true, "des": true, "du": true, "d": true,
	"la": true, "le": true, "les": true, "l": true, "der": true, "die": true,
	"das": true, "den": true, "dem": true, "von": true, "im": true, "in": true,
}

// looseFold is fold without connector words: the fallback key.
func looseFold(s string) string {
	words := strings.Fields(fold(s))
	kept := words[:0]
	for _, w := range words {
		if !connectors[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// lookupTable maps folded labels to values, with a loose fallback.
type lookupTable[V any] struct {
	exact map[string]V
	loose map[string]V
	// ambiguous loose keys map to more than one value and are not used.
	ambiguous map[string]bool
	same      func(a, b V) bool
}

func newLookupTable[V any](same func(a, b V) bool) *lookupTable[V] {
	return &lookupTable[V]{
		exact:     map[string]V{},
		loose:     map[string]V{},
		ambiguous: map[string]bool{},
		same:      same,
	}
}

// add registers label for v. It returns the value already registered under
// the same exact key when that is a different value (a vocabulary bug).
func (t *lookupTable[V]) add(label string, v V) (conflict V, ok bool) {
	k := fold(label)
	if k == "" {
		return conflict, true
	}
	if old, found := t.exact[k]; found && !t.same(old, v) {
		return old, false
	}
	t.exact[k] = v
	lk := looseFold(label)
	if lk == "" || t.ambiguous[lk] {
		return conflict, true
	}
	if old, found := t.loose[lk]; found && !t.same(old, v) {
		delete(t.loose, lk)
		t.ambiguous[lk] = true
		return conflict, true
	}
	t.loose[lk] = v
	// German umlauts are also written ae, oe, ue ("Muenchen",
	// "Gefluechtete"); that spelling is registered too unless it means
	// something else already.
	if alt := umlautReplacer.Replace(label); alt != label {
		if k := fold(alt); k != "" {
			if _, taken := t.exact[k]; !taken {
				t.exact[k] = v
			}
		}
	}
	return conflict, true
}

// umlautReplacer writes German umlauts the way a keyboard without them does.
var umlautReplacer = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue",
)

func (t *lookupTable[V]) get(label string) (V, bool) {
	if v, ok := t.exact[fold(label)]; ok {
		return v, true
	}
	v, ok := t.loose[looseFold(label)]
	return v, ok
}
