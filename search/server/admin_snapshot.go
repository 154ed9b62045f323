package server

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/indexer"
)

// MaxSnapshotName is the longest snapshot name POST /api/v1/admin/snapshots
// accepts.
const MaxSnapshotName = 64

const snapshotsDisabledText = "snapshots through the admin API are disabled: set server.snapshot_dir to the directory " +
	"snapshots are written to and restart casebook"

var snapshotNameChars = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// snapshots writes the snapshots asked for through the admin API, one at a
// time, into one directory.
type snapshots struct {
	dir string     // Config.SnapshotDir; "" = disabled
	mu  sync.Mutex // held while a snapshot is written
}

// snapshotRequest is the body of POST /api/v1/admin/snapshots.
type snapshotRequest struct {
	Name string `json:"name"`
}

// snapshotAnswer is the 201 answer of POST /api/v1/admin/snapshots.
type snapshotAnswer struct {
	Name      string `json:"name"`
	Dir       string `json:"dir"`       // on the server's file system
	Documents uint64 `json:"documents"` // practices in the snapshot, counted by opening it
	Bytes     int64  `json:"bytes"`
}

// checkSnapshotName says what is wrong with a snapshot name, or "". A name
// is one directory entry: [A-Za-z0-9._-]{1,64}, not starting with a dot
// (no ".", "..", hidden entries) and not ending in ".tmp", which names the
// directory a snapshot is written to before it is moved into place (and
// which indexer.Snapshot removes when left over).
func checkSnapshotName(name string) string {
	switch {
	case name == "":
		return `name is required, e.g. {"name": "2026-11-23"}`
	case len(name) > MaxSnapshotName:
		return fmt.Sprintf("name must be at most %d characters", MaxSnapshotName)
	case !snapshotNameChars.MatchString(name):
		return "name may only hold letters A-Z a-z, digits, '.', '_' and '-'"
	case strings.HasPrefix(name, "."), strings.Contains(name, ".."):
		return "name must not start with a dot or contain '..'"
	case strings.HasSuffix(name, ".tmp"):
		return "name must not end in .tmp (the suffix of snapshots being written)"
	}
	return ""
}

// adminSnapshot writes a consistent copy of the served index to
// <snapshot_dir>/<name> while searches and crawls go on (indexer
// Index.Snapshot), for read-only replicas and backups.
func (s *Server) adminSnapshot(c *gin.Context) error {
	sn := s.snapshots
	if sn.dir == "" {
		s.adminError(c, http.StatusForbidden, "snapshots_disabled", snapshotsDisabledText)
		return nil
	}
	var req snapshotRequest
	if !s.decodeAdminBody(c, &req, `{"name": "2026-11-23"}`) {
		return nil
	}
	if msg := checkSnapshotName(req.Name); msg != "" {
		c.AbortWithStatusJSON(http.StatusBadRequest, apiError{Error: errorBody{Code: "invalid_parameter", Message: msg, Param: "name"}})
		return nil
	}
	if !sn.mu.TryLock() {
		s.adminError(c, http.StatusConflict, "conflict", "another snapshot is being written; try again when it is done")
		return nil
	}
	defer sn.mu.Unlock()
	dest := filepath.Join(sn.dir, req.Name)
	exists := func() bool { _, err := os.Lstat(dest); return !errors.Is(err, fs.ErrNotExist) }
	if exists() {
		s.adminError(c, http.StatusConflict, "snapshot_exists",
			fmt.Sprintf("snapshot %q exists already in %s; choose another name", req.Name, sn.dir))
		return nil
	}
	// A large index takes longer to copy than the server's write timeout.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{})
	start := time.Now()
	info, err := s.index.Snapshot(c.Request.Context(), dest)
	switch {
	case errors.Is(err, indexer.ErrSnapshotDest) && exists(): // made by someone else meanwhile
		s.adminError(c, http.StatusConflict, "snapshot_exists",
			fmt.Sprintf("snapshot %q exists already in %s; choose another name", req.Name, sn.dir))
		return nil
	case errors.Is(err, indexer.ErrClosed):
		s.adminError(c, http.StatusServiceUnavailable, "stopping", "the server is stopping")
		return nil
	case err != nil:
		return fmt.Errorf("admin snapshot %s: %w", req.Name, err)
	}
	s.log.InfoContext(c.Request.Context(), "admin: snapshot written", "dir", info.Dir, "documents", info.Docs,
		"bytes", info.Bytes, "took", time.Since(start).Round(time.Millisecond))
	c.JSON(http.StatusCreated, snapshotAnswer{Name: req.Name, Dir: info.Dir, Documents: info.Docs, Bytes: info.Bytes})
	return nil
}
