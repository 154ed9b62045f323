package crawler

import (
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/casebook-project/casebook/indexer"
)

// metaTags holds <meta> values by lowercased name or property.
type metaTags map[string][]string

func readMeta(doc *goquery.Document) metaTags {
	m := metaTags{}
	doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		key := s.AttrOr("property", "")
		if key == "" {
			key = s.AttrOr("name", "")
		}
		key = strings.ToLower(strings.TrimSpace(key))
		if v := clean(s.AttrOr("content", "")); key != "" && v != "" {
			m[key] = append(m[key], v)
		}
	})
	return m
}

func (m metaTags) first(keys ...string) string {
	for _, k := range keys {
		if vs := m[k]; len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// list returns every value of the first key present, each split on sep
// when sep is not empty.
func (m metaTags) list(sep string, keys ...string) []string {
	for _, k := range keys {
		vs := m[k]
		if len(vs) == 0 {
			continue
		}
		var out []string
		for _, v := range vs {
			parts := []string{v}
			if sep != "" {
				parts = strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(sep, r) })
			}
			for _, p := range parts {
				out = append(out, clean(p))
			}
		}
		if out = dedupe(out); len(out) > 0 {
			return out
		}
	}
	return nil
}

// fillFromMeta fills the fields still empty from OpenGraph, article:*,
// Dublin Core and plain meta tags.
func fillFromMeta(p *indexer.Practice, m metaTags) {
	if p.Title == "" {
		p.Title = m.first("og:title", "dc.title", "dcterms.title", "twitter:title")
	}
	if p.Summary == "" {
		p.Summary = m.first("og:description", "description", "dc.description", "dcterms.description", "twitter:description")
	}
	if len(p.Themes) == 0 {
		p.Themes = m.list("", "article:tag")
	}
	if len(p.Themes) == 0 {
		p.Themes = m.list(";,", "dc.subject", "dcterms.subject", "keywords")
	}
	if len(p.Cities) == 0 {
		p.Cities = m.list(";", "geo.placename", "dc.coverage", "dcterms.spatial")
	}
	if p.Published == "" {
		p.Published = m.first("article:published_time", "dc.date", "dcterms.issued", "dcterms.date", "date")
	}
}
