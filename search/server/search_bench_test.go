package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
	"github.com/casebook-project/casebook/search/searchtest"
	"github.com/casebook-project/casebook/search/server"
)

// benchPractices is the size of the generated corpus BenchmarkSearchHTTP
// serves: enough for realistic hits, snippets and facet counts, small
// enough to build in a few seconds.
const benchPractices = 3000

// benchSearches are searches as the widget sends them: top 10 with
// snippets and the counts of city, theme and lang, 1–3 words in the three
// languages, a phrase, some filters.
var benchSearches = []string{
	"/api/v1/search?q=integration&ui=en&size=10&facets=city,theme,lang",
	"/api/v1/search?q=housing+refugees&ui=en&size=10&facets=city,theme,lang",
	"/api/v1/search?q=%22language+courses%22&ui=en&size=10&facets=city,theme,lang",
	"/api/v1/search?q=youth+school+mediation&ui=en&size=10&facets=city,theme,lang&lang=en",
	"/api/v1/search?q=logement&ui=fr&size=10&facets=city,theme,lang",
	"/api/v1/search?q=m%C3%A9diation+quartier&ui=fr&size=10&facets=city,theme,lang&city=Lisbon",
	"/api/v1/search?q=%22conseil+municipal%22&ui=fr&size=10&facets=city,theme,lang",
	"/api/v1/search?q=Wohnen&ui=de&size=10&facets=city,theme,lang",
	"/api/v1/search?q=Integration+Sprache&ui=de&size=10&facets=city,theme,lang&year_from=2010",
	"/api/v1/search?q=Gefl%C3%BCchtete+Kinder+Schule&ui=de&size=10&facets=city,theme,lang&theme=education",
}

// benchEngine returns an engine over ix, its in-memory copy built, with or
// without its result cache.
func benchEngine(b *testing.B, ix *indexer.Index, cached bool) *search.Engine {
	b.Helper()
	eng := search.New(ix)
	if !cached {
		eng.DisableResultCache()
	}
	if err := eng.Warm(context.Background()); err != nil {
		b.Fatal(err)
	}
	return eng
}

// BenchmarkSearchHTTP measures one search request of benchSearches in
// turn (b.N in all) over a real index: the engine alone (engine), the
// whole gin handler into an httptest.ResponseRecorder (handler), and a real
// loopback listener with one Go client (loopback); the -cached variants
// keep the engine's result cache on, which leaves the server's own cost.
// handler minus engine is the per-request cost of the server.
//
//	go test -run=- -bench=SearchHTTP -count=8 ./search/server
func BenchmarkSearchHTTP(b *testing.B) {
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the engine's start-up lines
	ix := searchtest.Generated(b, benchPractices, 7)
	eng := benchEngine(b, ix, false)
	cachedEng := benchEngine(b, ix, true)
	newServer := func(eng *search.Engine) *server.Server {
		s, err := server.New(server.Config{Engine: eng, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	reqs := make([]search.Request, len(benchSearches))
	for i, u := range benchSearches {
		r := httptest.NewRequest(http.MethodGet, u, nil)
		req, err := search.ParseRequest(r.URL.Query(), "")
		if err != nil {
			b.Fatal(err)
		}
		reqs[i] = req
	}

	b.Run("engine", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := eng.Search(ctx, reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	serveRecorder := func(b *testing.B, h http.Handler) {
		reqs := make([]*http.Request, len(benchSearches))
		for i, u := range benchSearches {
			reqs[i] = httptest.NewRequest(http.MethodGet, u, nil)
			reqs[i].RemoteAddr = "192.0.2.1:1234"
			h.ServeHTTP(httptest.NewRecorder(), reqs[i]) // warm-up: fills the result cache when it is on
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, reqs[i%len(reqs)])
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d %s", benchSearches[i%len(reqs)], rec.Code, rec.Body)
			}
		}
	}
	b.Run("handler", func(b *testing.B) { serveRecorder(b, newServer(eng).Handler()) })
	b.Run("handler-cached", func(b *testing.B) { serveRecorder(b, newServer(cachedEng).Handler()) })
	serveLoopback := func(b *testing.B, s *server.Server) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := s.Serve(ctx, ln); err != nil {
				b.Error(err)
			}
		})
		defer wg.Wait()
		defer cancel()
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
		base := "http://" + ln.Addr().String()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			u := base + benchSearches[i%len(benchSearches)]
			res, err := client.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK {
				b.Fatalf("%s: %d %v", u, res.StatusCode, err)
			}
		}
	}
	b.Run("loopback", func(b *testing.B) { serveLoopback(b, newServer(eng)) })
	b.Run("loopback-cached", func(b *testing.B) { serveLoopback(b, newServer(cachedEng)) })
}
