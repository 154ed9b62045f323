package indexer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// MaxImportLine is the longest line ImportJSONL accepts, newline excluded.
const MaxImportLine = 1 << 20

// ErrLineTooLong is reported by ImportJSONL for a line over MaxImportLine.
var ErrLineTooLong = fmt.Errorf("line longer than %d bytes", MaxImportLine)

// importBatchSize is how many practices go into one batch of
// ImportJSONL: larger than batchSize, since bigger segments cost less to
// build and merge, and an import is not waiting on a crawl.
const importBatchSize = 500

// importInFlight is how many batches ImportJSONL writes at once. While one
// batch's segment is built and made durable (one core), the next one is
// analysed (all cores) and the lines after it are parsed.
const importInFlight = 2

// ImportJSONL reads JSON Lines, one practice (CONTRACT §3) per line, and
// upserts them in batches. Themes may be given as ids or as labels in any
// supported language, cities and countries in any known form. A bad line
// (invalid JSON, an invalid practice, a line over MaxImportLine) is
// reported to onError with its 1-based number and skipped; blank lines are
// ignored. onError is called from one goroutine at a time, and not after
// ImportJSONL returns. It returns how many practices were imported; the
// error is non-nil only when reading r or writing the index fails, or ctx
// ends. A practice given twice is indexed as its last line says.
//
// Lines are read and normalised on one goroutine while up to
// importInFlight batches are written; every batch is durable once written.
// After an error, the batches that were written stay and imported counts
// their practices.
func ImportJSONL(ctx context.Context, ix *Index, r io.Reader, onError func(line int, err error)) (imported int, err error) {
	if onError == nil {
		onError = func(int, error) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan importBatch, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- readBatches(ctx, r, onError, batches)
	}()

	w := importWriter{ix: ix, slots: make(chan struct{}, importInFlight), inFlight: map[*importBatch]bool{}}
	var werr error
	for b := range batches {
		if werr == nil {
			werr = w.submit(ctx, b)
		}
		if werr != nil {
			cancel() // stop the reader; drain what it already sent
		}
	}
	if err := w.wait(); werr == nil {
		werr = err
	}
	rerr := <-readErr
	switch {
	case werr != nil:
		return w.imported, fmt.Errorf("import: %w", werr)
	case rerr != nil:
		return w.imported, fmt.Errorf("import: %w", rerr)
	}
	return w.imported, nil
}

// importBatch is a batch of documents ready to write.
type importBatch struct {
	docs []pendingDoc
	ids  map[string]bool
}

// readBatches reads r line by line and sends batches of importBatchSize
// documents to out. It returns the error that stopped it: reading r, or
// ctx.
func readBatches(ctx context.Context, r io.Reader, onError func(int, error), out chan<- importBatch) error {
	br := bufio.NewReaderSize(r, 64<<10)
	b := importBatch{ids: map[string]bool{}}
	send := func() error {
		if len(b.docs) == 0 {
			return nil
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		b = importBatch{ids: map[string]bool{}}
		return nil
	}
	for lineNo := 1; ; lineNo++ {
		line, tooLong, rerr := readLine(br, MaxImportLine)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return fmt.Errorf("read line %d: %w", lineNo, rerr)
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF")) // a UTF-8 byte order mark
		}
		if tooLong {
			onError(lineNo, ErrLineTooLong)
		} else if len(bytes.TrimSpace(line)) > 0 {
			if p, perr := ParseImportLine(line); perr != nil {
				onError(lineNo, perr)
			} else if d, _, derr := document(p); derr != nil {
				onError(lineNo, derr)
			} else {
				b.docs = append(b.docs, pendingDoc{id: p.ID, fields: d})
				b.ids[p.ID] = true
			}
		}
		if len(b.docs) >= importBatchSize {
			if err := send(); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return send()
}

// importWriter writes batches, up to cap(slots) at a time. A batch that
// holds a practice of a batch still being written waits for the writes
// in flight to end, so that the later line wins.
type importWriter struct {
	ix    *Index
	slots chan struct{}
	wg    sync.WaitGroup

	mu       sync.Mutex
	inFlight map[*importBatch]bool
	imported int
	err      error
}

func (w *importWriter) submit(ctx context.Context, b importBatch) error {
	if w.overlaps(b.ids) {
		if err := w.wait(); err != nil {
			return err
		}
	}
	select {
	case w.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	w.mu.Lock()
	if err := w.err; err != nil {
		w.mu.Unlock()
		<-w.slots
		return err
	}
	w.inFlight[&b] = true
	w.mu.Unlock()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		err := w.ix.writeSized(ctx, b.docs, nil, importBatchSize)
		w.mu.Lock()
		delete(w.inFlight, &b)
		if err != nil && w.err == nil {
			w.err = err
		} else if err == nil {
			w.imported += len(b.docs)
		}
		w.mu.Unlock()
		<-w.slots
	}()
	return nil
}

// overlaps reports whether a batch being written holds one of ids.
func (w *importWriter) overlaps(ids map[string]bool) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for other := range w.inFlight {
		for id := range ids {
			if other.ids[id] {
				return true
			}
		}
	}
	return false
}

// wait waits for the batches in flight and returns the first error of any
// batch written so far.
func (w *importWriter) wait() error {
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
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
