package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/server"
)

// target is what --config or --index names.
type target struct {
	cfg   *fileConfig // nil with --index
	index string
}

func addTargetFlags(fs interface {
	StringVar(*string, string, string, string)
}, config, index *string) {
	fs.StringVar(config, "config", "", "configuration file (YAML)")
	fs.StringVar(index, "index", "", "index directory (instead of --config when only the index is needed)")
}

func resolveTarget(config, index string, needConfig bool) (target, error) {
	switch {
	case config != "" && index != "":
		return target{}, usagef("give --config or --index, not both")
	case config != "":
		cfg, err := loadConfig(config)
		if err != nil {
			return target{}, err
		}
		return target{cfg: cfg, index: cfg.Index}, nil
	case needConfig:
		return target{}, usagef("--config FILE is required")
	case index != "":
		return target{index: index}, nil
	case os.Getenv("CASEBOOK_INDEX") != "":
		return target{index: os.Getenv("CASEBOOK_INDEX")}, nil
	}
	return target{}, usagef("--config FILE or --index DIR is required")
}

// openIndex opens the index and turns "in use" into advice.
func openIndex(dir, cmd string) (*indexer.Index, error) {
	ix, err := indexer.Open(dir)
	if errors.Is(err, indexer.ErrLocked) {
		hint := "stop the other casebook process first"
		if cmd == "crawl" {
			hint = "if `casebook serve` holds it, run the crawl through the server instead: " +
				"casebook crawl --server URL --token-env VAR (VAR names the environment variable holding its admin token)"
		}
		return nil, fmt.Errorf("index %s is in use by another process; %s", dir, hint)
	}
	if errors.Is(err, indexer.ErrCorrupt) {
		return nil, fmt.Errorf("%w; %s", err, damagedHint(dir))
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return ix, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve")
	var config, addr string
	var readOnly bool
	fs.StringVar(&config, "config", "", "configuration file (YAML)")
	fs.StringVar(&addr, "addr", "", "listen address (default: server.addr, then 127.0.0.1:8080)")
	fs.BoolVar(&readOnly, "read-only", false, "serve a snapshot: no lock, no writes, no crawls (readonly.go)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	t, err := resolveTarget(config, "", true)
	if err != nil {
		return err
	}
	if addr == "" {
		addr = t.cfg.Server.Addr
	}
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	metricsToken, err := t.cfg.metricsToken()
	if err != nil {
		return err
	}
	log := newLogger(stderr, slog.LevelInfo)
	ix, err := openServeIndex(t.index, readOnly)
	if err != nil {
		return err
	}
	defer ix.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	jobs, token, err := serveJobs(ctx, t.cfg, ix, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer closeJobs(jobs)
	tuneGC()
	engine := search.New(ix)
	engine.SetLogger(log)
	go warm(ctx, engine, log)
	srv, err := server.New(server.Config{
		Engine:         engine,
		Index:          ix,
		AllowedOrigins: t.cfg.Server.AllowedOrigins,
		TrustedProxies: t.cfg.Server.TrustedProxies,
		RateLimit:      t.cfg.rateLimit(),
		Logger:         log,
		Version:        versionString(),
		AdminToken:     token,
		Jobs:           jobs,
		MetricsToken:   metricsToken,
		SnapshotDir:    t.cfg.Server.SnapshotDir,
	})
	if err != nil {
		ln.Close()
		return fmt.Errorf("server: %w", err)
	}
	fmt.Fprintf(stdout, "casebook %s serving %s%s on http://%s/\n", versionString(), t.index, readOnlyNote(ix), ln.Addr())
	return srv.Serve(ctx, ln)
}

func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("crawl")
	var config string
	var sources multiFlag
	var full, asJSON bool
	fs.StringVar(&config, "config", "", "configuration file (YAML)")
	fs.Var(&sources, "source", "crawl only this source (repeatable)")
	fs.BoolVar(&full, "full", false, "refetch every page, ignoring caches")
	fs.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	var serverURL, tokenEnv string
	fs.StringVar(&serverURL, "server", "", "run the crawl on this running casebook serve (its base URL) through the admin API")
	fs.StringVar(&tokenEnv, "token-env", "", "with --server: environment variable holding the admin token")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if serverURL != "" {
		return runRemoteCrawl(ctx, serverURL, tokenEnv, sources, full, asJSON, stdout, stderr)
	}
	t, err := resolveTarget(config, "", true)
	if err != nil {
		return err
	}
	srcs, err := t.cfg.crawlSources(sources)
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		return fmt.Errorf("config %s: sources: no source to crawl", config)
	}
	ix, err := openIndex(t.index, "crawl")
	if err != nil {
		return err
	}
	defer ix.Close()
	log := newLogger(stderr, slog.LevelWarn)
	ccfg := t.cfg.crawlerSettings()
	ccfg.Logger = log
	opts := recrawl.Options{Logger: log, Full: full}
	var progress *crawlProgress
	if !asJSON {
		progress = newCrawlProgress(stderr)
		opts.Progress = progress.update
	}
	run := recrawl.Run
	if full && len(sources) == 0 {
		run = recrawl.RunRebuild // every source: rebuilt beside the index, swapped in when complete
	}
	sum, runErr := run(ctx, crawler.New(ccfg), ix, srcs, opts)
	if progress != nil {
		progress.finish()
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else {
		printSummary(stdout, sum)
	}
	if runErr != nil {
		return fmt.Errorf("crawl incomplete: %w; practices of failed sources were kept", runErr)
	}
	return nil
}

func printSummary(w io.Writer, sum recrawl.Summary) {
	width := len("source")
	for _, r := range sum.Sources {
		width = max(width, len(r.Source))
	}
	fmt.Fprintf(w, "%-*s %8s %6s %8s %10s %8s %7s %8s  %s\n", width, "source",
		"fetched", "added", "updated", "unchanged", "removed", "failed", "skipped", "status")
	row := func(name string, c recrawl.Counts, status string) {
		fmt.Fprintf(w, "%-*s %8d %6d %8d %10d %8d %7d %8d  %s\n", width, name, c.Fetched, c.Added,
			c.Updated, c.Unchanged, c.Removed, c.Failed, c.Skipped, status)
	}
	for _, r := range sum.Sources {
		status := "ok"
		switch {
		case !r.OK:
			status = "FAILED"
		case r.Incomplete:
			status = "incomplete (nothing removed)"
		}
		row(r.Source, r.Counts, status)
	}
	row("total", sum.Total, "")
	for _, r := range sum.Sources {
		if r.Error != "" {
			fmt.Fprintf(w, "%s: source failed, its practices were kept: %s\n", r.Source, r.Error)
		}
		for i, e := range r.Errors {
			if i == 10 {
				fmt.Fprintf(w, "%s: … and %d more (see --json)\n", r.Source, len(r.Errors)-10)
				break
			}
			// The crawler's errors usually start with the URL already.
			fmt.Fprintf(w, "%s: %s: %s\n", r.Source, e.URL, strings.TrimPrefix(e.Error, e.URL+": "))
		}
	}
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import")
	var config, index string
	addTargetFlags(fs, &config, &index)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give exactly one DOCS.jsonl file (or - for standard input)")
	}
	t, err := resolveTarget(config, index, false)
	if err != nil {
		return err
	}
	var in io.Reader = os.Stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	ix, err := openIndex(t.index, "import")
	if err != nil {
		return err
	}
	defer ix.Close()
	tuneImportGC()
	bad := 0
	n, err := indexer.ImportJSONL(ctx, ix, in, func(line int, err error) {
		bad++
		fmt.Fprintf(stderr, "%s:%d: skipped: %v\n", pos[0], line, err)
	})
	fmt.Fprintf(stdout, "imported %d practices", n)
	if bad > 0 {
		fmt.Fprintf(stdout, "; skipped %d bad lines", bad)
	}
	fmt.Fprintln(stdout)
	if err != nil {
		return fmt.Errorf("import %s: %w", pos[0], err)
	}
	if bad > 0 {
		return fmt.Errorf("%d lines of %s were skipped (good lines were imported)", bad, pos[0])
	}
	return nil
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search")
	var config, index, sortBy, ui string
	var langs, cities, themes, countries, networks multiFlag
	var page, size int
	var asJSON bool
	addTargetFlags(fs, &config, &index)
	fs.Var(&langs, "lang", "only practices in this language (repeatable)")
	fs.Var(&cities, "city", "only practices of this city (repeatable)")
	fs.Var(&themes, "theme", "only practices with this theme (repeatable)")
	fs.Var(&countries, "country", "only practices of this country (repeatable)")
	fs.Var(&networks, "network", "only practices of this network (repeatable)")
	fs.IntVar(&page, "page", 1, "result page")
	fs.IntVar(&size, "size", 10, "results per page (1..100)")
	fs.StringVar(&sortBy, "sort", "relevance", "relevance, newest or oldest")
	fs.StringVar(&ui, "ui", "", "language of labels: en, fr or de (default from $LANG)")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON (the API's shape)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	t, err := resolveTarget(config, index, false)
	if err != nil {
		return err
	}
	v := url.Values{}
	if q := strings.Join(pos, " "); q != "" {
		v.Set("q", q)
	}
	for key, vals := range map[string]multiFlag{"lang": langs, "city": cities, "theme": themes, "country": countries, "network": networks} {
		for _, x := range vals {
			v.Add(key, x)
		}
	}
	v.Set("page", strconv.Itoa(page))
	v.Set("size", strconv.Itoa(size))
	v.Set("sort", sortBy)
	if ui != "" {
		v.Set("ui", ui)
	}
	req, err := search.ParseRequest(v, uiFromEnv())
	if err != nil {
		return usagef("%v", err)
	}
	ix, err := openIndex(t.index, "search")
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := search.New(ix).Search(ctx, req)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printHits(stdout, res)
	return nil
}

// uiFromEnv turns $LANG (e.g. de_DE.UTF-8) into an Accept-Language value.
func uiFromEnv() string {
	l := os.Getenv("LANG")
	if i := strings.IndexAny(l, "_.@"); i > 0 {
		l = l[:i]
	}
	return l
}

var markTags = strings.NewReplacer("<mark>", "[", "</mark>", "]")

func printHits(w io.Writer, res *search.Result) {
	fmt.Fprintf(w, "%d practices (%.1f ms)\n", res.Total, res.TookMS)
	for i, h := range res.Hits {
		n := (res.Page-1)*res.Size + i + 1
		meta := []string{strings.Join(h.Cities, ", ")}
		if h.Country != "" {
			meta = append(meta, h.Country)
		}
		meta = append(meta, h.Lang)
		if h.Year > 0 {
			meta = append(meta, strconv.Itoa(h.Year))
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s\n   %s\n", n, h.Title, strings.Join(meta, " · "), h.URL)
		if s := plainSnippet(h.SnippetHTML); s != "" {
			fmt.Fprintf(w, "   %s\n", s)
		}
	}
}

// plainSnippet turns an escaped, <mark>ed snippet into terminal text with
// [brackets] around the matches.
func plainSnippet(s string) string {
	return html.UnescapeString(markTags.Replace(s))
}

// warm copies the index into memory in the background: until it is done
// (seconds at 100,000 practices) searches go to Bleve, slower but complete.
func warm(ctx context.Context, engine *search.Engine, log *slog.Logger) {
	start := time.Now()
	if err := engine.Warm(ctx); err != nil {
		if ctx.Err() == nil {
			log.Warn("in-memory index: not built; searches use Bleve", "err", err)
		}
		return
	}
	// Return the garbage of the build to the system now rather than over
	// the next minutes.
	debug.FreeOSMemory()
	log.Info("in-memory index ready", "took", time.Since(start).Round(time.Millisecond))
}
