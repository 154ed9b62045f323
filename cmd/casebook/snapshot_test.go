package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSnapshotUsage(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	if code, out, stderr := runCmd(t, "import", "--config", indexConfig(t, live), writeJSONL(t, "p", 2)); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, stderr)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"index", "snapshot", "--index", live}, 2, "destination"},
		{[]string{"index", "snapshot", "--index", live, "a", "b"}, 2, "unexpected argument"},
		{[]string{"index", "snapshot", "--index", filepath.Join(t.TempDir(), "none"), filepath.Join(t.TempDir(), "s")}, 1, "no index at"},
		{[]string{"index", "snapshot", "--index", live, full}, 1, "not empty"},
		{[]string{"index", "snapshot", "--index", live, filepath.Join(live, "inside")}, 1, "inside the index"},
	} {
		code, _, stderr := runCmd(t, test.args...)
		if code != test.wantCode || !strings.Contains(stderr, test.wantErr) {
			t.Errorf("%v = exit %d %q; want %d and %q", test.args, code, stderr, test.wantCode, test.wantErr)
		}
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("a refused snapshot changed %s: %d entries", full, len(entries))
	}
}

// While `casebook serve` holds the live index, the snapshot command says
// so instead of copying files under the writer.
func TestSnapshotWhileServed(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	cfg := indexConfig(t, live)
	if code, out, stderr := runCmd(t, "import", "--config", cfg, writeJSONL(t, "p", 2)); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, stderr)
	}
	startCmd(t, servingURL, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	dest := filepath.Join(t.TempDir(), "snap")
	code, _, stderr := runCmd(t, "index", "snapshot", "--config", cfg, dest)
	if code != 1 || !strings.Contains(stderr, "in use") {
		t.Errorf("snapshot of a served index = exit %d %q; want 1 and 'in use'", code, stderr)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("%s exists after a refused snapshot: %v", dest, err)
	}
}
