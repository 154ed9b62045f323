package indexer

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func writeFile(name, content string) error {
	return os.WriteFile(name, []byte(content), 0o644)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func newLineReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 16) }
