package indexer

import (
	"strconv"
	"strings"
	"time"
)

// Years outside this range are not taken for start or publication years.
const (
	minYear = 1900
	maxYear = 2100
)

// firstYear returns the first stand-alone four-digit number between
// minYear and maxYear in s ("since 2014", "2017-2021", "seit 2014"), or 0.
func firstYear(s string) int {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 4 {
			y, _ := strconv.Atoi(s[i:j])
			if y >= minYear && y <= maxYear {
				return y
			}
		}
		i = j
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// numericLayouts are the date forms parsed as they are.
var numericLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02",
	"2006/01/02",
	"02.01.2006",
	"2.1.2006",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

// months maps folded month names and abbreviations in English, French and
// German to their numbers.
var months = map[string]time.Month{
	"january": 1, "jan": 1, "janvier": 1, "janv": 1, "januar": 1, "janner": 1,
	"february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2, "februar": 2, "feber": 2,
	"march": 3, "mar": 3, "mars": 3, "marz": 3, "maerz": 3, "mrz": 3,
	"april": 4, "apr": 4, "avril": 4, "avr": 4,
	"may": 5, "mai": 5,
	"june": 6, "jun": 6, "juin": 6, "juni": 6,
	"july": 7, "jul": 7, "juillet": 7, "juil": 7, "juli": 7,
	"august": 8, "aug": 8, "aout": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9,
	"october": 10, "oct": 10, "octobre": 10, "oktober": 10, "okt": 10,
	"november": 11, "nov": 11, "novembre": 11,
	"december": 12, "dec": 12, "decembre": 12, "dezember": 12, "dez": 12,
}

// parseDate reads a publication date and returns it as an RFC 3339 full
// date ("2021-03-02"). It accepts RFC 3339 timestamps, ISO dates, German
// numeric dates and dates with a month name in English, French or German
// ("2 March 2021", "March 2, 2021", "1er mars 2021", "2. März 2021"). It
// returns "" when s holds no complete date.
func parseDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return ""
	}
	for _, layout := range numericLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return formatDate(t.Year(), t.Month(), t.Day())
		}
	}
	var (
		month     time.Month
		year, day int
	)
	for _, w := range strings.Fields(fold(s)) {
		if m, ok := months[w]; ok && month == 0 {
			month = m
			continue
		}
		w = strings.TrimSuffix(strings.TrimSuffix(w, "er"), "st")
		w = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(w, "nd"), "rd"), "th")
		n, err := strconv.Atoi(w)
		if err != nil {
			continue
		}
		switch {
		case len(w) == 4 && year == 0:
			year = n
		case len(w) <= 2 && day == 0 && n >= 1 && n <= 31:
			day = n
		}
	}
	if month == 0 || year == 0 || day == 0 {
		return ""
	}
	return formatDate(year, month, day)
}

// formatDate returns y-m-d when it is a real calendar date in range.
func formatDate(y int, m time.Month, d int) string {
	if y < minYear || y > maxYear {
		return ""
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return ""
	}
	return t.Format(time.DateOnly)
}
