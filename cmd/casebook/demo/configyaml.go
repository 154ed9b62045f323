package demo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/casebook-project/casebook/crawler"
)

// ConfigYAML is a complete casebook configuration file (CONTRACT §2) for
// the running sites, with the index in indexDir: the server on
// 127.0.0.1:8080 with CORS open to any origin, the crawler allowed onto
// loopback with no delay, and one source per site as Sources describes it.
// Every string is double-quoted, so regexps keep their backslashes doubled.
func (r *Running) ConfigYAML(indexDir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# casebook configuration for the bundled demo sites\n")
	fmt.Fprintf(&b, "index: %s\n", q(indexDir))
	b.WriteString("server:\n")
	b.WriteString("  addr: \"127.0.0.1:8080\"\n")
	b.WriteString("  allowed_origins: [\"*\"]\n")
	b.WriteString("  admin_token_env: CASEBOOK_ADMIN_TOKEN\n")
	b.WriteString("crawler:\n")
	b.WriteString("  concurrency: 4\n")
	b.WriteString("  delay: 0s\n")
	b.WriteString("  timeout: 20s\n")
	b.WriteString("  allow_private_networks: true\n")
	b.WriteString("sources:\n")
	for _, s := range r.Sources() {
		writeSource(&b, s)
	}
	return b.String()
}

func writeSource(b *strings.Builder, s crawler.Source) {
	fmt.Fprintf(b, "  - name: %s\n", q(s.Name))
	fmt.Fprintf(b, "    network: %s\n", q(s.Network))
	writeList(b, "start_urls", s.StartURLs)
	writeList(b, "sitemaps", s.Sitemaps)
	writeList(b, "include", patterns(s.Include))
	writeList(b, "follow", patterns(s.Follow))
	writeList(b, "exclude", patterns(s.Exclude))
	if s.MaxPages > 0 {
		fmt.Fprintf(b, "    max_pages: %d\n", s.MaxPages)
	}
	if s.MaxDepth > 0 {
		fmt.Fprintf(b, "    max_depth: %d\n", s.MaxDepth)
	}
	if s.Delay > 0 {
		fmt.Fprintf(b, "    delay: %s\n", s.Delay)
	}
	d := s.Defaults
	if d != (crawler.Defaults{}) {
		fmt.Fprintf(b, "    defaults: {city: %s, country: %s, lang: %s}\n", q(d.City), q(d.Country), q(d.Lang))
	}
	f := s.Fields
	if f == (crawler.Fields{}) {
		return
	}
	b.WriteString("    fields:\n")
	for _, kv := range [][2]string{
		{"title", f.Title}, {"summary", f.Summary}, {"body", f.Body}, {"city", f.City},
		{"country", f.Country}, {"themes", f.Themes}, {"period", f.Period}, {"year", f.Year},
		{"published", f.Published},
	} {
		if kv[1] != "" {
			fmt.Fprintf(b, "      %s: %s\n", kv[0], q(kv[1]))
		}
	}
}

func writeList(b *strings.Builder, key string, values []string) {
	if len(values) == 0 {
		return
	}
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = q(v)
	}
	fmt.Fprintf(b, "    %s: [%s]\n", key, strings.Join(quoted, ", "))
}

func patterns(res []*regexp.Regexp) []string {
	out := make([]string, len(res))
	for i, re := range res {
		out[i] = re.String()
	}
	return out
}

// q writes s as a YAML double-quoted scalar. Go's quoting is a subset of
// YAML's escapes for everything strconv.Quote emits (\", \\, \n, \t, \xXX,
// \uXXXX, \UXXXXXXXX), and printable Unicode stays as is.
func q(s string) string {
	return strconv.Quote(s)
}
