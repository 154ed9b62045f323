package indexer

// Practice is the unit of search (CONTRACT §3). JSON names are part of the
// public contract: import lines, API hits and GET /api/v1/practices/{id}.
type Practice struct {
	ID           string        `json:"id"`
	URL          string        `json:"url"`
	Source       string        `json:"source"`
	Network      string        `json:"network"`
	Title        string        `json:"title"`
	Summary      string        `json:"summary,omitempty"`
	Body         string        `json:"body"`
	Cities       []string      `json:"cities"`
	Country      string        `json:"country"`
	Themes       []string      `json:"themes"`
	Lang         string        `json:"lang"`
	Year         int           `json:"year"`
	Period       string        `json:"period,omitempty"`
	Published    string        `json:"published,omitempty"`
	Translations []Translation `json:"translations"`
}

// Translation points at the same practice in another language (an
// hreflang alternate).
type Translation struct {
	Lang string `json:"lang"`
	URL  string `json:"url"`
}
