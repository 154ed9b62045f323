package crawler

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// boilerplate is removed before any body text is taken.
const boilerplate = "nav, header, footer, aside, form, script, style, noscript, template, iframe, svg, " +
	"button, dialog, select, [role=navigation], [role=banner], [role=contentinfo], [role=search], " +
	"[role=dialog], [hidden], [aria-hidden=true]"

// boilerWords are class or id words (split on - and _) of page furniture.
var boilerWords = map[string]bool{
	"breadcrumb": true, "breadcrumbs": true, "share": true, "sharing": true, "social": true,
	"sidebar": true, "related": true, "newsletter": true, "skip": true, "pagination": true,
	"pager": true, "menu": true, "banner": true, "toolbar": true, "header": true, "footer": true,
	"byline": true, "date": true, "dateline": true, "posted": true, "meta": true, "comments": true,
	"comment": true, "respond": true, "sharedaddy": true,
}

// stripBoilerplate removes navigation, header, footer, asides, forms,
// scripts and cookie banners from s (which should be a clone).
func stripBoilerplate(s *goquery.Selection) {
	s.Find(boilerplate).Remove()
	s.Find("[id], [class]").Each(func(_ int, e *goquery.Selection) {
		if e.Is("main, article, body") {
			return
		}
		names := strings.ToLower(e.AttrOr("id", "") + " " + e.AttrOr("class", ""))
		if strings.Contains(names, "cookie") || strings.Contains(names, "consent") || strings.Contains(names, "gdpr") {
			e.Remove()
			return
		}
		for _, w := range strings.FieldsFunc(names, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
			if boilerWords[w] {
				e.Remove()
				return
			}
		}
	})
}

// mainText finds the main content of a page and returns it as plain text
// with paragraph breaks, without the page's h1 (the title).
func mainText(doc *goquery.Document) string {
	body := doc.Find("body").First()
	if body.Length() == 0 {
		return ""
	}
	c := body.Clone()
	stripBoilerplate(c)
	main := pickMain(c)
	main.Find("h1").Remove()
	return blockText(main.Nodes)
}

// pickMain chooses the element holding the main content: an explicit
// articleBody, article, main or content container with the most text, else
// the element whose direct paragraphs hold the most text, else body.
func pickMain(body *goquery.Selection) *goquery.Selection {
	for _, sel := range []string{
		"[itemprop=articleBody]", "article", "main, [role=main]",
		"#content, #main-content, #main, .main-content, .entry-content, .post-content, .article-content, .content",
	} {
		if best := longest(body.Find(sel)); best != nil {
			return best
		}
	}
	scores := map[*html.Node]int{}
	var best *html.Node
	body.Find("p").Each(func(_ int, p *goquery.Selection) {
		parent := p.Parent()
		if parent.Length() == 0 {
			return
		}
		n := parent.Nodes[0]
		scores[n] += len(strings.TrimSpace(p.Text()))
		if best == nil || scores[n] > scores[best] {
			best = n
		}
	})
	if best != nil && scores[best] >= 200 {
		return body.FindNodes(best)
	}
	return body
}

// longest returns the selection's element with the most text, or nil when
// none has 100 characters.
func longest(s *goquery.Selection) *goquery.Selection {
	var best *goquery.Selection
	bestLen := 99
	s.Each(func(_ int, e *goquery.Selection) {
		if l := len(strings.TrimSpace(e.Text())); l > bestLen {
			best, bestLen = e, l
		}
	})
	return best
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Table: true, atom.Tr: true, atom.Blockquote: true, atom.Pre: true, atom.Figure: true,
	atom.Figcaption: true, atom.Br: true, atom.Hr: true, atom.Address: true, atom.Details: true,
	atom.Summary: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Nav: true,
	atom.Td: true, atom.Th: true,
}

var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Head: true, atom.Iframe: true, atom.Object: true,
}

// blockText renders nodes as plain text: block elements become paragraphs
// separated by a blank line, white space inside them is collapsed.
func blockText(nodes []*html.Node) string {
	var paras []string
	var cur strings.Builder
	flush := func() {
		if t := clean(cur.String()); t != "" {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.DataAtom] {
				return
			}
		case html.DocumentNode:
		default:
			return
		}
		block := n.Type == html.ElementNode && blockTags[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if block {
			flush()
		} else if n.Type == html.ElementNode && cur.Len() > 0 {
			cur.WriteByte(' ')
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	flush()
	return strings.Join(paras, "\n\n")
}
