package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
)

func TestTimeoutDefaults(t *testing.T) {
	got := Timeouts{Write: time.Second}.withDefaults()
	want := Timeouts{ReadHeader: ReadHeaderTimeout, Read: ReadTimeout, Write: time.Second, Idle: IdleTimeout, Shutdown: ShutdownTimeout}
	if got != want {
		t.Errorf("withDefaults = %+v; want %+v", got, want)
	}
	if ReadHeaderTimeout <= 0 || ReadTimeout <= 0 || WriteTimeout <= 0 || IdleTimeout <= 0 || MaxHeaderBytes <= 0 {
		t.Errorf("a server default is unset")
	}
}

// TestServeFinishesInFlight: when Serve's ctx ends (SIGTERM in casebook
// serve), new connections are refused while a search already in the
// handler still gets its full answer, and Serve returns nil.
func TestServeFinishesInFlight(t *testing.T) {
	s, err := New(Config{Engine: search.New(searchtest.Index(t)), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	apiSearch := s.handle(s.apiSearch)
	s.router.GET("/held", func(c *gin.Context) {
		close(entered)
		<-release
		apiSearch(c)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	type answer struct {
		status int
		total  uint64
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/held?q=Lisbon")
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer res.Body.Close()
		var r struct{ Total uint64 }
		err = json.NewDecoder(res.Body).Decode(&r)
		got <- answer{res.StatusCode, r.Total, err}
	}()
	<-entered
	cancel()
	// The listener closes: new clients are turned away.
	guard := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(guard) {
			t.Fatal("the listener still accepts after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	a := <-got
	if a.err != nil || a.status != http.StatusOK || a.total == 0 {
		t.Errorf("in-flight search: status %d, total %d, err %v; want 200 with hits", a.status, a.total, a.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v; want nil after a clean shutdown", err)
	}
}
