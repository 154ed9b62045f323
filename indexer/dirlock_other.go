//go:build !unix

package indexer

import "time"

// dirLock does nothing where flock(2) is missing: the index's own bbolt
// lock still keeps a second process out, but a rebuild's directory swap is
// not guarded against another process opening the index at that moment.
type dirLock struct{}

func lockDir(key string, wait time.Duration) (*dirLock, error) { return &dirLock{}, nil }

func (l *dirLock) unlock() error { return nil }
