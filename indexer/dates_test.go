package indexer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		text   string
		start  int
		period string
		ok     bool
	}{
		// English
		{"since 2014", 2014, "since 2014", true},
		{"Since March 2014", 2014, "Since March 2014", true},
		{"2017–2021", 2017, "2017–2021", true},
		{"2017-2021", 2017, "2017-2021", true},
		{"2017 - 2021", 2017, "2017 - 2021", true},
		{"from 2019 to 2022", 2019, "from 2019 to 2022", true},
		{"Spring 2019", 2019, "Spring 2019", true},
		{"2019/20", 2019, "2019/20", true},
		{"2019-20 school year", 2019, "2019-20 school year", true},
		{"ongoing", 0, "ongoing", true},
		{"Ongoing since 2010.", 2010, "Ongoing since 2010", true},
		{"until 2020", 0, "until 2020", true},
		{"up to December 2021", 0, "up to December 2021", true},
		{"since the 1990s", 1990, "since the 1990s", true},
		{"Period: 2016–2018", 2016, "2016–2018", true},
		{"  Duration :  2012\u00a0-\u00a02015 ; ", 2012, "2012 - 2015", true},
		{"01.03.2018 – 31.12.2020", 2018, "01.03.2018 – 31.12.2020", true},
		{"2004/..", 2004, "2004/..", true},
		{"2004-01-01/2006-12-31", 2004, "2004-01-01/2006-12-31", true},
		// French
		{"depuis 2015", 2015, "depuis 2015", true},
		{"Depuis le printemps 2015", 2015, "Depuis le printemps 2015", true},
		{"de 2016 à 2020", 2016, "de 2016 à 2020", true},
		{"jusqu'en 2020", 0, "jusqu'en 2020", true},
		{"jusqu’à fin 2021", 0, "jusqu’à fin 2021", true},
		{"en cours", 0, "en cours", true},
		{"Période : depuis les années 1990", 1990, "depuis les années 1990", true},
		{"Automne 2018", 2018, "Automne 2018", true},
		// German
		{"seit 2016", 2016, "seit 2016", true},
		{"seit März 2016", 2016, "seit März 2016", true},
		{"von 2018 bis 2022", 2018, "von 2018 bis 2022", true},
		{"bis Ende 2022", 0, "bis Ende 2022", true},
		{"laufend", 0, "laufend", true},
		{"Zeitraum: ab 2019", 2019, "ab 2019", true},
		{"Frühjahr 2019", 2019, "Frühjahr 2019", true},
		{"seit den 1990er Jahren", 1990, "seit den 1990er Jahren", true},
		// Not a period
		{"", 0, "", false},
		{"n/a", 0, "n/a", false},
		{"12345 people", 0, "12345 people", false},
		{"ongoing, 12345 people", 0, "ongoing, 12345 people", true},
		{"in 1850", 0, "in 1850", false},
		{strings.Repeat("lorem ipsum ", 20), 0, "", false},
		// Long text: the clause naming the period
		{"The project, run by the city and three associations with support from the national integration fund, started in 2014 and still runs today.",
			2014, "started in 2014 and still runs today", true},
	}
	for _, tt := range tests {
		start, period, ok := ParsePeriod(tt.text)
		if start != tt.start || period != tt.period || ok != tt.ok {
			t.Errorf("ParsePeriod(%q) = %d, %q, %v; want %d, %q, %v", tt.text, start, period, ok, tt.start, tt.period, tt.ok)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"since 2014", "depuis 2015", "seit 2016", "2017–2021", "2019/20", "2004/..",
		"de 2016 à 2020", "bis Ende 2022", "en cours", "\xff2019\x00", strings.Repeat("2019 ", 1000), "Zeitraum: Zeitraum: ."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		start, period, ok := ParsePeriod(text)
		if start != 0 && (start < minYear || start > maxYear) {
			t.Fatalf("start %d out of range", start)
		}
		if start != 0 && !ok {
			t.Fatal("a start year without ok")
		}
		if !utf8.ValidString(period) || utf8.RuneCountInString(period) > maxPeriodLen+1 {
			t.Fatalf("period %q", period)
		}
		// Parsing the cleaned period again gives the same answer.
		s2, p2, ok2 := ParsePeriod(period)
		if ok && (s2 != start || p2 != period || !ok2) {
			t.Fatalf("ParsePeriod(%q) = %d %q %v, then on its period %d %q %v", text, start, period, ok, s2, p2, ok2)
		}
	})
}
