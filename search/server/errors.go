package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

// apiError is the JSON error shape of CONTRACT §5.
type apiError struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
}

// statusOf is the one error → status map.
func statusOf(err error) (status int, code, message string) {
	var pe *search.ParamError
	switch {
	case errors.As(err, &pe):
		return http.StatusBadRequest, "invalid_parameter", pe.Message
	case errors.Is(err, indexer.ErrNotFound):
		return http.StatusNotFound, "not_found", "no such practice"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "timeout", "the search took too long"
	case errors.Is(err, context.Canceled):
		return 499, "canceled", "request canceled"
	}
	return http.StatusInternalServerError, "internal", "internal error"
}

// handle adapts an API handler returning an error; the error is answered
// in the JSON shape and logged once when it is a server fault.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

func (s *Server) writeError(c *gin.Context, err error) {
	status, code, msg := statusOf(err)
	if status >= http.StatusInternalServerError {
		s.log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "err", err)
	}
	var pe *search.ParamError
	if errors.As(err, &pe) && isAPI(c) {
		c.JSON(status, apiError{Error: errorBody{Code: code, Message: msg, Param: pe.Param}})
		return
	}
	s.respondError(c, status, code, msg)
}

// respondError answers an error as JSON under /api and as an HTML page
// elsewhere.
func (s *Server) respondError(c *gin.Context, status int, code, msg string) {
	if isAPI(c) {
		c.JSON(status, apiError{Error: errorBody{Code: code, Message: msg}})
		return
	}
	s.renderError(c, status, msg)
}

func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz"
}

func (s *Server) notFound(c *gin.Context) {
	s.respondError(c, http.StatusNotFound, "not_found", "not found")
}
