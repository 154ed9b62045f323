package indexer

import "errors"

var (
	// ErrNotFound is returned by Get when no practice has the id.
	ErrNotFound = errors.New("indexer: practice not found")
	// ErrLocked is returned by Open when the index directory is held by
	// another process or by another open Index in this process.
	ErrLocked = errors.New("index in use")
	// ErrInvalid is wrapped by Normalize (and everything calling it) when a
	// practice lacks what makes it a practice; the message names the field.
	ErrInvalid = errors.New("invalid practice")
	// ErrClosed is returned by methods of an Index after Close.
	ErrClosed = errors.New("indexer: index closed")
	// ErrCorrupt is wrapped by Open, Check and Recover when the index
	// directory holds an index that cannot be read: a truncated or
	// garbled segment or root.bolt, a missing index_meta.json. The error
	// names the directory; Recover rebuilds what can still be read.
	ErrCorrupt = errors.New("index damaged")
)
