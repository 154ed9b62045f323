package search

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/casebook-project/casebook/indexer"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortOldest    = "oldest"
)

// Request limits (CONTRACT §5; RELIABILITY §E).
const (
	DefaultSize    = 10
	MaxSize        = 100
	MaxWindow      = 10000 // page × size
	MaxValues      = 50    // values of one filter parameter
	MaxValueLength = 200   // bytes of one filter value
	MaxYear        = 9999
)

// UILanguages are the interface languages, the first being the default.
var UILanguages = []string{"en", "fr", "de"}

// Request is one search, already validated.
type Request struct {
	Query     string   // the visitor's words, read by ParseQuery
	Complete  bool     // the last word is finished (q ended with white space): it is not completed as a prefix
	Langs     []string // ISO 639-1, lowercase
	Cities    []string // English city names (any known form is mapped)
	Countries []string // ISO 3166-1 alpha-2
	Themes    []string // theme ids
	Networks  []string
	YearFrom  int // inclusive; 0 = no lower bound
	YearTo    int // inclusive; 0 = no upper bound
	Page      int // 1-based
	Size      int
	Sort      string // SortRelevance, SortNewest or SortOldest
	UI        string // en, fr or de
	// Counts names the facets to count (parameter facets), in any order;
	// nil counts every facet, an empty list none. A facet not named is
	// left out of the answer and costs nothing.
	Counts []string
}

// Counted reports whether the answer counts facet f.
func (r Request) Counted(f string) bool { return r.Counts == nil || slices.Contains(r.Counts, f) }

// ParamError is a bad request parameter; the server answers 400
// invalid_parameter with Message.
type ParamError struct {
	Param   string
	Message string
}

func (e *ParamError) Error() string { return e.Message }

func paramErr(param, format string, args ...any) *ParamError {
	return &ParamError{Param: param, Message: fmt.Sprintf(format, args...)}
}

// ParseRequest reads the search parameters of CONTRACT §5 from v. The
// interface language comes from ui, else from acceptLanguage (an HTTP
// Accept-Language header), else English. Filters are repeated parameters
// (lang=fr&lang=de, at most MaxValues each); values are not split on
// commas. Names and values must be valid UTF-8, single-valued parameters
// (q, page, size, sort, ui, year_from, year_to) may appear once, and q may
// hold at most MaxQueryRunes characters and MaxTerms terms. Every error is
// a *ParamError naming the parameter.
func ParseRequest(v url.Values, acceptLanguage string) (Request, error) {
	if err := checkParams(v); err != nil {
		return Request{}, err
	}
	r := Request{Page: 1, Size: DefaultSize, Sort: SortRelevance}
	raw := v.Get("q")
	r.Query = strings.TrimSpace(raw)
	if n := utf8.RuneCountInString(r.Query); n > MaxQueryRunes {
		return Request{}, paramErr("q", "q must be at most %d characters (got %d)", MaxQueryRunes, n)
	}
	if countTerms(r.Query, MaxTerms) > MaxTerms {
		return Request{}, paramErr("q", "q may hold at most %d words, phrases and exclusions", MaxTerms)
	}
	if last, _ := utf8.DecodeLastRuneInString(raw); r.Query != "" && isSpace(last) {
		r.Complete = true
	}

	var err error
	if r.Langs, err = values(v, "lang", func(s string) (string, error) { return strings.ToLower(s), nil }); err != nil {
		return Request{}, err
	}
	if r.Cities, err = values(v, "city", func(s string) (string, error) {
		if c, ok := indexer.LookupCity(s); ok {
			return c.Name, nil
		}
		return s, nil
	}); err != nil {
		return Request{}, err
	}
	if r.Countries, err = values(v, "country", func(s string) (string, error) {
		if code, ok := indexer.LookupCountry(s); ok {
			return code, nil
		}
		return strings.ToUpper(s), nil
	}); err != nil {
		return Request{}, err
	}
	if r.Themes, err = values(v, "theme", func(s string) (string, error) {
		if id, ok := indexer.LookupTheme(s); ok {
			return id, nil
		}
		return "", paramErr("theme", "unknown theme %q", s)
	}); err != nil {
		return Request{}, err
	}
	if r.Networks, err = values(v, "network", func(s string) (string, error) { return s, nil }); err != nil {
		return Request{}, err
	}

	if r.YearFrom, err = intParam(v, "year_from", 0, 0, MaxYear); err != nil {
		return Request{}, err
	}
	if r.YearTo, err = intParam(v, "year_to", 0, 0, MaxYear); err != nil {
		return Request{}, err
	}
	if r.YearFrom != 0 && r.YearTo != 0 && r.YearFrom > r.YearTo {
		return Request{}, paramErr("year_from", "year_from must not be after year_to")
	}
	if r.Page, err = intParam(v, "page", 1, 1, MaxWindow); err != nil {
		return Request{}, err
	}
	if r.Size, err = intParam(v, "size", DefaultSize, 1, MaxSize); err != nil {
		return Request{}, err
	}
	if r.Page*r.Size > MaxWindow {
		return Request{}, paramErr("page", "page × size must be at most %d", MaxWindow)
	}
	switch s := v.Get("sort"); s {
	case "":
	case SortRelevance, SortNewest, SortOldest:
		r.Sort = s
	default:
		return Request{}, paramErr("sort", "sort must be relevance, newest or oldest")
	}
	if r.Counts, err = facetsParam(v); err != nil {
		return Request{}, err
	}
	switch ui := strings.ToLower(strings.TrimSpace(v.Get("ui"))); {
	case ui == "":
		r.UI = NegotiateUI(acceptLanguage)
	case slices.Contains(UILanguages, ui):
		r.UI = ui
	default:
		return Request{}, paramErr("ui", "ui must be en, fr or de")
	}
	return r, nil
}

