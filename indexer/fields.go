package indexer

// Names of the fields of a practice in the Bleve index. Text fields exist
// once per analysed language; TextField gives their names.
const (
	FieldCity    = "city"    // keyword, one term per city (English name)
	FieldCountry = "country" // keyword, ISO 3166-1 alpha-2
	FieldTheme   = "theme"   // keyword, one term per theme id
	FieldLang    = "lang"    // keyword, ISO 639-1 ("" when unknown)
	FieldNetwork = "network" // keyword
	FieldSource  = "source"  // keyword
	FieldGroup   = "group"   // keyword: translation group, min of own id and translation ids
	FieldURL     = "url"     // keyword, stored
	FieldHash    = "hash"    // keyword, stored: content hash of the normalised practice
	FieldYear    = "year"    // numeric: start year, 0 when unknown
	FieldDate    = "date"    // numeric: YYYYMMDD of published, else year*10000+101, else 0
	FieldDoc     = "doc"     // stored only: the normalised Practice as JSON, compressed (read it with DecodeStored)
	FieldFetch   = "fetch"   // stored only: the FetchState of the page as JSON (crawled practices only)

	FieldTitleEN   = "title_en"
	FieldSummaryEN = "summary_en"
	FieldBodyEN    = "body_en"
	FieldTitleFR   = "title_fr"
	FieldSummaryFR = "summary_fr"
	FieldBodyFR    = "body_fr"
	FieldTitleDE   = "title_de"
	FieldSummaryDE = "summary_de"
	FieldBodyDE    = "body_de"
	FieldTitleXX   = "title_xx"
	FieldSummaryXX = "summary_xx"
	FieldBodyXX    = "body_xx"
)

// Kinds of text field, the first argument of TextField.
const (
	KindTitle   = "title"
	KindSummary = "summary"
	KindBody    = "body"
)

// LangOther is the language suffix of the text fields used for every
// language that has no analyzer of its own.
const LangOther = "xx"

// TextLangs lists the language suffixes of the text fields, LangOther last.
var TextLangs = []string{"en", "fr", "de", LangOther}

// TextKinds lists the kinds of text field, most important first.
var TextKinds = []string{KindTitle, KindSummary, KindBody}

// TextField returns the name of the field holding text of the given kind
// ("title", "summary", "body") written in lang: "title_fr" for French,
// "body_xx" for a language without its own analyzer (or lang "").
func TextField(kind, lang string) string {
	return kind + "_" + textLang(lang)
}

// textLang maps a language code onto the suffix of its text fields.
func textLang(lang string) string {
	switch lang {
	case "en", "fr", "de":
		return lang
	}
	return LangOther
}

// TextFields returns every text field name, for every kind and language.
func TextFields() []string {
	out := make([]string, 0, len(TextKinds)*len(TextLangs))
	for _, k := range TextKinds {
		for _, l := range TextLangs {
			out = append(out, TextField(k, l))
		}
	}
	return out
}
