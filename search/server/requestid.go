package server

import (
	"context"
	"crypto/rand"
	"log/slog"

	"github.com/gin-gonic/gin"
)

// RequestIDHeader carries a request's id: a sane incoming one is kept (a
// load balancer's or a caller's), anything else is replaced by a fresh one,
// and the answer always carries the id used.
const RequestIDHeader = "X-Request-ID"

// MaxRequestID is the longest incoming request id kept.
const MaxRequestID = 128

type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, "" outside one.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// validRequestID accepts 1..MaxRequestID characters of letters, digits and
// - _ . : + / = @ (UUIDs, hex, base64, "trace:span" forms): nothing that
// could forge a log line, a header or markup.
func validRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case b == '-', b == '_', b == '.', b == ':', b == '+', b == '/', b == '=', b == '@':
		default:
			return false
		}
	}
	return true
}

// requestID gives the request its id (see RequestIDHeader), echoes it and
// puts it in the request's context, where every log line written with
// that context (access log included) picks it up as request_id.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(RequestIDHeader)
	if !validRequestID(id) {
		id = rand.Text() // 26 characters, 128 random bits
	}
	c.Header(RequestIDHeader, id)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey{}, id))
	c.Next()
}

// requestIDHandler adds request_id to every record logged with a context
// that carries one.
type requestIDHandler struct{ slog.Handler }

// withRequestID wraps h unless it is wrapped already.
func withRequestID(h slog.Handler) slog.Handler {
	if _, ok := h.(requestIDHandler); ok {
		return h
	}
	return requestIDHandler{h}
}

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