// facetsParam reads the facets to count: names separated by commas or
// repeated (facets=city,theme&facets=lang), "none" alone for none; absent,
// every facet.
func facetsParam(v url.Values) ([]string, error) {
	raw, ok := v["facets"]
	if !ok {
		return nil, nil
	}
	if len(raw) > len(Facets)+1 {
		return nil, paramErr("facets", "facets may be given at most %d times", len(Facets)+1)
	}
	out := []string{}
	none := false
	for _, s := range raw {
		for _, name := range strings.Split(s, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			switch {
			case name == "":
			case name == "none":
				none = true
			case slices.Contains(Facets, name):
				if !slices.Contains(out, name) {
					out = append(out, name)
				}
			default:
				if len(name) > 40 {
					name = name[:40] + "…"
				}
				return nil, paramErr("facets", "unknown facet %q: facets must name %s, or none", name, strings.Join(Facets, ", "))
			}
		}
	}
	if none && len(out) > 0 {
		return nil, paramErr("facets", "facets=none cannot be combined with facet names")
	}
	if !none && len(out) == 0 {
		return nil, paramErr("facets", "facets must name %s, or none", strings.Join(Facets, ", "))
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(Facets, a) - slices.Index(Facets, b) })
	return out, nil
}

// singleParams are the parameters that take one value.
var singleParams = []string{"q", "page", "size", "sort", "ui", "year_from", "year_to"}

// checkParams refuses parameter names or values that are not valid UTF-8
// and single-valued parameters given more than once.
func checkParams(v url.Values) error {
	for name, vals := range v {
		if !utf8.ValidString(name) {
			bad := strings.ToValidUTF8(name, "\uFFFD")
			return paramErr(bad, "parameter name %q is not valid UTF-8", bad)
		}
		for _, s := range vals {
			if !utf8.ValidString(s) {
				return paramErr(name, "%s must be valid UTF-8 text", name)
			}
		}
	}
	for _, name := range singleParams {
		if len(v[name]) > 1 {
			return paramErr(name, "%s may be given only once", name)
		}
	}
	return nil
}

// values reads a repeatable filter parameter: trimmed, empty values
// dropped, mapped by norm, deduplicated, at most MaxValues.
func values(v url.Values, param string, norm func(string) (string, error)) ([]string, error) {
	raw := v[param]
	if len(raw) > MaxValues {
		return nil, paramErr(param, "%s may be given at most %d times", param, MaxValues)
	}
	var out []string
	for _, s := range raw {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if len(s) > MaxValueLength || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return nil, paramErr(param, "%s values must be valid text of at most %d bytes", param, MaxValueLength)
		}
		n, err := norm(s)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func intParam(v url.Values, param string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(v.Get(param))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, paramErr(param, "%s must be %d..%d", param, lo, hi)
	}
	return n, nil
}

// NegotiateUI picks en, fr or de from an Accept-Language header by
// q-value (ties: first listed), English when none is acceptable.
func NegotiateUI(acceptLanguage string) string {
	best, bestQ := UILanguages[0], 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !slices.Contains(UILanguages, primary) {
			continue
		}
		q := 1.0
		if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// Values writes r back as URL parameters (defaults omitted), the inverse of
// ParseRequest; the search page builds its links with it.
func (r Request) Values() url.Values {
	v := url.Values{}
	if r.Query != "" {
		v.Set("q", r.Query)
	}
	for _, f := range []struct {
		name string
		vals []string
	}{{"lang", r.Langs}, {"city", r.Cities}, {"country", r.Countries}, {"theme", r.Themes}, {"network", r.Networks}} {
		for _, s := range f.vals {
			v.Add(f.name, s)
		}
	}
	if r.YearFrom != 0 {
		v.Set("year_from", strconv.Itoa(r.YearFrom))
	}
	if r.YearTo != 0 {
		v.Set("year_to", strconv.Itoa(r.YearTo))
	}
	if r.Page > 1 {
		v.Set("page", strconv.Itoa(r.Page))
	}
	if r.Size != 0 && r.Size != DefaultSize {
		v.Set("size", strconv.Itoa(r.Size))
	}
	if r.Sort != "" && r.Sort != SortRelevance {
		v.Set("sort", r.Sort)
	}
	if r.UI != "" {
		v.Set("ui", r.UI)
	}
	switch {
	case r.Counts == nil:
	case len(r.Counts) == 0:
		v.Set("facets", "none")
	default:
		v.Set("facets", strings.Join(r.Counts, ","))
	}
	return v
}

// Filter returns the values of facet (city, country, theme, lang, network).
func (r Request) Filter(facet string) []string {
	switch facet {
	case FacetCity:
		return r.Cities
	case FacetCountry:
		return r.Countries
	case FacetTheme:
		return r.Themes
	case FacetLang:
		return r.Langs
	case FacetNetwork:
		return r.Networks
	}
	return nil
}

// WithFilter returns a copy of r whose facet filter is vals, on page 1.
func (r Request) WithFilter(facet string, vals []string) Request {
	vals = slices.Clone(vals)
	switch facet {
	case FacetCity:
		r.Cities = vals
	case FacetCountry:
		r.Countries = vals
	case FacetTheme:
		r.Themes = vals
	case FacetLang:
		r.Langs = vals
	case FacetNetwork:
		r.Networks = vals
	}
	r.Page = 1
	return r
}
