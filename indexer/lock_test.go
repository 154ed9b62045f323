package indexer

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// holdEnv names the index directory a helper process opens and holds.
const holdEnv = "CASEBOOK_INDEXER_HOLD_DIR"

// TestHelperHoldIndex is not a test: run as a subprocess by
// TestOpenLockedByOtherProcess, it opens the index, says "ready" and holds
// the index until its stdin closes.
func TestHelperHoldIndex(t *testing.T) {
	dir := os.Getenv(holdEnv)
	if dir == "" {
		t.Skip("helper process only")
	}
	ix, err := Open(dir)
	if err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("ready\n")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
	ix.Close()
	os.Exit(0)
}

func TestOpenLockedByOtherProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir) // create it, then let the other process hold it
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldIndex$", "-test.count=1")
	cmd.Env = append(os.Environ(), holdEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper process: %q, %v", line, err)
	}

	_, err = Open(dir)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Open while another process holds the index: err = %v; want ErrLocked", err)
	}
	if want := "index in use: " + dir; err.Error() != want {
		t.Errorf("error message %q; want %q", err.Error(), want)
	}

	// Once the other process lets go, the index opens again.
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper process: %v", err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatalf("Open after the other process closed: %v", err)
	}
	ix.Close()
}
