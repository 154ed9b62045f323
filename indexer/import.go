package indexer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxImportLine is the longest line ImportJSONL accepts, newline excluded.
const MaxImportLine = 1 << 20

// ErrLineTooLong is reported by ImportJSONL for a line over MaxImportLine.
var ErrLineTooLong = fmt.Errorf("line longer than %d bytes", MaxImportLine)

// ImportJSONL reads JSON Lines, one practice (CONTRACT §3) per line, and
// upserts them in batches. Themes may be given as ids or as labels in any
// supported language, cities and countries in any known form. A bad line
// (invalid JSON, an invalid practice, a line over MaxImportLine) is
// reported to onError with its 1-based number and skipped; blank lines are
// ignored. It returns how many practices were imported; the error is
// non-nil only when reading r or writing the index fails, or ctx ends.
func ImportJSONL(ctx context.Context, ix *Index, r io.Reader, onError func(line int, err error)) (imported int, err error) {
	if onError == nil {
		onError = func(int, error) {}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var batch []Practice
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ix.Upsert(ctx, batch); err != nil {
			return err
		}
		imported += len(batch)
		batch = batch[:0]
		return nil
	}
	for lineNo := 1; ; lineNo++ {
		line, tooLong, rerr := readLine(br, MaxImportLine)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return imported, fmt.Errorf("import: read line %d: %w", lineNo, rerr)
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF")) // a UTF-8 byte order mark
		}
		if tooLong {
			onError(lineNo, ErrLineTooLong)
		} else if len(bytes.TrimSpace(line)) > 0 {
			p, perr := ParseImportLine(line)
			if perr != nil {
				onError(lineNo, perr)
			} else {
				batch = append(batch, p)
			}
		}
		if len(batch) >= batchSize {
			if err := flush(); err != nil {
				return imported, fmt.Errorf("import: %w", err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if err := ctx.Err(); err != nil {
			return imported, fmt.Errorf("import: %w", err)
		}
	}
	if err := flush(); err != nil {
		return imported, fmt.Errorf("import: %w", err)
	}
	return imported, nil
}

// ParseImportLine decodes one JSON Lines document into a normalised
// practice. Errors name what is wrong; invalid practices wrap ErrInvalid.
func ParseImportLine(line []byte) (Practice, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	var p Practice
	if err := dec.Decode(&p); err != nil {
		return Practice{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Practice{}, errors.New("invalid JSON: more than one value on the line")
	}
	n, err := Normalize(p)
	if err != nil {
		return Practice{}, err
	}
	return n, nil
}

// readLine reads up to the next newline. A line longer than max is read to
// its end and discarded: tooLong is true and line is nil. At the end of
// input err is io.EOF, possibly together with a last line.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			line = append(line, chunk...)
			if len(bytes.TrimRight(line, "\r\n")) > max {
				tooLong, line = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong {
			return nil, true, err
		}
		return bytes.TrimRight(line, "\r\n"), false, err
	}
}
