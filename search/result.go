package search

import "github.com/casebook-project/casebook/indexer"

// Facet names, which are also the request parameters that filter them.
const (
	FacetCity    = "city"
	FacetCountry = "country"
	FacetTheme   = "theme"
	FacetLang    = "lang"
	FacetYear    = "year"
	FacetNetwork = "network"
)

// Facets lists every facet in the order the page shows them.
var Facets = []string{FacetTheme, FacetCity, FacetCountry, FacetLang, FacetYear, FacetNetwork}

// Index fields this package queries.
const (
	fieldCity    = indexer.FieldCity
	fieldCountry = indexer.FieldCountry
	fieldTheme   = indexer.FieldTheme
	fieldLang    = indexer.FieldLang
	fieldNetwork = indexer.FieldNetwork
	fieldGroup   = indexer.FieldGroup
	fieldYear    = indexer.FieldYear
	fieldDate    = indexer.FieldDate
)

// textLangs are the languages with their own title/summary/body fields,
// indexer.LangOther ("xx") holding every other language.
var textLangs = indexer.TextLangs

// Result is the answer of GET /api/v1/search (CONTRACT §5).
//
// Total counts practices that match, a translation group counting once. It
// is exact when the query matches at most ExactTotalLimit documents;
// beyond that it is the number of matching documents minus the translations
// seen among the first ExactTotalLimit of them (an upper bound). Facet
// counts count documents (each language version once).
type Result struct {
	Query  string                  `json:"query"`
	Total  uint64                  `json:"total"`
	Page   int                     `json:"page"`
	Size   int                     `json:"size"`
	TookMS float64                 `json:"took_ms"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
}

// Hit is one practice in a result.
type Hit struct {
	ID           string                `json:"id"`
	URL          string                `json:"url,omitempty"` // http(s) only
	Title        string                `json:"title"`
	TitleHTML    string                `json:"title_html"`   // escaped text and <mark> only
	SnippetHTML  string                `json:"snippet_html"` // escaped text and <mark> only
	Summary      string                `json:"summary"`
	Cities       []string              `json:"cities"`
	Country      string                `json:"country"`
	Lang         string                `json:"lang"`
	Year         int                   `json:"year"`
	Period       string                `json:"period,omitempty"`
	Published    string                `json:"published,omitempty"`
	Network      string                `json:"network"`
	Source       string                `json:"source"`
	Themes       []Label               `json:"themes"`
	Translations []indexer.Translation `json:"translations"`
	Score        float64               `json:"score"`
}

// Label is a vocabulary value with its label in the interface language.
type Label struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// FacetValue is one value of a facet with its count.
type FacetValue struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}
