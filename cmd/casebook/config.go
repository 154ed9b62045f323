package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/search/server"
)

// fileConfig mirrors the YAML file of CONTRACT §2. Every key is optional but
// sources[].name and one of sources[].start_urls / sources[].sitemaps.
type fileConfig struct {
	Index   string         `yaml:"index"`
	Server  serverConfig   `yaml:"server"`
	Crawler crawlerConfig  `yaml:"crawler"`
	Sources []sourceConfig `yaml:"sources"`
}

type serverConfig struct {
	Addr            string     `yaml:"addr"`
	AllowedOrigins  []string   `yaml:"allowed_origins"`
	AdminTokenEnv   string     `yaml:"admin_token_env"`
	TrustedProxies  []string   `yaml:"trusted_proxies"`
	RateLimit       *rateLimit `yaml:"rate_limit"`
	MetricsTokenEnv string     `yaml:"metrics_token_env"` // "" = /metrics open
	SnapshotDir     string     `yaml:"snapshot_dir"`      // "" = no snapshots through the admin API
}

type rateLimit struct {
	PerSecond float64 `yaml:"per_second"`
	Burst     int     `yaml:"burst"`
}

type crawlerConfig struct {
	Schedule             schedule `yaml:"schedule"`
	UserAgent            string   `yaml:"user_agent"`
	Concurrency          int      `yaml:"concurrency"`
	Delay                duration `yaml:"delay"`
	Timeout              duration `yaml:"timeout"`
	MaxPageBytes         int64    `yaml:"max_page_bytes"`
	AllowPrivateNetworks bool     `yaml:"allow_private_networks"`
}

type sourceConfig struct {
	Name      string         `yaml:"name"`
	Network   string         `yaml:"network"`
	StartURLs []httpURL      `yaml:"start_urls"`
	Sitemaps  []httpURL      `yaml:"sitemaps"`
	Include   []pattern      `yaml:"include"`
	Follow    []pattern      `yaml:"follow"`
	Exclude   []pattern      `yaml:"exclude"`
	MaxPages  int            `yaml:"max_pages"`
	MaxDepth  int            `yaml:"max_depth"`
	Delay     duration       `yaml:"delay"`
	Schedule  schedule       `yaml:"schedule"`
	Defaults  sourceDefaults `yaml:"defaults"`
	Fields    sourceFields   `yaml:"fields"`

	Line int `yaml:"-"` // where the source starts, for errors found after decoding
}

type sourceDefaults struct {
	City    string `yaml:"city"`
	Country string `yaml:"country"`
	Lang    string `yaml:"lang"`
}

type sourceFields struct {
	Title     string `yaml:"title"`
	Summary   string `yaml:"summary"`
	Body      string `yaml:"body"`
	City      string `yaml:"city"`
	Period    string `yaml:"period"`
	Country   string `yaml:"country"`
	Themes    string `yaml:"themes"`
	Year      string `yaml:"year"`
	Published string `yaml:"published"`
}

// The scalar types below validate themselves while the file is decoded, so
// that an error can name the key and the line it sits on.

type duration struct {
	time.Duration
	Set bool // the key was given (so an explicit 0s means no wait)
}

func (d *duration) set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("invalid duration %q (use e.g. 500ms, 2s, 1m)", s)
	}
	d.Duration, d.Set = v, true
	return nil
}

type pattern struct{ *regexp.Regexp }

