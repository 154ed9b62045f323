package demo

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

//go:embed content
var contentFS embed.FS

// PracticePage is one content file: a practice as one member site publishes
// it in one language. Values are raw, as the site writes them ("Lisbonne",
// "Réfugiés", "depuis 2015").
type PracticePage struct {
	Site      string // directory under content/: icc, oive, duesseldorf, hub
	Slug      string // from the file name <slug>.<lang>.md
	Lang      string // from the file name, ISO 639-1
	File      string // path of the content file, for messages
	Title     string
	Summary   string
	Cities    []string  // main city first; may be empty where the site has a default city (duesseldorf)
	Country   string    // may be empty
	Themes    []string  // the site's own tags
	Period    string    // may be empty
	Published time.Time // UTC midnight
	Group     string    // pages of one site with the same group are translations
	Body      []Block
}

// BlockKind tells what a Block of the body is.
type BlockKind int

// The kinds of body blocks.
const (
	Paragraph BlockKind = iota // Text
	Heading                    // Text, from a "## " line
	List                       // Items, from consecutive "- " lines
)

// Block is one paragraph, subheading or bulleted list of a page body.
type Block struct {
	Kind  BlockKind
	Text  string
	Items []string
}

// Words counts the words of the body (title and summary not counted).
func (p *PracticePage) Words() int {
	return len(strings.Fields(p.BodyText()))
}

// BodyText is the body as plain text, one block per line.
func (p *PracticePage) BodyText() string {
	var b strings.Builder
	for _, bl := range p.Body {
		if bl.Kind == List {
			for _, it := range bl.Items {
				b.WriteString(it)
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langRE = regexp.MustCompile(`^[a-z]{2}$`)
)

// headerKeys are the keys a content file header may hold; required ones
// must not be empty.
var headerKeys = map[string]bool{
	"title": true, "summary": true, "cities": false, "country": false,
	"themes": true, "period": false, "published": true, "group": true,
}

// Parse reads one content file. name is its path, "<site>/<slug>.<lang>.md"
// (any leading directories are kept for messages); Site, Slug and Lang come
// from it. The file is a header of "key: value" lines (title, summary,
// cities, country, themes, period, published as YYYY-MM-DD, group; cities
// and themes separated by "; "; cities, country and period may be empty),
// a line "---", then the body: paragraphs
// separated by blank lines, "## " subheadings and "- " list items. Errors
// read "name:line: message".
func Parse(name string, data []byte) (PracticePage, error) {
	p := PracticePage{File: name, Site: path.Base(path.Dir(name))}
	if p.Site == "." || p.Site == "/" {
		p.Site = ""
	}
	base := path.Base(name)
	stem, ok := strings.CutSuffix(base, ".md")
	dot := strings.LastIndexByte(stem, '.')
	if !ok || dot < 0 {
		return p, fmt.Errorf("%s: file name must be <slug>.<lang>.md", name)
	}
	p.Slug, p.Lang = stem[:dot], stem[dot+1:]
	if !slugRE.MatchString(p.Slug) {
		return p, fmt.Errorf("%s: slug %q must be lowercase letters, digits and single hyphens", name, p.Slug)
	}
	if !langRE.MatchString(p.Lang) {
		return p, fmt.Errorf("%s: language %q must be a two-letter ISO 639-1 code", name, p.Lang)
	}

	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	seen := map[string]int{}
	n := 0
	for ; n < len(lines); n++ {
		line := strings.TrimSpace(lines[n])
		if line == "---" {
			break
		}
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok {
			return p, fmt.Errorf("%s:%d: header line must be \"key: value\" (or \"---\" to end the header)", name, n+1)
		}
		if _, known := headerKeys[key]; !known {
			return p, fmt.Errorf("%s:%d: unknown header key %q", name, n+1, key)
		}
		if first, dup := seen[key]; dup {
			return p, fmt.Errorf("%s:%d: header key %q repeated (first on line %d)", name, n+1, key, first)
		}
		seen[key] = n + 1
		if headerKeys[key] && value == "" {
			return p, fmt.Errorf("%s:%d: %s must not be empty", name, n+1, key)
		}
		switch key {
		case "title":
			p.Title = value
		case "summary":
			p.Summary = value
		case "cities":
			p.Cities = splitList(value)
		case "country":
			p.Country = value
		case "themes":
			p.Themes = splitList(value)
		case "period":
			p.Period = value
		case "group":
			if !slugRE.MatchString(value) {
				return p, fmt.Errorf("%s:%d: group %q must be lowercase letters, digits and single hyphens", name, n+1, value)
			}
			p.Group = value
		case "published":
			t, err := time.Parse(time.DateOnly, value)
			if err != nil {
				return p, fmt.Errorf("%s:%d: published %q must be a date YYYY-MM-DD", name, n+1, value)
			}
			p.Published = t
		}
	}
	if n == len(lines) {
		return p, fmt.Errorf("%s: no \"---\" line ends the header", name)
	}
	var missing []string
	for key, required := range headerKeys {
		if _, ok := seen[key]; required && !ok {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return p, fmt.Errorf("%s: header lacks %s", name, strings.Join(missing, ", "))
	}
	body, berr := parseBody(lines[n+1:])
	if berr != nil {
		return p, fmt.Errorf("%s:%d: %s", name, n+2+berr.line, berr.msg)
	}
	if len(body) == 0 {
		return p, fmt.Errorf("%s:%d: body is empty", name, n+1)
	}
	p.Body = body
	return p, nil
}

type bodyError struct {
	line int // 0-based within the body
	msg  string
}

func parseBody(lines []string) ([]Block, *bodyError) {
	var (
		blocks []Block
		para   []string
		inList bool // the previous non-blank line was a list item or its continuation
		blank  bool // a blank line came after the previous block's last line
	)
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, Block{Kind: Paragraph, Text: strings.Join(para, " ")})
			para = nil
		}
	}
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			flush()
			blank = true
			continue
		case line == "---":
			return nil, &bodyError{i, "a second \"---\" line in the body"}
		case strings.HasPrefix(line, "## "):
			flush()
			text := strings.TrimSpace(line[3:])
			if text == "" {
				return nil, &bodyError{i, "empty subheading"}
			}
			blocks = append(blocks, Block{Kind: Heading, Text: text})
			inList = false
		case strings.HasPrefix(line, "#"):
			return nil, &bodyError{i, "only \"## \" subheadings are allowed"}
		case strings.HasPrefix(line, "- ") || line == "-":
			flush()
			item := strings.TrimSpace(strings.TrimPrefix(line, "-"))
			if item == "" {
				return nil, &bodyError{i, "empty list item"}
			}
			if inList {
				last := &blocks[len(blocks)-1]
				last.Items = append(last.Items, item)
			} else {
				blocks = append(blocks, Block{Kind: List, Items: []string{item}})
			}
			inList = true
		case inList && !blank:
			last := &blocks[len(blocks)-1]
			last.Items[len(last.Items)-1] += " " + line
		default:
			inList = false
			para = append(para, line)
		}
		blank = false
	}
	flush()
	return blocks, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Load parses the embedded content files. The error joins one message per
