package main

import (
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"
)

// logFormatEnv overrides the log format: "json" or "text".
const logFormatEnv = "CASEBOOK_LOG_FORMAT"

// newLogger logs to w at level: as JSON lines (slog.JSONHandler) when w is
// not a terminal — a container, systemd, a pipe, a file — and as
// key=value text on a terminal, unless CASEBOOK_LOG_FORMAT says json or
// text. The server adds request_id to the lines of a request.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if logJSON(w, os.Getenv(logFormatEnv)) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logJSON decides the format; an unknown format value counts as unset.
func logJSON(w io.Writer, format string) bool {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "json":
		return true
	case "text":
		return false
	}
	f, ok := w.(*os.File)
	return !ok || !term.IsTerminal(int(f.Fd()))
}
