package indexer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Years outside this range are not taken for start or publication years.
const (
	minYear = 1900
	maxYear = 2100
)

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

// maxPeriodLen bounds a period in runes: longer text is a paragraph a
// selector caught, not a period.
const maxPeriodLen = 100

// maxPeriodInput bounds the text ParsePeriod looks at, in bytes.
const maxPeriodInput = 2000

// periodLabel is a leading "Period:" / "Période :" / "Zeitraum:" label.
var periodLabel = regexp.MustCompile(`(?i)^(?:project period|period|duration|dates?|time ?frame|running time|période|periode|durée|duree|calendrier|dates du projet|zeitraum|laufzeit|dauer|projektlaufzeit|projektzeitraum)\s*:\s*`)

// Words around a period's first year, folded (see fold): a start marker
// before it makes it the start year ("since 2014", "de 2016 à 2020", "von
// 2018 bis 2022"), an end marker makes the start unknown ("until 2020",
// "jusqu'en 2020", "bis Ende 2020").
var (
	periodStart = map[string]bool{
		"since": true, "from": true, "starting": true, "started": true, "began": true, "begun": true, "launched": true,
		"depuis": true, "des": true, "de": true, "du": true, "partir": true, "lance": true, "lancee": true,
		"seit": true, "ab": true, "von": true, "vom": true, "gestartet": true, "beginn": true,
	}
	periodEnd = map[string]bool{
		"until": true, "till": true, "to": true, "through": true, "up": true, "by": true, "before": true, "ended": true,
		"jusqu": true, "jusque": true, "avant": true,
		"bis": true, "vor": true, "spatestens": true,
	}
	periodOngoing = map[string]bool{
		"ongoing": true, "current": true, "currently": true, "permanent": true, "continuing": true, "continuous": true,
		"cours": true, "continu": true, "permanente": true, "perenne": true,
		"laufend": true, "fortlaufend": true, "dauerhaft": true, "unbefristet": true, "andauernd": true,
	}
)

// ParsePeriod reads the period a page states, in English, French or
// German ("since 2014", "depuis 2015", "seit 2016", "2017–2021", "from 2019
// to 2022", "de 2016 à 2020", "von 2018 bis 2022", "Spring 2019",
// "2019/20", "2004/..", "ongoing", "en cours", "laufend", "since the
// 1990s"). It returns the start year (0 when the period has none:
// "ongoing", "until 2020"), the period cleaned for display (white space
// collapsed, a leading "Period:" label and trailing punctuation removed,
// cut to its first clause naming a year when it is long), and whether the
// text states a period at all: ok is false for text with neither a year
// nor a word like "ongoing", and period is then the cleaned text (or ""
// when it is too long to be a period).
func ParsePeriod(text string) (start int, period string, ok bool) {
	if len(text) > maxPeriodInput {
		text = text[:maxPeriodInput]
	}
	period = cleanPeriod(text)
	words := strings.Fields(fold(period))
	for i, w := range words {
		y := periodYear(w)
		if y == 0 {
			continue
		}
		// The first year: a start unless an end marker comes right before it
		// (a start marker closer to the year wins).
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			if periodStart[words[j]] {
				break
			}
			if periodEnd[words[j]] {
				y = 0
				break
			}
		}
		return y, clipPeriod(period), true
	}
	for _, w := range words {
		if periodOngoing[w] {
			return 0, clipPeriod(period), true
		}
	}
	if len([]rune(period)) > maxPeriodLen {
		period = ""
	}
	return 0, period, false
}

// periodYear reads a year word of a folded period: "2014", a decade
// ("1990s", "1990er"), else 0.
func periodYear(w string) int {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "s"), "er")
	if len(w) != 4 || !isDigit(w[0]) || !isDigit(w[1]) || !isDigit(w[2]) || !isDigit(w[3]) {
		return 0
	}
	y, _ := strconv.Atoi(w)
	if y < minYear || y > maxYear {
		return 0
	}
	return y
}

// cleanPeriod collapses white space and removes a label and trailing
// punctuation.
func cleanPeriod(s string) string {
	s = cleanLine(s)
	for {
		t := strings.TrimSpace(periodLabel.ReplaceAllString(s, ""))
		t = trimPeriodEnd(t)
		if t == s {
			return s
		}
		s = t
	}
}

// clauseBreak separates the clauses of a long period text.
var clauseBreak = regexp.MustCompile(`[.;!?]\s+|,\s+`)

// clipPeriod cuts a long period to its first clause holding a year or an
// "ongoing" word, then to maxPeriodLen runes at a word boundary.
func clipPeriod(s string) string {
	if len([]rune(s)) <= maxPeriodLen {
		return s
	}
	for _, clause := range clauseBreak.Split(s, -1) {
		hit := false
		for _, w := range strings.Fields(fold(clause)) {
			if periodYear(w) != 0 || periodOngoing[w] {
				hit = true
				break
			}
		}
		if hit {
			s = trimPeriodEnd(clause)
			break
		}
	}
	r := []rune(s)
	if len(r) <= maxPeriodLen {
		return s
	}
	cut := string(r[:maxPeriodLen])
	if i := strings.LastIndexByte(cut, ' '); i > maxPeriodLen/2 {
		cut = cut[:i]
	}
	return trimPeriodEnd(cut) + "…"
}

// trimPeriodEnd removes trailing ",", ";", ":" and a sentence's full stop,
// but keeps the ".." of an open ISO 8601 interval ("2004/..").
func trimPeriodEnd(s string) string {
	s = strings.TrimRight(s, ",;: ")
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") {
		s = strings.TrimRight(strings.TrimSuffix(s, "."), ",;: ")
	}
	return s
}
