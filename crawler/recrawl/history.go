package recrawl

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// historyFile is the JSON shape of the job history file.
type historyFile struct {
	Jobs []*Job `json:"jobs"` // oldest first
}

// loadHistory reads the job history; a missing file is an empty history.
func loadHistory(path string) ([]*Job, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("recrawl: read job history: %w", err)
	}
	var h historyFile
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("recrawl: job history %s is damaged (move it away to start afresh): %w", path, err)
	}
	return h.Jobs, nil
}

// saveLocked writes the history atomically: a temporary file in the same
// directory, synced, then renamed over the old one.
func (r *Runner) saveLocked() error {
	b, err := json.MarshalIndent(historyFile{Jobs: r.jobs}, "", "  ")
	if err != nil {
		return fmt.Errorf("recrawl: encode job history: %w", err)
	}
	path := r.cfg.HistoryFile
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("recrawl: save job history: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("recrawl: save job history: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("recrawl: save job history: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("recrawl: save job history: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("recrawl: save job history: %w", err)
	}
	return nil
}
