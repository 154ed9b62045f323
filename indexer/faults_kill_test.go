package indexer

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// errDiskFull is the write error the tests inject.
var errDiskFull = errors.New("injected: no space left on device")

// failBatch makes the n-th batch written from now on (1-based) fail, and
// restores applyBatch when the test ends.
func failBatch(t *testing.T, n int64) {
	t.Helper()
	orig := applyBatch
	var calls atomic.Int64
	applyBatch = func(live bleve.Index, b *bleve.Batch) error {
		if calls.Add(1) == n {
			return errDiskFull
		}
		return orig(live, b)
	}
	t.Cleanup(func() { applyBatch = orig })
}

// TestWriteErrorMidBatch injects a write error into the second batch of
// an upsert and of an import over an index that already serves
// practices: the error is returned and names the index, every practice
// served before is still there with its old content (also after a
// reopen), and the index checks healthy.
func TestWriteErrorMidBatch(t *testing.T) {
	for _, test := range []struct {
		name  string
		write func(t *testing.T, ix *Index, ps []Practice) (int, error)
	}{
		{"upsert", func(t *testing.T, ix *Index, ps []Practice) (int, error) {
			return 0, ix.Upsert(t.Context(), ps)
		}},
		{"import", func(t *testing.T, ix *Index, ps []Practice) (int, error) {
			var lines strings.Builder
			for _, p := range ps {
				lines.WriteString(jsonLine(t, p))
			}
			return ImportJSONL(t.Context(), ix, strings.NewReader(lines.String()), func(line int, err error) {
				t.Errorf("line %d: %v", line, err)
			})
		}},
	} {
		t.Run(test.name, func(t *testing.T) {
			ctx := t.Context()
			dir := filepath.Join(t.TempDir(), "index")
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			before := faultPractices(300, "Served")
			if err := ix.Upsert(ctx, before); err != nil {
				t.Fatal(err)
			}
			failBatch(t, 2)
			// Rewrites every served practice and adds 900 more: several
			// batches, the second of which fails.
			next := faultPractices(1200, "Rewritten")
			n, err := test.write(t, ix, next)
			if !errors.Is(err, errDiskFull) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("write: %v; want the injected error, naming %s", err, dir)
			}
			if n >= len(next) {
				t.Errorf("reported %d practices written of %d despite the error", n, len(next))
			}
			ix.Close()

			ix, err = Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			got := ids(t, ix)
			for _, id := range idsOf(before) {
				if _, ok := slices.BinarySearch(got, id); !ok {
					t.Fatalf("practice %s served before the failed write is gone", id)
				}
				p, err := ix.Get(ctx, id)
				if err != nil || !(strings.HasPrefix(p.Title, "Served ") || strings.HasPrefix(p.Title, "Rewritten ")) {
					t.Fatalf("practice %s after the failed write: %q, %v", id, p.Title, err)
				}
			}
			if len(got) >= len(next) {
				t.Errorf("%d practices after the failed write; the failed batch must not all be there", len(got))
			}
			ix.Close()
			if r, err := Check(ctx, dir); err != nil || !r.OK() {
				t.Errorf("Check after the failed write: %+v, %v", r, err)
			}
		})
	}
}

func jsonLine(t *testing.T, p Practice) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// killEnv names the step at which the child process of
// TestKillDuringRecover kills itself; indexEnv its index.
const (
	killEnv  = "BE_CHILD_RECOVER_KILL_AT"
	indexEnv = "BE_CHILD_RECOVER_INDEX"
)

// TestHelperRecoverKilled is not a test: run as a child process by
// TestKillDuringRecover, it runs Recover and sends itself SIGKILL at the
// step named in its environment.
func TestHelperRecoverKilled(t *testing.T) {
	step, dir := os.Getenv(killEnv), os.Getenv(indexEnv)
	if step == "" {
		t.Skip("child process only")
	}
	kill := func() { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL); select {} }
	if step == "mid-fill" {
		orig := applyBatch
		var calls atomic.Int64
		applyBatch = func(live bleve.Index, b *bleve.Batch) error {
			if calls.Add(1) == 2 {
				kill()
			}
			return orig(live, b)
		}
	} else {
		recoverStep = func(s string) {
			if s == step {
				kill()
			}
		}
	}
	_, err := Recover(t.Context(), dir)
	os.Stdout.WriteString("recover returned: " + errString(err) + "\n")
	os.Exit(3)
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// TestKillDuringRecover kills a process running Recover with SIGKILL
// while it fills the new index, after it filled it, after it moved the
// old one aside and after the swap: each time the index opens again with
// every practice, checks healthy and no rebuild directory is left.
func TestKillDuringRecover(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes: skipped with -short")
	}
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := faultPractices(600, "Practice")
	if err := ix.Upsert(ctx, ps); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	want := idsOf(ps)
	for _, step := range []string{"mid-fill", "filled", "moved-aside", "swapped"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRecoverKilled$", "-test.count=1")
		cmd.Env = append(os.Environ(), killEnv+"="+step, indexEnv+"="+dir)
		out, err := cmd.CombinedOutput()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("%s: child not killed (%v):\n%s", step, err, out)
		}
		ix, err := Open(dir)
		if err != nil {
			t.Fatalf("%s: Open after the kill: %v", step, err)
		}
		got := ids(t, ix)
		ix.Close()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d practices after the kill; want %d", step, len(got), len(want))
		}
		assertNoSiblings(t, dir)
		if r, err := Check(ctx, dir); err != nil || !r.OK() {
			t.Errorf("%s: Check after the kill: %+v, %v", step, r, err)
		}
	}
}
