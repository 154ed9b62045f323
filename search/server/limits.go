package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/search"
)

// MaxBody bounds the request body of every route; larger bodies get 413.
// Only the admin API reads bodies, and its limit is the same.
const MaxBody = MaxAdminBody

// maxQueryBytes is the most bytes a q within search.MaxQueryRunes may take.
const maxQueryBytes = search.MaxQueryRunes * utf8.UTFMax

// limitURI answers 414 to request URIs longer than MaxRequestURI, or 400
// naming q when the visitor's words alone are too long (a 5,000-word
// query is bad input, not a bad URI).
func (s *Server) limitURI(c *gin.Context) {
	if len(c.Request.RequestURI) <= MaxRequestURI {
		c.Next()
		return
	}
	if v, _ := url.ParseQuery(c.Request.URL.RawQuery); len(v.Get("q")) > maxQueryBytes {
		s.writeError(c, &search.ParamError{Param: "q",
			Message: fmt.Sprintf("q must be at most %d characters", search.MaxQueryRunes)})
		c.Abort()
		return
	}
	s.respondError(c, http.StatusRequestURITooLong, "uri_too_long",
		fmt.Sprintf("request URI longer than %d bytes", MaxRequestURI))
	c.Abort()
}

// limitBody answers 413 to a declared body over MaxBody and caps what any
// handler can read of an undeclared (chunked) one.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.ContentLength > MaxBody {
		s.respondError(c, http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("request body larger than %d bytes", MaxBody))
		c.Abort()
		return
	}
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBody)
	}
	c.Next()
}

// checkQuery answers 400 invalid_parameter when the query string is not
// valid URL encoding (a bad %-escape, a ';' separator, too many
// parameters) or a parameter name or value is not valid UTF-8. Handlers
// can then read parameters without losing any silently.
func (s *Server) checkQuery(c *gin.Context) {
	raw := c.Request.URL.RawQuery
	if raw == "" {
		c.Next()
		return
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		msg := "the query string is not valid URL encoding"
		var esc url.EscapeError
		if errors.As(err, &esc) {
			msg += fmt.Sprintf(" (bad escape %q)", string(esc))
		}
		s.writeError(c, &search.ParamError{Message: msg})
		c.Abort()
		return
	}
	for name, vals := range v {
		if !utf8.ValidString(name) {
			s.writeError(c, &search.ParamError{Message: "parameter names must be valid UTF-8"})
			c.Abort()
			return
		}
		for _, val := range vals {
			if !utf8.ValidString(val) {
				s.writeError(c, &search.ParamError{Param: name, Message: name + " must be valid UTF-8 text"})
				c.Abort()
				return
			}
		}
	}
	c.Next()
}
