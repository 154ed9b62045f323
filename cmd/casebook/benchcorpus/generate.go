package benchcorpus

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"unicode"

	"github.com/casebook-project/casebook/indexer"
)

// Body length in words (title and summary not counted).
const (
	MinWords = 150
	MaxWords = 600
)

// Years of the generated practices, inclusive.
const (
	FirstYear = 2005
	LastYear  = 2025
)

// sources are the sites the practices seem to come from, with their network.
var sources = []struct{ name, network string }{
	{"icc-archive", "ICC"}, {"icc-news", "ICC"}, {"oive", "OIVE"},
	{"duesseldorf", "Düsseldorf"}, {"hub", "Hub"}, {"quebec-net", "OIVE"},
}

// placeLine says where and since when, in the practice's language.
var placeLine = map[string]string{
	"en": "The programme has been running in %s since %d.",
	"fr": "Le programme est mené à %s depuis %d.",
	"de": "Das Programm läuft seit %[2]d in %[1]s.",
}

var periodForm = map[string]string{"en": "since %d", "fr": "depuis %d", "de": "seit %d"}

// Generate returns the n practices of the corpus for seed. About a fifth
// of them come in translation groups (2–3 languages, consecutive in the
// sequence, pointing at each other through Translations). The practices are
// raw, as a crawler would emit them; indexer.Upsert normalises them.
func Generate(n int, seed int64) (iter.Seq[indexer.Practice], error) {
	pools, err := loadPools()
	if err != nil {
		return nil, err
	}
	cities := indexer.Cities()
	themes := indexer.Themes()
	return func(yield func(indexer.Practice) bool) {
		rng := rand.New(rand.NewPCG(uint64(seed), 0x63617365626f6f6b))
		g := &gen{
			rng:    rng,
			pools:  pools,
			cities: cities,
			themes: themes,
			words:  map[string]*rand.Zipf{},
			domain: map[string]*rand.Zipf{},
		}
		for _, l := range Langs {
			v := pools[l].vocab
			g.words[l] = rand.NewZipf(rng, zipfS, zipfV, uint64(len(v.ranked)-1))
			g.domain[l] = rand.NewZipf(rng, zipfS, zipfV, uint64(len(v.domain)-1))
		}
		for i := 0; i < n; {
			group := g.next(i, n-i)
			for _, p := range group {
				if !yield(p) {
					return
				}
			}
			i += len(group)
		}
	}, nil
}

type gen struct {
	rng    *rand.Rand
	pools  map[string]*pool
	cities []indexer.City
	themes []indexer.Theme
	words  map[string]*rand.Zipf // per language: ranks into vocab.ranked
	domain map[string]*rand.Zipf // per language: ranks into vocab.domain
}

// shared is what the translations of one practice have in common.
type shared struct {
	src       int
	city      indexer.City
	city2     *indexer.City
	themes    []string // theme ids
	year      int
	published string // YYYY-MM-DD or ""
	period    bool
}

// next builds practice i, or a translation group starting at i of at most
// room practices.
func (g *gen) next(i, room int) []indexer.Practice {
	s := g.shared()
	langs := []string{Langs[g.rng.IntN(len(Langs))]}
	// About 11% of starts make a group of 2–3: ~20% of practices.
	if room >= 2 && g.rng.IntN(100) < 11 {
		size := 2 + g.rng.IntN(2)
		if size > room {
			size = room
		}
		perm := g.rng.Perm(len(Langs))
		langs = langs[:0]
		for _, k := range perm[:size] {
			langs = append(langs, Langs[k])
		}
	}
	src := sources[s.src]
	urls := make([]string, len(langs))
	for k, l := range langs {
		urls[k] = fmt.Sprintf("https://%s.bench.example/%s/practice-%d", src.name, l, i+k)
	}
	out := make([]indexer.Practice, len(langs))
	for k, l := range langs {
		p := g.practice(l, s)
		p.URL = urls[k]
		p.Source = src.name
		p.Network = src.network
		for j, other := range langs {
			if j != k {
				p.Translations = append(p.Translations, indexer.Translation{Lang: other, URL: urls[j]})
			}
		}
		out[k] = p
	}
	return out
}

