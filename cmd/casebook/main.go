// Command casebook crawls city good-practice pages into a multilingual
// search index and serves search over it (CONTRACT §1).
//
//	casebook demo    [--addr 127.0.0.1:8080] [--data DIR]
//	casebook serve   --config FILE [--addr ADDR] [--read-only]
//	casebook crawl   --config FILE [--source NAME]... [--full] [--json]
//	casebook crawl   --server URL --token-env VAR [--source NAME]... [--full] [--json]
//	casebook import  --config FILE DOCS.jsonl
//	casebook search  --config FILE [--lang L] [--city C] [--theme T] [--json] QUERY...
//	casebook index   (check | rebuild) (--config FILE | --index DIR)
//	casebook index   snapshot (--config FILE | --index DIR) DEST
//	casebook healthcheck [--addr ADDR] [--timeout 5s]
//	casebook bench   [--n 10000,100000] [--queries 500] [--seed 2026] [--passes 1] [--dir DIR] [--keep | --reuse] [--json FILE]
//	casebook bench corpus [--n 10000] [--seed 2026] [--out FILE]
//	casebook version
//
// Exit status: 0 success, 1 failure, 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module build info.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// errUsage marks a usage error: the message is printed with the usage line
// and the exit status is 2.
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Is(t error) bool {
	return t == errUsage
}

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"demo", "demo [--addr 127.0.0.1:8080] [--data DIR]", runDemo},
		{"serve", "serve --config FILE [--addr ADDR] [--read-only]", runServe},
		{"crawl", "crawl (--config FILE | --server URL --token-env VAR) [--source NAME]... [--full] [--json]", runCrawl},
		{"import", "import --config FILE DOCS.jsonl", runImport},
		{"search", "search --config FILE [--lang L] [--city C] [--theme T] [--page N] [--size N] [--json] QUERY...", runSearch},
		{"index", indexUsage, runIndex},
		{"bench", "bench [--n 10000,100000] [--queries 500] [--seed 2026] [--passes 1] [--dir DIR] [--keep | --reuse] [--json FILE]\n  casebook " + benchCorpusUsage, runBench},
		{"version", "version", runVersion},
		{"healthcheck", healthcheckUsage, runHealthcheck},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: casebook <command> [flags]")
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  casebook "+c.usage)
	}
	fmt.Fprintln(w, "--index DIR may stand in for --config FILE where only the index is needed.")
}

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			fmt.Fprintln(stdout, "usage: casebook "+c.usage)
			return exitOK
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "casebook %s: %v\nusage: casebook %s\n", name, err, c.usage)
			return exitUsage
		default:
			fmt.Fprintf(stderr, "casebook %s: %v\n", name, oneLine(err))
			return exitFail
		}
	}
	fmt.Fprintf(stderr, "casebook: unknown command %q\n", name)
	usage(stderr)
	return exitUsage
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func runVersion(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintln(stdout, "casebook", versionString())
	return nil
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && (v == "" || v == "(devel)") {
				v = "devel-" + s.Value[:12]
			}
		}
		if v != "" && v != "(devel)" {
			return v
		}
	}
	return "devel"
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses flags that may appear before, between or after
// positional arguments ("search --config f lisbon housing --json").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseOnlyFlags parses a command that takes flags and no arguments.
func parseOnlyFlags(fs *flag.FlagSet, args []string) error {
	pos, err := parseFlags(fs, args)
	if err == nil && len(pos) > 0 {
		err = usagef("unexpected argument %q", pos[0])
	}
	return err
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
