package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// recovery turns a panic into a 500 in the JSON error shape (HTML for
// pages) and logs it once.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.log.ErrorContext(c.Request.Context(), "panic", "route", c.FullPath(), "panic", fmt.Sprint(v))
		if !c.Writer.Written() {
			s.respondError(c, http.StatusInternalServerError, "internal", "internal error")
		}
		c.Abort()
	}()
	c.Next()
}

// logRequests logs one line per request: method, path (no query string,
// no headers), route template, status, duration, size and client address;
// the request id is added from the context (requestIDHandler).
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.InfoContext(c.Request.Context(), "request",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"route", routeLabel(c),
		"status", c.Writer.Status(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", c.Writer.Size(),
		"client", c.ClientIP(),
	)
}

// pageCSP allows the page its own stylesheet and nothing else.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets headers every answer carries.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Frame-Options", "DENY")
	c.Next()
}

// cors answers cross-origin requests to /api from the allowed origins: "*"
// gives a literal "*", an allowed origin is echoed with Vary: Origin.
// Credentials are never allowed. Preflight requests are answered here.
func (s *Server) cors(c *gin.Context) {
	if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Next()
		return
	}
	h := c.Writer.Header()
	origin := c.Request.Header.Get("Origin")
	allowed := ""
	switch {
	case s.anyOrig:
		allowed = "*"
	case origin != "" && s.origins[origin]:
		allowed = origin
	}
	if !s.anyOrig {
		h.Add("Vary", "Origin")
	}
	if allowed != "" && origin != "" {
		h.Set("Access-Control-Allow-Origin", allowed)
	}
	if c.Request.Method == http.MethodOptions && c.Request.Header.Get("Access-Control-Request-Method") != "" {
		if allowed != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
		}
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}
