package server

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/casebook-project/casebook/indexer"
	"github.com/casebook-project/casebook/search"
)

func (s *Server) apiSearch(c *gin.Context) error {
	req, err := search.ParseRequest(c.Request.URL.Query(), c.GetHeader("Accept-Language"))
	if err != nil {
		return err
	}
	res, err := s.runSearch(c.Request.Context(), req)
	if err != nil {
		return err
	}
	writeResult(c, res)
	return nil
}

func (s *Server) apiPractice(c *gin.Context) error {
	p, err := s.engine.Practice(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if p.Cities == nil {
		p.Cities = []string{}
	}
	if p.Themes == nil {
		p.Themes = []string{}
	}
	// Links are http(s) only (CONTRACT §5): an imported javascript: or
	// data: URL never reaches an embedding page.
	p.URL = indexer.WebURL(p.URL)
	ts := make([]indexer.Translation, 0, len(p.Translations))
	for _, t := range p.Translations {
		if t.URL = indexer.WebURL(t.URL); t.URL != "" {
			ts = append(ts, t)
		}
	}
	p.Translations = ts
	c.JSON(http.StatusOK, p)
	return nil
}

// uiParam reads ui (en, fr, de) or negotiates it from Accept-Language.
func uiParam(c *gin.Context) (string, error) {
	ui := strings.ToLower(strings.TrimSpace(c.Query("ui")))
	if ui == "" {
		return search.NegotiateUI(c.GetHeader("Accept-Language")), nil
	}
	for _, l := range search.UILanguages {
		if ui == l {
			return ui, nil
		}
	}
	return "", &search.ParamError{Param: "ui", Message: "ui must be en, fr or de"}
}

func (s *Server) apiFacets(c *gin.Context) error {
	ui, err := uiParam(c)
	if err != nil {
		return err
	}
	f, err := s.engine.Facets(c.Request.Context(), ui)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, f)
	return nil
}

func (s *Server) apiSuggest(c *gin.Context) error {
	ui, err := uiParam(c)
	if err != nil {
		return err
	}
	q := c.Query("q")
	if n := utf8.RuneCountInString(q); n > search.MaxQueryRunes {
		return &search.ParamError{Param: "q", Message: fmt.Sprintf("q must be at most %d characters (got %d)", search.MaxQueryRunes, n)}
	}
	sug, err := s.engine.Suggest(c.Request.Context(), q, ui)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"suggestions": sug})
	return nil
}

func (s *Server) healthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.version})
	return nil
}

// readyz answers 200 when a real zero-size search over the index succeeds.
func (s *Server) readyz(c *gin.Context) error {
	n, err := s.engine.Ready(c.Request.Context())
	if err != nil {
		s.log.WarnContext(c.Request.Context(), "not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, apiError{Error: errorBody{Code: "not_ready", Message: "index not searchable"}})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "documents": n})
	return nil
}
