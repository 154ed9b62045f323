package indexer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyzersGolden runs every text analyzer over every file of
// testdata/analysis (demo pages in en, fr and de and a file of edge cases)
// and compares the token stream (term, position, start, end — the offsets
// are 0 since casebook_no_offsets ends every analyzer) with
// testdata/analysis/<file>.golden. Indexes built earlier and the search
// accelerator rely on these streams staying exactly the same; run with
// -update only when a change of analysis is intended.
func TestAnalyzersGolden(t *testing.T) {
	im, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := filepath.Glob(filepath.Join("testdata", "analysis", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no inputs in testdata/analysis")
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			text, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			for _, name := range Analyzers() {
				a := im.AnalyzerNamed(name)
				if a == nil {
					t.Fatalf("analyzer %s not defined", name)
				}
				fmt.Fprintf(&got, "# %s\n", name)
				for _, tok := range a.Analyze(text) {
					fmt.Fprintf(&got, "%s %d %d %d\n", tok.Term, tok.Position, tok.Start, tok.End)
				}
			}
			golden := strings.TrimSuffix(in, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("token streams differ from %s:\n%s", golden, firstDiff(string(want), got.String()))
			}
		})
	}
}

// firstDiff describes the first line where got differs from want.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	section := ""
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if strings.HasPrefix(w, "# ") {
			section = w
		}
		if w != g {
			return fmt.Sprintf("%s line %d: want %q, got %q", section, i+1, w, g)
		}
	}
	return "no difference"
}
