package indexer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// cleanLine returns s as one line: valid UTF-8 in NFC, control and
// zero-width characters removed, every run of white space one space,
// trimmed.
func cleanLine(s string) string {
	if isCleanLine(s) {
		return s
	}
	return rebuildLine(s)
}

// rebuildLine is cleanLine the long way.
func rebuildLine(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
		case invisible(r):
			// dropped
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isCleanLine reports whether cleanLine would return s unchanged: valid
// UTF-8 in NFC, no control or invisible character, no white space but
// single spaces between words. Most lines of most texts are; checking is
// cheaper than rebuilding them.
func isCleanLine(s string) bool {
	space := true // no leading space
	ascii := true
	for _, r := range s {
		switch {
		case r == ' ':
			if space {
				return false
			}
			space = true
			continue
		case r < 0x20 || r == 0x7f:
			return false
		case r >= 0x80:
			if r == utf8.RuneError || unicode.IsSpace(r) || invisible(r) {
				return false // RuneError: perhaps an invalid byte
			}
			ascii = false
		}
		space = false
	}
	if space && s != "" {
		return false // a trailing space
	}
	return ascii || norm.NFC.IsNormalString(s)
}

// invisible reports characters that carry nothing for search or display:
// control characters, zero-width spaces and joiners, the byte order mark.
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return unicode.IsControl(r)
}

// cleanText cleans a body: lines are cleaned one by one, line breaks inside
// a paragraph stay, paragraphs are separated by exactly one blank line.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.NewReplacer("\u2028", "\n", "\u2029", "\n\n", "\v", "\n", "\f", "\n").Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = cleanLine(line)
		if line == "" {
			blank = true
			continue
		}
		if b.Len() > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

var titleCaser = cases.Title(language.Und)

// titleCase capitalises a name written all in lower or all in upper case
// ("reggio emilia", "NEW YORK"); a name in mixed case is kept as written.
func titleCase(s string) string {
	if s != strings.ToLower(s) && s != strings.ToUpper(s) {
		return s
	}
	return titleCaser.String(s)
}