func (p *pattern) set(s string) error {
	re, err := regexp.Compile(s)
	if err != nil {
		return fmt.Errorf("invalid regexp %q: %s", s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	p.Regexp = re
	return nil
}

type schedule struct {
	Spec string
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func (c *schedule) set(s string) error {
	if _, err := cronParser.Parse(s); err != nil {
		return fmt.Errorf("invalid cron schedule %q: %v", s, err)
	}
	c.Spec = s
	return nil
}

type httpURL struct{ *url.URL }

func (u *httpURL) set(s string) error {
	v, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("invalid URL %q", s)
	}
	if v.Scheme != "http" && v.Scheme != "https" {
		return fmt.Errorf("URL %q: only http and https are crawled", s)
	}
	if v.Host == "" {
		return fmt.Errorf("URL %q has no host", s)
	}
	u.URL = v
	return nil
}

func (u httpURL) String() string { return u.URL.String() }

// setter is implemented by the validating scalar types above.
type setter interface{ set(string) error }

// configError is a problem in the configuration file, located by key and line.
type configError struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (e *configError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key == "" {
		return fmt.Sprintf("config %s: %s", loc, e.Msg)
	}
	return fmt.Sprintf("config %s: %s: %s", loc, e.Key, e.Msg)
}

// loadConfig reads and validates the file at path, then applies the
// CASEBOOK_INDEX and CASEBOOK_ADDR environment overrides. A relative index
// directory is taken relative to the file's directory.
func loadConfig(path string) (*fileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := parseConfig(path, data)
	if err != nil {
		return nil, err
	}
	if v := os.Getenv("CASEBOOK_INDEX"); v != "" {
		cfg.Index = v
	}
	if v := os.Getenv("CASEBOOK_ADDR"); v != "" {
		cfg.Server.Addr = v
	}
	if cfg.Index == "" {
		return nil, &configError{File: path, Key: "index", Msg: "is required (or set CASEBOOK_INDEX)"}
	}
	if !filepath.IsAbs(cfg.Index) {
		cfg.Index = filepath.Join(filepath.Dir(path), cfg.Index)
	}
	if err := resolveSnapshotDir(path, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// resolveSnapshotDir makes server.snapshot_dir absolute (relative to the
// file's directory, like index) and refuses one that is the index, inside
// it, or the directory holding it: a rebuild works in <index>.next and
// <index>.old beside the index, and a snapshot of such a name would be
// lost to it.
func resolveSnapshotDir(path string, cfg *fileConfig) error {
	dir := cfg.Server.SnapshotDir
	if dir == "" {
		return nil
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(filepath.Dir(path), dir)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return &configError{File: path, Key: "server.snapshot_dir", Msg: err.Error()}
	}
	index, err := filepath.Abs(cfg.Index)
	if err != nil {
		return &configError{File: path, Key: "index", Msg: err.Error()}
	}
	if dir == index || dir == filepath.Dir(index) || strings.HasPrefix(dir, index+string(filepath.Separator)) {
		return &configError{File: path, Key: "server.snapshot_dir",
			Msg: fmt.Sprintf("%s must be a directory of its own, neither the index %s, inside it, nor the directory holding it (e.g. %s)",
				dir, index, filepath.Join(filepath.Dir(index), "snapshots"))}
	}
	cfg.Server.SnapshotDir = dir
	return nil
}

// metricsToken reads the token GET /metrics wants from the environment
// variable server.metrics_token_env names: "" when the key is absent. A
// named variable that is empty is an error, so that a missing secret never
// leaves /metrics open unnoticed.
func (c *fileConfig) metricsToken() (string, error) {
	env := c.Server.MetricsTokenEnv
	if env == "" {
		return "", nil
	}
	token := strings.TrimSpace(os.Getenv(env))
	if token == "" {
		return "", fmt.Errorf("server.metrics_token_env names %s, which is empty: set it to the token Prometheus sends "+
			"(Authorization: Bearer), or remove the key to leave /metrics open", env)
	}
	return token, nil
}

// parseConfig decodes and validates YAML; name is used in error messages.
func parseConfig(name string, data []byte) (*fileConfig, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &configError{File: name, Msg: "file is empty"}
		}
		return nil, &configError{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	cfg := &fileConfig{}
	d := decoder{file: name}
	if len(root.Content) == 0 {
		return nil, &configError{File: name, Msg: "file is empty"}
	}
	if err := d.decode(root.Content[0], reflect.ValueOf(cfg).Elem(), ""); err != nil {
		return nil, err
	}
	if err := validate(name, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

var sourceName = regexp.MustCompile(`^[a-z0-9-]+$`)

func validate(file string, cfg *fileConfig) error {
	bad := func(line int, key, format string, args ...any) error {
		return &configError{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	c := cfg.Crawler
	if c.Concurrency < 0 {
		return bad(0, "crawler.concurrency", "must be ≥ 0")
	}
	if c.MaxPageBytes < 0 {
		return bad(0, "crawler.max_page_bytes", "must be ≥ 0")
	}
	if rl := cfg.Server.RateLimit; rl != nil && (rl.PerSecond <= 0 || rl.Burst < 0) {
		return bad(0, "server.rate_limit", "per_second must be > 0 and burst ≥ 0")
	}
	seen := map[string]int{}
	for i, s := range cfg.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.Name == "":
			return bad(s.Line, key+".name", "is required")
		case !sourceName.MatchString(s.Name):
			return bad(s.Line, key+".name", "%q must match [a-z0-9-]+", s.Name)
		}
		if prev, dup := seen[s.Name]; dup {
			return bad(s.Line, key+".name", "duplicate source name %q (first defined on line %d)", s.Name, prev)
		}
		seen[s.Name] = s.Line
		if len(s.StartURLs) == 0 && len(s.Sitemaps) == 0 {
			return bad(s.Line, key+".start_urls", "source %q needs start_urls or sitemaps", s.Name)
		}
		if s.MaxPages < 0 {
			return bad(s.Line, key+".max_pages", "must be ≥ 0")
		}
		if s.MaxDepth < 0 {
			return bad(s.Line, key+".max_depth", "must be ≥ 0")
		}
	}
	return nil
}

// decoder walks a YAML node tree into a Go value, refusing unknown keys and
// reporting every error with its dotted key and line.
type decoder struct{ file string }

func (d decoder) fail(n *yaml.Node, key, format string, args ...any) error {
	return &configError{File: d.file, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (d decoder) decode(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "key:" with no value leaves the default
	}
	if v.CanAddr() {
		if s, ok := v.Addr().Interface().(setter); ok {
			if n.Kind != yaml.ScalarNode {
				return d.fail(n, key, "must be a single value")
			}
			if err := s.set(n.Value); err != nil {
				return d.fail(n, key, "%v", err)
			}
			return nil
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.decode(n, v.Elem(), key)
	case reflect.Struct:
		return d.decodeStruct(n, v, key)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Kind == yaml.ScalarNode && v.Type().Elem().Kind() != reflect.Struct {
				// A single value where a list is expected: accept it as a list of one.
				v.Set(reflect.MakeSlice(v.Type(), 1, 1))
				return d.decode(n, v.Index(0), key+"[0]")
			}
			return d.fail(n, key, "must be a list")
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, item := range n.Content {
			if err := d.decode(item, v.Index(i), fmt.Sprintf("%s[%d]", key, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return d.fail(n, key, "must be a string")
		}
		v.SetString(n.Value)
		return nil
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if n.Kind != yaml.ScalarNode || err != nil {
			return d.fail(n, key, "must be true or false, not %q", n.Value)
		}
		v.SetBool(b)
		return nil
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 10, 64)
		if n.Kind != yaml.ScalarNode || err != nil {
			return d.fail(n, key, "must be a whole number, not %q", n.Value)
		}
		v.SetInt(i)
		return nil
	case reflect.Float64:
		f, err := strconv.ParseFloat(n.Value, 64)
		if n.Kind != yaml.ScalarNode || err != nil {
			return d.fail(n, key, "must be a number, not %q", n.Value)
		}
		v.SetFloat(f)
		return nil
	}
	return d.fail(n, key, "unsupported value")
}

func (d decoder) decodeStruct(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind != yaml.MappingNode {
		return d.fail(n, key, "must be a mapping of keys to values")
	}
	t := v.Type()
	fields := map[string]int{}
	var known []string
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			fields[tag] = i
			known = append(known, tag)
		}
	}
	if f, ok := t.FieldByName("Line"); ok {
		v.FieldByIndex(f.Index).SetInt(int64(n.Line))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		full := k.Value
		if key != "" {
			full = key + "." + k.Value
		}
		idx, ok := fields[k.Value]
		if !ok {
			return d.fail(k, full, "unknown key (known keys here: %s)", strings.Join(known, ", "))
		}
		if seen[k.Value] {
			return d.fail(k, full, "key appears twice")
		}
		seen[k.Value] = true
		if err := d.decode(val, v.Field(idx), full); err != nil {
			return err
		}
	}
	return nil
}

// defaultDelay is the gap between two requests to one host when the file
// does not set crawler.delay (CONTRACT §2). The crawler itself reads a zero
// delay as "no wait", which only an explicit `delay: 0s` asks for.
const defaultDelay = time.Second

// crawlerSettings turns the file's crawler section into crawler.Config.
func (c *fileConfig) crawlerSettings() crawler.Config {
	delay := c.Crawler.Delay.Duration
	if !c.Crawler.Delay.Set {
		delay = defaultDelay
	}
	return crawler.Config{
		UserAgent:            c.Crawler.UserAgent,
		Concurrency:          c.Crawler.Concurrency,
		Delay:                delay,
		Timeout:              c.Crawler.Timeout.Duration,
		MaxPageBytes:         c.Crawler.MaxPageBytes,
		AllowPrivateNetworks: c.Crawler.AllowPrivateNetworks,
	}
}

// rateLimit is server.rate_limit for the server; nil when absent.
func (c *fileConfig) rateLimit() *server.RateLimit {
	if c.Server.RateLimit == nil {
		return nil
	}
	return &server.RateLimit{PerSecond: c.Server.RateLimit.PerSecond, Burst: c.Server.RateLimit.Burst}
}

// crawlSources returns the configured sources, or only those named.
// An unknown name is an error naming it.
func (c *fileConfig) crawlSources(names []string) ([]crawler.Source, error) {
	all := make(map[string]crawler.Source, len(c.Sources))
	var out []crawler.Source
	for _, s := range c.Sources {
		src := s.toCrawler()
		all[s.Name] = src
		if len(names) == 0 {
			out = append(out, src)
		}
	}
	for _, n := range names {
		src, ok := all[n]
		if !ok {
			return nil, fmt.Errorf("unknown source %q (configured: %s)", n, strings.Join(c.sourceNames(), ", "))
		}
		out = append(out, src)
	}
	return out, nil
}

func (c *fileConfig) sourceNames() []string {
	names := make([]string, len(c.Sources))
	for i, s := range c.Sources {
		names[i] = s.Name
	}
	return names
}

func (s sourceConfig) toCrawler() crawler.Source {
	urls := func(in []httpURL) []string {
		out := make([]string, len(in))
		for i, u := range in {
			out[i] = u.String()
		}
		return out
	}
	res := func(in []pattern) []*regexp.Regexp {
		out := make([]*regexp.Regexp, len(in))
		for i, p := range in {
			out[i] = p.Regexp
		}
		return out
	}
	return crawler.Source{
		Name:      s.Name,
		Network:   s.Network,
		StartURLs: urls(s.StartURLs),
		Sitemaps:  urls(s.Sitemaps),
		Include:   res(s.Include),
		Follow:    res(s.Follow),
		Exclude:   res(s.Exclude),
		MaxPages:  s.MaxPages,
		MaxDepth:  s.MaxDepth,
		Delay:     s.Delay.Duration,
		Defaults:  crawler.Defaults{City: s.Defaults.City, Country: s.Defaults.Country, Lang: s.Defaults.Lang},
		Fields: crawler.Fields{
			Title: s.Fields.Title, Summary: s.Fields.Summary, Body: s.Fields.Body,
			City: s.Fields.City, Country: s.Fields.Country, Themes: s.Fields.Themes,
			Period: s.Fields.Period, Year: s.Fields.Year, Published: s.Fields.Published,
		},
	}
}
