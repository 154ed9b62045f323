package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/crawler/recrawl"
)

// Limits of the admin API.
const (
	MaxAdminBody      = 1 << 20          // larger request bodies get 413
	MaxBadTokens      = 100              // wrong tokens per client per BadTokenWindow before 429
	BadTokenWindow    = time.Minute      //
	SSEHeartbeat      = 15 * time.Second // comment line keeping an idle event stream open
	adminPathPrefix   = "/api/v1/admin/"
	adminDisabledText = "the admin API is disabled: set the environment variable named by server.admin_token_env to a secret token and restart casebook"
	readOnlyText      = "this server serves a read-only snapshot: start crawls and snapshots on the writer (docs/scaling.md)"
)

// admin holds the admin API's state.
type admin struct {
	tokenSum [sha256.Size]byte
	enabled  bool
	jobs     *recrawl.Runner

	mu  sync.Mutex
	bad map[string]*badTokens // client address → wrong tokens in the current window
	now func() time.Time
}

type badTokens struct {
	start time.Time
	n     int
}

func newAdmin(cfg Config) *admin {
	a := &admin{
		enabled: cfg.AdminToken != "" && cfg.Jobs != nil,
		jobs:    cfg.Jobs,
		bad:     map[string]*badTokens{},
		now:     time.Now,
	}
	a.tokenSum = sha256.Sum256([]byte(cfg.AdminToken))
	return a
}

func isAdminPath(p string) bool { return strings.HasPrefix(p, adminPathPrefix) }

// corsPublic is the CORS middleware for every route but the admin API,
// which never answers cross-origin requests.
func (s *Server) corsPublic(c *gin.Context) {
	if isAdminPath(c.Request.URL.Path) {
		c.Next()
		return
	}
	s.cors(c)
}

// adminAuth lets a request through only with the right bearer token. The
// token is compared in constant time (hashes of equal length); a token in
// the query string is refused, since URLs end up in logs and histories.
// A server over a read-only index (a replica) answers 403 read_only first:
// there is nothing to administer there, whatever the token.
func (s *Server) adminAuth(c *gin.Context) {
	a := s.admin
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	if s.index != nil && s.index.ReadOnly() {
		s.adminError(c, http.StatusForbidden, "read_only", readOnlyText)
		return
	}
	if !a.enabled {
		s.adminError(c, http.StatusForbidden, "admin_disabled", adminDisabledText)
		return
	}
	client := c.ClientIP()
	if wait := a.blocked(client); wait > 0 {
		h.Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		s.adminError(c, http.StatusTooManyRequests, "too_many_requests",
			fmt.Sprintf("too many wrong tokens from %s; try again later", client))
		return
	}
	q := c.Request.URL.Query()
	if q.Has("token") || q.Has("access_token") {
		a.fail(client)
		h.Set("WWW-Authenticate", `Bearer realm="casebook admin", error="invalid_request"`)
		s.adminError(c, http.StatusUnauthorized, "unauthorized",
			"send the token in the Authorization: Bearer header, never in the URL")
		return
	}
	auth := c.GetHeader("Authorization")
	scheme, token, found := strings.Cut(auth, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		h.Set("WWW-Authenticate", `Bearer realm="casebook admin"`)
		s.adminError(c, http.StatusUnauthorized, "unauthorized", "an admin token is required: Authorization: Bearer <token>")
		return
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(sum[:], a.tokenSum[:]) != 1 {
		a.fail(client)
		s.log.WarnContext(c.Request.Context(), "admin: wrong token", "client", client, "path", c.Request.URL.Path)
		h.Set("WWW-Authenticate", `Bearer realm="casebook admin", error="invalid_token"`)
		s.adminError(c, http.StatusUnauthorized, "unauthorized", "wrong admin token")
		return
	}
	c.Next()
}

// blocked returns how long client must wait when it sent MaxBadTokens
// wrong tokens in the current window, else 0.
func (a *admin) blocked(client string) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.bad[client]
	if b == nil {
		return 0
	}
	left := BadTokenWindow - a.now().Sub(b.start)
	if left <= 0 {
		delete(a.bad, client)
		return 0
	}
	if b.n >= MaxBadTokens {
		return left
	}
	return 0
}

// fail counts a wrong token of client; stale windows of other clients are
// dropped now and then so the map stays small.
func (a *admin) fail(client string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if len(a.bad) > 1024 {
		for k, b := range a.bad {
			if now.Sub(b.start) >= BadTokenWindow {
				delete(a.bad, k)
			}
		}
	}
	b := a.bad[client]
	if b == nil || now.Sub(b.start) >= BadTokenWindow {
		b = &badTokens{start: now}
		a.bad[client] = b
	}
	b.n++
}

func (s *Server) adminError(c *gin.Context, status int, code, msg string) {
	c.AbortWithStatusJSON(status, apiError{Error: errorBody{Code: code, Message: msg}})
}

