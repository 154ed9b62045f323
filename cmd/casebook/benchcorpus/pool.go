package benchcorpus

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/casebook-project/casebook/cmd/casebook/demo"
)

// Langs are the languages of the generated practices, about a third each.
var Langs = []string{"en", "fr", "de"}

// pool is the text of one language, cut into reusable pieces.
type pool struct {
	titles    []string
	summaries []string
	sentences []string
	headings  []string
	vocab     *vocab
}

// loadPools reads the demo corpus and cuts it into per-language pools,
// with the ranked vocabulary of each language.
func loadPools() (map[string]*pool, error) {
	pages, err := demo.Load()
	if err != nil {
		return nil, fmt.Errorf("benchcorpus: load demo corpus: %w", err)
	}
	pools := make(map[string]*pool, len(Langs))
	for _, l := range Langs {
		pools[l] = &pool{}
	}
	for _, pg := range pages {
		p := pools[pg.Lang]
		if p == nil {
			continue
		}
		p.titles = append(p.titles, pg.Title)
		if pg.Summary != "" {
			p.summaries = append(p.summaries, pg.Summary)
		}
		for _, bl := range pg.Body {
			switch bl.Kind {
			case demo.Heading:
				p.headings = append(p.headings, bl.Text)
			case demo.List:
				for _, it := range bl.Items {
					if it = sentence(it); it != "" {
						p.sentences = append(p.sentences, it)
					}
				}
			default:
				p.sentences = append(p.sentences, splitSentences(bl.Text)...)
			}
		}
	}
	for _, l := range Langs {
		p := pools[l]
		if len(p.titles) == 0 || len(p.summaries) == 0 || len(p.sentences) == 0 {
			return nil, fmt.Errorf("benchcorpus: demo corpus has no usable %s pages", l)
		}
		texts := slices.Concat(p.titles, p.summaries, p.sentences, p.headings)
		p.vocab = buildVocab(texts, slices.Concat(p.titles, p.headings, themeTexts(l)))
		if len(p.vocab.domain) == 0 {
			return nil, fmt.Errorf("benchcorpus: demo corpus has no %s domain words", l)
		}
	}
	return pools, nil
}

// sentence makes a list item or a sentence fragment read as a sentence:
// capital first letter, a full stop instead of a trailing ';', ':' or ','.
func sentence(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), ";:, ")
	if s == "" {
		return s
	}
	if r := s[len(s)-1]; r != '.' && r != '!' && r != '?' {
		s += "."
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// splitSentences cuts a paragraph after '.', '!' or '?' when the next word
// starts with a capital letter or a digit.
func splitSentences(text string) []string {
	words := strings.Fields(text)
	var out []string
	start := 0
	for i, w := range words {
		end := w[len(w)-1]
		if end != '.' && end != '!' && end != '?' {
			continue
		}
		if i+1 < len(words) {
			next := []rune(words[i+1])[0]
			if !unicode.IsUpper(next) && !unicode.IsDigit(next) {
				continue
			}
		}
		out = append(out, sentence(strings.Join(words[start:i+1], " ")))
		start = i + 1
	}
	if start < len(words) {
		out = append(out, sentence(strings.Join(words[start:], " ")))
	}
	return out
}
