// Package positions is the compact form in which casebook stores where each
// term of a practice's text fields stands, instead of Bleve's term vectors.
//
// Bleve keeps a term vector entry (field, position, start, end, array
// positions: five varints) for every word occurrence of a field indexed
// with term vectors, which made them a third of the index. casebook reads
// only the positions (phrases, proximity and the in-memory copy of
// package memindex), so the indexer analyses each text field itself and
// stores, next to the practice, one blob per document:
//
//	blob    = version(1 byte, 0x01) section*
//	section = uvarint(len(field)) field uvarint(len(body)) body
//	body    = term*   for every distinct term of the field, in ascending byte order
//	term    = uvarint(first<<1 | more) [uvarint(freq-2) if more] uvarint(gap)*
//
// where first is the term's first position, more is 1 when the term occurs
// more than once, and the freq-1 gaps (each >= 0) lead to the next
// positions. Most terms occur once in a field: they take one varint.
//
// The terms themselves are not stored: a reader walks the field's term
// dictionary in its (ascending byte) order and takes the next term of a
// document's section each time the document appears in a posting list,
// checking that the frequencies agree.
package positions

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Version is the first byte of every blob this package writes.
const Version = 0x01

// ErrCorrupt is wrapped by every error about a blob that cannot be read.
var ErrCorrupt = errors.New("positions: corrupt blob")

// Token is one occurrence of a term: its term and its 1-based position.
type Token struct {
	Term     []byte
	Position int
}

// Encoder builds a blob field by field. The zero value is ready; Reset
// makes it reusable.
type Encoder struct {
	buf   []byte
	order []int
	body  []byte
}

// Reset empties the encoder.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

// AddField appends the section of field, built from its tokens (any order).
// A field without tokens adds nothing.
func (e *Encoder) AddField(field string, tokens []Token) {
	if len(tokens) == 0 {
		return
	}
	if len(e.buf) == 0 {
		e.buf = append(e.buf, Version)
	}
	e.order = e.order[:0]
	for i := range tokens {
		e.order = append(e.order, i)
	}
	slices.SortFunc(e.order, func(a, b int) int {
		if c := compareBytes(tokens[a].Term, tokens[b].Term); c != 0 {
			return c
		}
		return tokens[a].Position - tokens[b].Position
	})
	body := e.body[:0]
	for i := 0; i < len(e.order); {
		term := tokens[e.order[i]].Term
		j := i + 1
		for j < len(e.order) && string(tokens[e.order[j]].Term) == string(term) {
			j++
		}
		first := uint64(max(tokens[e.order[i]].Position, 0))
		if j-i == 1 {
			body = binary.AppendUvarint(body, first<<1)
		} else {
			body = binary.AppendUvarint(body, first<<1|1)
			body = binary.AppendUvarint(body, uint64(j-i-2))
		}
		prev := int(first)
		for k := i + 1; k < j; k++ {
			p := max(tokens[e.order[k]].Position, 0)
			body = binary.AppendUvarint(body, uint64(p-prev))
			prev = p
		}
		i = j
	}
	e.body = body
	e.buf = binary.AppendUvarint(e.buf, uint64(len(field)))
	e.buf = append(e.buf, field...)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(body)))
	e.buf = append(e.buf, body...)
}

// Bytes returns the blob: nil when no field had tokens. It is valid until
// the next call on e.
func (e *Encoder) Bytes() []byte {
	if len(e.buf) == 0 {
		return nil
	}
	return e.buf
}

func compareBytes(a, b []byte) int {
	switch {
	case string(a) < string(b):
		return -1
	case string(a) > string(b):
		return 1
	}
	return 0
}

// Sections calls fn with each field's section body of blob, in the order
// written. The body is a subslice of blob.
func Sections(blob []byte, fn func(field string, body []byte) error) error {
	if len(blob) == 0 {
		return nil
	}
	if blob[0] != Version {
		return fmt.Errorf("%w: version %#x, want %#x", ErrCorrupt, blob[0], Version)
	}
	rest := blob[1:]
	for len(rest) > 0 {
		name, r, err := chunk(rest)
		if err != nil {
			return fmt.Errorf("%w: field name: %v", ErrCorrupt, err)
		}
		body, r, err := chunk(r)
		if err != nil {
			return fmt.Errorf("%w: field %q: %v", ErrCorrupt, name, err)
		}
		rest = r
		if err := fn(string(name), body); err != nil {
			return err
		}
	}
	return nil
}

func chunk(b []byte) (data, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, errors.New("bad length")
	}
	if n > uint64(len(b)-k) {
		return nil, nil, fmt.Errorf("length %d past the end", n)
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// Next reads the next term of a section body: its positions are appended
// to dst (ascending). It returns the remaining body. The frequency is the
// number of positions appended.
func Next(body []byte, dst []uint32) ([]uint32, []byte, error) {
	head, k := binary.Uvarint(body)
	if k <= 0 {
		return dst, nil, fmt.Errorf("%w: term position", ErrCorrupt)
	}
	body = body[k:]
	pos := head >> 1
	if pos > 1<<31 {
		return dst, nil, fmt.Errorf("%w: position %d", ErrCorrupt, pos)
	}
	dst = append(dst, uint32(pos))
	if head&1 == 0 {
		return dst, body, nil
	}
	more, k := binary.Uvarint(body)
	if k <= 0 {
		return dst, nil, fmt.Errorf("%w: term frequency", ErrCorrupt)
	}
	body = body[k:]
	// freq-2 was written and freq-1 positions follow, a byte each at
	// least (compared before adding one, which could wrap around).
	if more >= uint64(len(body)) {
		return dst, nil, fmt.Errorf("%w: frequency past the end", ErrCorrupt)
	}
	more++
	for range more {
		gap, k := binary.Uvarint(body)
		if k <= 0 {
			return dst, nil, fmt.Errorf("%w: position", ErrCorrupt)
		}
		body = body[k:]
		pos += gap
		if pos > 1<<31 {
			return dst, nil, fmt.Errorf("%w: position %d", ErrCorrupt, pos)
		}
		dst = append(dst, uint32(pos))
	}
	return dst, body, nil
}