// crawlRequest is the body of POST /api/v1/admin/crawls.
type crawlRequest struct {
	Sources []string `json:"sources"`
	Full    bool     `json:"full"`
}

func (s *Server) adminStartCrawl(c *gin.Context) error {
	var req crawlRequest
	if !s.decodeAdminBody(c, &req, `{"sources": ["icc"], "full": false}`) {
		return nil
	}
	job, err := s.admin.jobs.Submit(recrawl.Request{Sources: req.Sources, Full: req.Full, Trigger: "api"})
	switch {
	case errors.Is(err, recrawl.ErrUnknownSource):
		c.AbortWithStatusJSON(http.StatusBadRequest, apiError{Error: errorBody{Code: "invalid_parameter",
			Message: fmt.Sprintf("%s; configured: %s", strings.TrimPrefix(err.Error(), "recrawl: "),
				strings.Join(s.admin.jobs.SourceNames(), ", ")), Param: "sources"}})
		return nil
	case errors.Is(err, recrawl.ErrBusy):
		s.adminError(c, http.StatusConflict, "conflict", "a crawl is already running; wait for it or cancel it: "+strings.TrimPrefix(err.Error(), "recrawl: "))
		return nil
	case errors.Is(err, recrawl.ErrClosed):
		s.adminError(c, http.StatusServiceUnavailable, "stopping", "the server is stopping")
		return nil
	case err != nil:
		return err
	}
	c.Header("Location", "/api/v1/admin/crawls/"+job.ID)
	c.JSON(http.StatusAccepted, job)
	return nil
}

// decodeAdminBody reads the optional JSON body of an admin request into v,
// refusing unknown fields, and answers 413 or 400 invalid_body itself
// (then it returns false). No body leaves v as it was.
func (s *Server) decodeAdminBody(c *gin.Context, v any, example string) bool {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, MaxAdminBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.adminError(c, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body larger than %d bytes", MaxAdminBody))
		return false
	case errors.Is(err, io.EOF): // no body
		return true
	case err != nil:
		s.adminError(c, http.StatusBadRequest, "invalid_body", "the body must be JSON like "+example+": "+err.Error())
		return false
	}
	if _, err := io.Copy(io.Discard, body); errors.As(err, &tooBig) {
		s.adminError(c, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body larger than %d bytes", MaxAdminBody))
		return false
	}
	return true
}

func (s *Server) adminListCrawls(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"crawls": s.admin.jobs.Jobs()})
	return nil
}

func (s *Server) adminGetCrawl(c *gin.Context) error {
	job, err := s.admin.jobs.Job(c.Param("id"))
	if err != nil {
		s.adminError(c, http.StatusNotFound, "not_found", "no such crawl")
		return nil
	}
	c.JSON(http.StatusOK, job)
	return nil
}

func (s *Server) adminCancelCrawl(c *gin.Context) error {
	job, err := s.admin.jobs.Cancel(c.Param("id"))
	switch {
	case errors.Is(err, recrawl.ErrNoJob):
		s.adminError(c, http.StatusNotFound, "not_found", "no such crawl")
	case errors.Is(err, recrawl.ErrFinished):
		s.adminError(c, http.StatusConflict, "conflict", "the crawl has already finished ("+string(job.Status)+")")
	case err != nil:
		return err
	default:
		c.JSON(http.StatusAccepted, job)
	}
	return nil
}

func (s *Server) adminSources(c *gin.Context) error {
	src, err := s.admin.jobs.Sources(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"sources": src})
	return nil
}

// adminCrawlEvents streams a job as Server-Sent Events: an "update" event
// with the whole job on every change, then "done" with the final job, and
// a comment line every SSEHeartbeat while nothing happens.
func (s *Server) adminCrawlEvents(c *gin.Context) error {
	id := c.Param("id")
	if _, err := s.admin.jobs.Job(id); err != nil {
		s.adminError(c, http.StatusNotFound, "not_found", "no such crawl")
		return nil
	}
	// The stream outlives the server's WriteTimeout.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{})
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	ctx := c.Request.Context()
	beat := time.NewTicker(SSEHeartbeat)
	defer beat.Stop()
	for {
		job, changed, err := s.admin.jobs.Watch(id)
		if err != nil {
			return nil // the job left the history; the client polls
		}
		b, err := json.Marshal(job)
		if err != nil {
			return fmt.Errorf("encode job: %w", err)
		}
		event := "update"
		if job.Status.Done() {
			event = "done"
		}
		if _, err := fmt.Fprintf(c.Writer, "event: %s\nid: %s\ndata: %s\n\n", event, job.ID, b); err != nil {
			return nil
		}
		c.Writer.Flush()
		if job.Status.Done() {
			return nil
		}
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				return nil
			case <-s.stopping: // the server shuts down; the client reconnects or polls
				return nil
			case <-changed:
				waiting = false
			case <-beat.C:
				if _, err := io.WriteString(c.Writer, ": still running\n\n"); err != nil {
					return nil
				}
				c.Writer.Flush()
			}
		}
	}
}
