package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// Outcome says what Session.Put did with a practice.
type Outcome int

const (
	OutcomeAdded     Outcome = iota + 1 // the source did not have this practice
	OutcomeUpdated                      // the practice changed
	OutcomeUnchanged                    // same content as indexed; nothing written
)

func (o Outcome) String() string {
	switch o {
	case OutcomeAdded:
		return "added"
	case OutcomeUpdated:
		return "updated"
	case OutcomeUnchanged:
		return "unchanged"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// loadPageSize is how many known documents Begin reads per search.
const loadPageSize = 1000

// FetchState is what the crawler learnt when it last fetched a practice's
// page: the URL it fetched (after redirects, which may differ from the
// practice's canonical URL), the validators the server sent and when.
// Session stores it beside the practice (not in the Practice JSON) so that
// the next crawl can ask "changed since?" with a conditional GET.
type FetchState struct {
	URL          string    `json:"url,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Fetched      time.Time `json:"fetched,omitzero"`
	// Alternates are the page's hreflang alternates at that fetch. A crawl
	// that finds the page unchanged (304, sitemap lastmod) never parses it,
	// so these are what still leads it to the translations: without them a
	// translation linked only from an unchanged page would go unvisited and
	// be removed as vanished.
	Alternates []string `json:"alternates,omitempty"`
}

// IsZero reports whether st holds nothing.
func (st FetchState) IsZero() bool {
	return st.URL == "" && st.ETag == "" && st.LastModified == "" && st.Fetched.IsZero() && len(st.Alternates) == 0
}

// sameValidators reports whether a and b would send the same conditional
// request; the fetch time alone does not make a state worth rewriting.
func (a FetchState) sameValidators(b FetchState) bool {
	return a.URL == b.URL && a.ETag == b.ETag && a.LastModified == b.LastModified &&
		slices.Equal(a.Alternates, b.Alternates)
}

// knownDoc is what a session knows of an indexed practice of its source.
type knownDoc struct {
	url, hash string
	state     FetchState
}

// Session records one crawl of one source: which practices were added,
// updated, left unchanged or kept, so that Finish can remove the ones that
// disappeared. Writes are buffered and flushed in batches. A Session is safe
// for concurrent use, though a crawl usually calls it from one goroutine.
type Session struct {
	ix     *Index
	source string

	mu      sync.Mutex
	known   map[string]knownDoc // id -> indexed url and hash, loaded by Begin
	byURL   map[string]string   // url -> id of known documents
	seen    map[string]bool     // ids Put or Kept in this session
	pending []pendingDoc
	done    bool
}

// Begin starts a session for source, loading the id, url and content hash
// of every practice the index holds for it.
func (ix *Index) Begin(ctx context.Context, source string) (*Session, error) {
	s := &Session{
		ix:     ix,
		source: source,
		known:  map[string]knownDoc{},
		byURL:  map[string]string{},
		seen:   map[string]bool{},
	}
	q := bleve.NewTermQuery(source)
	q.SetField(FieldSource)
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, loadPageSize, 0, false)
		req.Fields = []string{FieldURL, FieldHash, FieldFetch}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := ix.search(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("begin %s: load known practices: %w", source, err)
		}
		for _, h := range res.Hits {
			k := knownDoc{url: stringField(h, FieldURL), hash: stringField(h, FieldHash)}
			if raw := stringField(h, FieldFetch); raw != "" {
				// A state that does not decode only costs a full fetch.
				_ = json.Unmarshal([]byte(raw), &k.state)
			}
			s.known[h.ID] = k
			s.indexURLs(h.ID, k)
		}
		if len(res.Hits) < loadPageSize {
			return s, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return nil, ErrClosed
	}
	return ix.alias.SearchInContext(ctx, req)
}

func stringField(h *search.DocumentMatch, name string) string {
	s, _ := h.Fields[name].(string)
	return s
}

// indexURLs makes the known document id findable by its canonical URL and
// by the URL it was last fetched from.
func (s *Session) indexURLs(id string, k knownDoc) {
	if k.url != "" {
		s.byURL[k.url] = id
	}
	if k.state.URL != "" {
		s.byURL[k.state.URL] = id
	}
}

// Known returns the fetch state of the source's practice whose canonical
// URL, or the URL its page was last fetched from, is url. ok is false when
// the source has no such practice; a practice indexed without a fetch
// state (imported, or indexed before fetch states were kept) gives ok
// with a zero state.
func (s *Session) Known(url string) (FetchState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byURL[url]
	if !ok {
		return FetchState{}, false
	}
	k, ok := s.known[id]
	return k.state, ok
}

// Source returns the name of the source the session records.
func (s *Session) Source() string { return s.source }

// Put normalises p and, unless an identical practice is indexed, writes it
// with st, the fetch state of its page. A practice without a source gets
// the session's; one naming another source is refused with ErrInvalid.
// An unchanged practice whose validators (URL, ETag, Last-Modified)
// changed is rewritten to store the new state and still reported
// OutcomeUnchanged; when only the fetch time differs nothing is written,
// so st.Fetched stays the time the stored validators were first seen.
func (s *Session) Put(ctx context.Context, p Practice, st FetchState) (Outcome, error) {
	if p.Source == "" {
		p.Source = s.source
	}
	n, err := Normalize(p)
	if err != nil {
		return 0, fmt.Errorf("put: %w", err)
	}
	if n.Source != s.source {
		return 0, fmt.Errorf("put %s: %w: source %q in a session of source %q", n.ID, ErrInvalid, n.Source, s.source)
	}
	fields, hash, err := document(n)
	if err != nil {
		return 0, fmt.Errorf("put: %w", err)
	}
	if !st.IsZero() {
		raw, err := json.Marshal(st)
		if err != nil {
			return 0, fmt.Errorf("put %s: encode fetch state: %w", n.ID, err)
		}
		fields[FieldFetch] = string(raw)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return 0, fmt.Errorf("put %s: session of %s already finished", n.ID, s.source)
	}
	s.seen[n.ID] = true
	old, known := s.known[n.ID]
	if known && old.hash == hash && (st.IsZero() || old.state.sameValidators(st)) {
		return OutcomeUnchanged, nil
	}
	k := knownDoc{url: n.URL, hash: hash, state: st}
	s.known[n.ID] = k
	s.indexURLs(n.ID, k)
	s.pending = append(s.pending, pendingDoc{id: n.ID, fields: fields})
	if len(s.pending) >= batchSize {
		if err := s.flushLocked(ctx); err != nil {
			return 0, fmt.Errorf("put %s: %w", n.ID, err)
		}
	}
	switch {
	case known && old.hash == hash:
		return OutcomeUnchanged, nil // only the fetch state is rewritten
	case known:
		return OutcomeUpdated, nil
	}
	return OutcomeAdded, nil
}

// Keep marks the practice at url as still present although it was not
// extracted again (a 304 answer, a 5xx, a page skipped for now), so that
// Finish does not remove it. An unknown url is ignored.
func (s *Session) Keep(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.byURL[url]; ok {
		s.seen[id] = true
		return
	}
	if id := IDForURL(url); s.known[id].hash != "" {
		s.seen[id] = true
	}
}

// Finish writes what is still buffered. When complete is true (the source
// was crawled completely) it then removes the source's practices that were
// neither Put nor Kept in this session and returns how many; otherwise it
// removes nothing. The session cannot be used afterwards.
func (s *Session) Finish(ctx context.Context, complete bool) (removed int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return 0, fmt.Errorf("finish %s: session already finished", s.source)
	}
	s.done = true
	if err := s.flushLocked(ctx); err != nil {
		return 0, fmt.Errorf("finish %s: %w", s.source, err)
	}
	if !complete {
		return 0, nil
	}
	var gone []string
	for id := range s.known {
		if !s.seen[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	if err := s.ix.write(ctx, nil, gone); err != nil {
		return 0, fmt.Errorf("finish %s: remove vanished practices: %w", s.source, err)
	}
	return len(gone), nil
}

func (s *Session) flushLocked(ctx context.Context) error {
	if len(s.pending) == 0 {
		return nil
	}
	err := s.ix.write(ctx, s.pending, nil)
	s.pending = s.pending[:0]
	return err
}
