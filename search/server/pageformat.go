package server

import (
	"fmt"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// formatInt writes n with the digit grouping of the interface language:
// 12,000 (en), 12 000 (fr), 12.000 (de).
func formatInt(ui string, n int64) string {
	tag, err := language.Parse(ui)
	if err != nil {
		tag = language.English
	}
	return message.NewPrinter(tag).Sprint(n)
}

// months are the month names of each interface language.
var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
}

// formatDate writes a YYYY-MM-DD date as the interface language does:
// 12 April 2023, 12 avril 2023, 12. April 2023. Anything else is
// returned unchanged.
func formatDate(ui, date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	names, ok := months[ui]
	if !ok {
		names = months["en"]
	}
	month := names[d.Month()-1]
	if ui == "de" {
		return fmt.Sprintf("%d. %s %d", d.Day(), month, d.Year())
	}
	return fmt.Sprintf("%d %s %d", d.Day(), month, d.Year())
}
