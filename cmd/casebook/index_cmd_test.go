package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv carries the arguments of a casebook run in a child process,
// separated by childSep.
const (
	childEnv = "BE_CHILD"
	childSep = "\x1f"
)

// TestHelperCasebook is not a test: run as a child process by childCmd, it
// runs casebook with the arguments in BE_CHILD and exits with its status,
// so that a panic, a hang or a kill -9 hits a process of its own.
func TestHelperCasebook(t *testing.T) {
	args := os.Getenv(childEnv)
	if args == "" {
		t.Skip("child process only")
	}
	os.Exit(run(context.Background(), strings.Split(args, childSep), os.Stdout, os.Stderr))
}

// childCmd returns a command running casebook args in a child process.
func childCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCasebook$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, childSep))
	return cmd
}

// runChild runs casebook args in a child process and returns its exit
// status and output.
func runChild(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := childCmd(args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("child %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// copyTree copies the directory src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func garbleFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 64; i < len(b)-64; i += 7 {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedIndexAtStartup damages a crawled index in three ways and
// checks what the operator meets: serve, crawl, search and import each
// stop with one line naming the directory and the two recovery commands
// (in a child process, so a panic would show); `index check` names the
// problem and exits 1; `index rebuild` brings every practice back, or,
// when nothing is readable, says so and how to start again, and that
// advice works.
func TestDamagedIndexAtStartup(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls and child processes: skipped with -short")
	}
	cfgPath, _ := demoConfig(t)
	if code, _, stderr := runCmd(t, "crawl", "--config", cfgPath); code != 0 {
		t.Fatalf("crawl: %s", stderr)
	}
	healthy := filepath.Join(filepath.Dir(cfgPath), "index")
	want := openServed(t, healthy)
	cfgYAML, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(docs, []byte(`{"url":"https://x.example/p","title":"T","body":"B","lang":"en"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, test := range []struct {
		name        string
		damage      func(t *testing.T, dir string)
		recoverable bool
	}{
		{"root.bolt truncated", func(t *testing.T, dir string) {
			if err := os.Truncate(filepath.Join(dir, "store", "root.bolt"), 4096); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"index_meta.json deleted", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "index_meta.json")); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"every segment garbled", func(t *testing.T, dir string) {
			zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment files")
			}
			for _, z := range zaps {
				garbleFile(t, z)
			}
		}, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "index")
			copyTree(t, healthy, dir)
			test.damage(t, dir)
			cfg := filepath.Join(base, "casebook.yaml")
			yaml := strings.Replace(string(cfgYAML), "index: ", "index: "+fmt.Sprintf("%q", dir)+"\n# was: ", 1)
			if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}

			for _, args := range [][]string{
				{"serve", "--config", cfg, "--addr", "127.0.0.1:0"},
				{"crawl", "--config", cfg},
				{"search", "--index", dir, "integration"},
				{"import", "--index", dir, docs},
			} {
				code, _, stderr := runChild(t, args...)
				line := strings.TrimSpace(stderr)
				if i := strings.LastIndex(line, "\ncasebook "); i >= 0 {
					line = line[i+1:] // Bleve may log lines of its own before
				}
				if code != 1 || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") ||
					!strings.Contains(line, dir) || !strings.Contains(line, "damaged") ||
					!strings.Contains(line, "casebook index check") || !strings.Contains(line, "casebook index rebuild") {
					t.Errorf("%s on a damaged index: exit %d, stderr %q; want 1 and one line naming %s and index check/rebuild", args[0], code, stderr, dir)
				}
			}

			code, out, stderr := runCmd(t, "index", "check", "--config", cfg)
			if code != 1 || !strings.Contains(out, "PROBLEM") || !strings.Contains(stderr, "index rebuild") {
				t.Errorf("index check: exit %d\n%s%s; want 1, a PROBLEM line and the rebuild hint", code, out, stderr)
			}

			code, out, stderr = runCmd(t, "index", "rebuild", "--config", cfg)
			if !test.recoverable {
				if code != 1 || !strings.Contains(stderr, "crawl --full") || !strings.Contains(stderr, "nothing was changed") {
					t.Fatalf("index rebuild of an unreadable index: exit %d %q; want 1 and the re-crawl advice", code, stderr)
				}
				// The advice: move it away, crawl again.
				if err := os.Rename(dir, dir+".broken"); err != nil {
					t.Fatal(err)
				}
				if code, _, stderr := runCmd(t, "crawl", "--full", "--config", cfg); code != 0 {
					t.Fatalf("crawl --full after moving the damaged index away: %s", stderr)
				}
			} else if code != 0 || !strings.Contains(out, fmt.Sprintf("recovered: %d", len(want.ids))) {
				t.Fatalf("index rebuild: exit %d\n%s%s; want 0 and %d recovered", code, out, stderr, len(want.ids))
			}
			if code, out, stderr := runCmd(t, "index", "check", "--index", dir); code != 0 || !strings.Contains(out, "ok") {
				t.Errorf("index check after recovery: exit %d\n%s%s", code, out, stderr)
			}
			if got := openServed(t, dir); !slices.Equal(got.ids, want.ids) || got.search != want.search {
				t.Errorf("after recovery: %d practices, search finds %d; want %d and %d", len(got.ids), got.search, len(want.ids), want.search)
			}
		})
	}
}

// TestIndexCommandUsage covers the index command's own errors.
func TestIndexCommandUsage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	for _, test := range []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"index"}, 2, "check or rebuild"},
		{[]string{"index", "fix", "--index", dir}, 2, `"fix"`},
		{[]string{"index", "check", "--bogus"}, 2, "bogus"},
		{[]string{"index", "check", "--index", dir}, 1, "no index at " + dir},
	} {
		code, _, stderr := runCmd(t, test.args...)
		if code != test.code || !strings.Contains(stderr, test.inStderr) {
			t.Errorf("%v: exit %d %q; want %d and %q", test.args, code, stderr, test.code, test.inStderr)
		}
	}
}

// TestKillMidImport kills `casebook import` (a child process, SIGKILL)
// while it reads and writes a large import that rewrites every practice
// already served: the index opens, `index check` passes and every
// practice served before is still there.
func TestKillMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes: skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "index")
	line := func(i int, title string) string {
		return fmt.Sprintf(`{"url":"https://import.example/p/%d","source":"imp","title":"%s %d","body":"integration of newcomers in the city, practice %d %s","cities":["Lisbon"],"lang":"en","themes":["welcoming"]}`+"\n",
			i, title, i, i, strings.Repeat("words ", 40))
	}
	var first strings.Builder
	for i := range 400 {
		first.WriteString(line(i, "Served"))
	}
	docs := filepath.Join(t.TempDir(), "first.jsonl")
	if err := os.WriteFile(docs, []byte(first.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, "import", "--index", dir, docs); code != 0 {
		t.Fatalf("first import: %s", stderr)
	}
	before := openServed(t, dir)

	zaps := func() string {
		m, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		return strings.Join(m, ",")
	}
	for round, killAfter := range []int{300, 1200, 2600} {
		segments := zaps()
		cmd := childCmd("import", "--index", dir, "-")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Writes block once the pipe is full, so when killAfter lines are
		// written the child has read all but a pipe's worth of them, and
		// it cannot have finished: its input is still open.
		for i := range killAfter {
			if _, err := io.WriteString(stdin, line(i, fmt.Sprintf("Round %d", round))); err != nil {
				t.Fatalf("round %d: child stopped reading at line %d: %v\n%s", round, i, err, stderr.String())
			}
		}
		if round > 0 {
			// Kill while a batch is being made durable: once the child
			// has written a new segment file (or after a while).
			for i := 0; i < 500 && zaps() == segments; i++ {
				time.Sleep(10 * time.Millisecond)
			}
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		stdin.Close()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: import was not killed: %v\n%s", round, cmd.ProcessState, stderr.String())
		}
		if code, out, stderr := runCmd(t, "index", "check", "--index", dir); code != 0 {
			t.Fatalf("round %d: index check after kill -9: exit %d\n%s%s", round, code, out, stderr)
		}
		after := openServed(t, dir)
		for _, id := range before.ids {
			if _, ok := slices.BinarySearch(after.ids, id); !ok {
				t.Fatalf("round %d: practice %s imported before the kill is gone", round, id)
			}
		}
		t.Logf("round %d: killed after writing %d lines; %d practices", round, killAfter, len(after.ids))
	}
}

// TestConcurrentCrawls starts a second crawl, in process and in another
// process, while a first one holds the index: each is told at once (exit
// 1, "in use") and the first crawl finishes with nothing lost.
func TestConcurrentCrawls(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls and child processes: skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "index")
	sites, cfg := startCountingSites(t, dir)
	if code, _, stderr := runCmd(t, "crawl", "--config", cfg); code != 0 {
		t.Fatalf("first crawl: %s", stderr)
	}
	before := openServed(t, dir)

	// Hold the next crawl on its first request until the others have run.
	gate := make(chan struct{})
	held := make(chan struct{})
	hold := func() { close(held); <-gate }
	sites.requests.Store(0)
	sites.kill.Store(&hold)
	sites.killAt.Store(1)
	done := make(chan int, 1)
	var firstErr bytes.Buffer
	go func() { done <- run(context.Background(), []string{"crawl", "--config", cfg}, io.Discard, &firstErr) }()
	select {
	case <-held:
	case <-time.After(60 * time.Second):
		close(gate)
		t.Fatal("the first crawl made no request")
	}

	code, _, stderr := runCmd(t, "crawl", "--config", cfg)
	if code != 1 || !strings.Contains(stderr, "in use") {
		t.Errorf("second crawl in process: exit %d %q; want 1 and 'in use'", code, stderr)
	}
	code, _, stderr = runChild(t, "crawl", "--config", cfg)
	if code != 1 || !strings.Contains(stderr, "in use") {
		t.Errorf("second crawl in another process: exit %d %q; want 1 and 'in use'", code, stderr)
	}
	close(gate)
	sites.killAt.Store(0)
	if code := <-done; code != 0 {
		t.Fatalf("first crawl: exit %d\n%s", code, firstErr.String())
	}
	after := openServed(t, dir)
	if !slices.Equal(after.ids, before.ids) || after.search != before.search {
		t.Errorf("after concurrent crawls: %d practices, search %d; want %d and %d", len(after.ids), after.search, len(before.ids), before.search)
	}
}