// bad file, each naming the file and line.
func Load() ([]PracticePage, error) {
	return LoadFS(contentFS, "content")
}

// LoadFS parses every <site>/<slug>.<lang>.md file under root in fsys, in
// path order. Other files are ignored; a directory that is not a known site
// is an error.
func LoadFS(fsys fs.FS, root string) ([]PracticePage, error) {
	var (
		pages []PracticePage
		errs  []error
	)
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(name, root), "/")
		if d.IsDir() {
			if strings.Count(rel, "/") == 0 && rel != "" && !knownSite(rel) {
				errs = append(errs, fmt.Errorf("%s: unknown site directory (want one of %s)", name, strings.Join(siteNames, ", ")))
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".md") || strings.Count(rel, "/") != 1 {
			return nil
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		p, err := Parse(name, bytes.TrimPrefix(data, []byte("\ufeff")))
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read demo content: %w", err)
	}
	if len(errs) > 0 {
		return pages, errors.Join(errs...)
	}
	return pages, nil
}

func knownSite(name string) bool {
	for _, s := range siteNames {
		if s == name {
			return true
		}
	}
	return false
}

// IsHeading reports whether the block is a subheading (for templates).
func (b Block) IsHeading() bool { return b.Kind == Heading }

// IsList reports whether the block is a bulleted list (for templates).
func (b Block) IsList() bool { return b.Kind == List }