func (g *gen) shared() shared {
	s := shared{
		src:  g.rng.IntN(len(sources)),
		city: g.cities[g.zipf(len(g.cities))],
		year: FirstYear + g.rng.IntN(LastYear-FirstYear+1),
	}
	if g.rng.IntN(5) == 0 {
		c := g.cities[g.rng.IntN(len(g.cities))]
		if c.Name != s.city.Name {
			s.city2 = &c
		}
	}
	nt := 1 + g.rng.IntN(3)
	for _, k := range g.rng.Perm(len(g.themes))[:nt] {
		s.themes = append(s.themes, g.themes[k].ID)
	}
	if g.rng.IntN(10) < 7 {
		pub := s.year + g.rng.IntN(3)
		if pub > LastYear {
			pub = LastYear
		}
		s.published = fmt.Sprintf("%04d-%02d-%02d", pub, 1+g.rng.IntN(12), 1+g.rng.IntN(28))
	}
	s.period = g.rng.IntN(3) == 0
	return s
}

// zipf picks an index in [0,n) with a skew towards small indexes, so some
// cities are much more common than others, as in a real archive.
func (g *gen) zipf(n int) int {
	// u³ puts about half the picks on the first eighth of the list.
	u := g.rng.Float64()
	return int(float64(n)*u*u*u) % n
}

func (g *gen) practice(lang string, s shared) indexer.Practice {
	p := g.pools[lang]
	cityName := indexer.CityLabel(s.city.Name, lang)
	cities := []string{cityName}
	if s.city2 != nil {
		cities = append(cities, indexer.CityLabel(s.city2.Name, lang))
	}
	tags := make([]string, len(s.themes))
	for k, id := range s.themes {
		tags[k] = indexer.ThemeLabel(id, lang)
	}
	pr := indexer.Practice{
		Title:     pick(g.rng, p.titles),
		Summary:   pick(g.rng, p.summaries),
		Body:      g.body(lang, p, cityName, s.year),
		Cities:    cities,
		Country:   indexer.CountryLabel(s.city.Country, lang),
		Themes:    tags,
		Lang:      lang,
		Year:      s.year,
		Published: s.published,
	}
	if g.rng.IntN(2) == 0 {
		pr.Title += " – " + cityName
	}
	if s.period {
		pr.Period = fmt.Sprintf(periodForm[lang], s.year)
	}
	return pr
}

// body is MinWords–MaxWords words in paragraphs of 2–6 sentences, some
// after a heading, the first naming the city and the start year. Half the
// sentences are sentences of the demo pages, half are drawn word by word
// from the language's vocabulary (zipfSentence).
func (g *gen) body(lang string, p *pool, city string, year int) string {
	target := MinWords + g.rng.IntN(MaxWords-MinWords+1)
	first := fmt.Sprintf(placeLine[lang], city, year)
	words := len(strings.Fields(first))
	paras := []string{}
	para := []string{first}
	for tries := 0; words < target && tries < 1000; tries++ {
		if len(para) >= 2+g.rng.IntN(5) {
			paras = append(paras, strings.Join(para, " "))
			para = para[:0:0]
			if len(p.headings) > 0 && g.rng.IntN(4) == 0 {
				h := pick(g.rng, p.headings)
				if w := len(strings.Fields(h)); words+w <= MaxWords {
					paras = append(paras, h)
					words += w
				}
			}
		}
		var s string
		if g.rng.IntN(2) == 0 {
			s = pick(g.rng, p.sentences)
		} else {
			s = g.zipfSentence(lang, p.vocab)
		}
		w := len(strings.Fields(s))
		if words+w > MaxWords {
			continue
		}
		para = append(para, s)
		words += w
	}
	if len(para) > 0 {
		paras = append(paras, strings.Join(para, " "))
	}
	return strings.Join(paras, "\n\n")
}

// zipfSentence is 6–18 words of v: each a domain word one time in six,
// else a word of the whole vocabulary; both drawn with Zipf's law over
// frequency rank, as words occur in natural text.
func (g *gen) zipfSentence(lang string, v *vocab) string {
	n := 6 + g.rng.IntN(13)
	words := make([]string, n)
	for i := range words {
		if g.rng.IntN(6) == 0 {
			words[i] = v.domain[g.domain[lang].Uint64()]
		} else {
			words[i] = v.ranked[g.words[lang].Uint64()]
		}
	}
	r := []rune(words[0])
	r[0] = unicode.ToUpper(r[0])
	words[0] = string(r)
	return strings.Join(words, " ") + "."
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }
