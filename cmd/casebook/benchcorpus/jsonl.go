package benchcorpus

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSONL writes the n practices of the corpus for seed to w as JSON
// Lines, one practice a line, as `casebook import` reads them. It returns
// how many it wrote; it stops early with ctx's error when ctx ends.
func WriteJSONL(ctx context.Context, w io.Writer, n int, seed int64) (int, error) {
	seq, err := Generate(n, seed)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	written := 0
	for p := range seq {
		if written%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return written, err
			}
		}
		if err := enc.Encode(p); err != nil {
			return written, fmt.Errorf("benchcorpus: write practice %d: %w", written+1, err)
		}
		written++
	}
	if err := bw.Flush(); err != nil {
		return written, fmt.Errorf("benchcorpus: write: %w", err)
	}
	return written, nil
}
