package server

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed assets/templates/*.html assets/static
var assets embed.FS

// parseTemplates parses the layout with each page template.
func parseTemplates() (*template.Template, error) {
	t, err := template.New("pages").ParseFS(assets, "assets/templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	return t, nil
}

// static serves the embedded files under /static/.
func (s *Server) static(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean("/"+c.Param("file")), "/")
	data, err := fs.ReadFile(assets, "assets/static/"+name)
	if err != nil || name == "" || name == "." {
		s.notFound(c)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, ctype, data)
}
