package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on the visitor's words. ParseQuery truncates longer input (the
// first MaxQueryRunes characters are read and the first MaxTerms terms —
// words, phrases and exclusions together — are kept); ParseRequest refuses
// it with a *ParamError naming q.
const (
	MaxQueryRunes = 512
	MaxTerms      = 32
)

// Query is the visitor's words as the grammar reads them.
type Query struct {
	Terms []Term
}

// Term is one word or one quoted phrase, possibly excluded with a leading '-'.
type Term struct {
	Text    string // the word, or the words of a phrase separated by single spaces
	Phrase  bool   // written between double quotes
	Exclude bool   // written with a leading '-'
}

// ParseQuery reads q with the casebook grammar:
//
//   - words are separated by white space;
//   - "a phrase" is everything between two double quotes (an unclosed quote
//     runs to the end);
//   - a leading '-' on a word or phrase excludes it;
//   - every other character (:, *, ~, /, parentheses, ...) is plain text that
//     the field analyzers will treat like any punctuation.
//
// Invalid UTF-8 is replaced, control characters count as white space, words
// without any letter or digit are dropped, and the limits MaxQueryRunes and
// MaxTerms apply. ParseQuery never fails.
func ParseQuery(q string) Query {
	return parseTerms(clean(q), MaxTerms)
}

// countTerms returns how many terms q holds, up to limit+1, reading all of q.
func countTerms(q string, limit int) int {
	return len(parseTerms(strings.ToValidUTF8(q, "\uFFFD"), limit+1).Terms)
}

// parseTerms reads at most limit terms of q, which is valid UTF-8.
func parseTerms(q string, limit int) Query {
	var out Query
	rs := []rune(q)
	i := 0
	for i < len(rs) && len(out.Terms) < limit {
		if isSpace(rs[i]) {
			i++
			continue
		}
		exclude := false
		if rs[i] == '-' && i+1 < len(rs) && !isSpace(rs[i+1]) {
			exclude = true
			i++
		}
		if rs[i] == '"' {
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			words := strings.FieldsFunc(string(rs[i+1:j]), isSpace)
			i = j + 1
			if !hasWordChar(words) {
				continue
			}
			text := strings.Join(words, " ")
			// A quoted term is exact even when it is one word: no fuzzy,
			// and "anti-rumour" matches its tokens in that order.
			out.Terms = append(out.Terms, Term{Text: text, Phrase: true, Exclude: exclude})
			continue
		}
		j := i
		for j < len(rs) && !isSpace(rs[j]) && rs[j] != '"' {
			j++
		}
		word := string(rs[i:j])
		i = j
		if !hasWordChar([]string{word}) {
			continue
		}
		out.Terms = append(out.Terms, Term{Text: word, Exclude: exclude})
	}
	return out
}

// String writes q back in the grammar; ParseQuery(q.String()) gives q again.
func (q Query) String() string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.Exclude {
			b.WriteByte('-')
		}
		if t.Phrase || strings.HasPrefix(t.Text, "-") && !t.Exclude {
			b.WriteByte('"')
			b.WriteString(t.Text)
			b.WriteByte('"')
			continue
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

// Empty reports whether q has no positive term (browse by filters only).
func (q Query) Empty() bool {
	for _, t := range q.Terms {
		if !t.Exclude {
			return false
		}
	}
	return true
}

func clean(q string) string {
	q = strings.ToValidUTF8(q, "\uFFFD")
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		q = string([]rune(q)[:MaxQueryRunes])
	}
	return q
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFFFD' ||
		unicode.Is(unicode.Bidi_Control, r) || r == '\u200b' || r == '\ufeff'
}

func hasWordChar(words []string) bool {
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return true
			}
		}
	}
	return false
}
