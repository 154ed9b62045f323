package searchtest

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// Gate wraps the handlers of demo member sites. Once shut it lets a given
// number of requests through, then holds every request until its client
// gives up: a crawl that stays mid-way for as long as a test needs.
type Gate struct {
	shut    atomic.Bool
	pass    atomic.Int32
	blocked chan struct{}
	once    sync.Once
}

// NewGate returns an open gate.
func NewGate() *Gate { return &Gate{blocked: make(chan struct{})} }

// ShutAfter lets n more requests through, then holds the others.
func (g *Gate) ShutAfter(n int32) { g.pass.Store(n); g.shut.Store(true) }

// Blocked is closed when the first request is held.
func (g *Gate) Blocked() <-chan struct{} { return g.blocked }

// Wrap returns h behind the gate.
func (g *Gate) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.shut.Load() && g.pass.Add(-1) < 0 {
			g.once.Do(func() { close(g.blocked) })
			<-r.Context().Done()
			return
		}
		h.ServeHTTP(w, r)
	})
}
