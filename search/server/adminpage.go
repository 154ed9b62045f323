package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// adminCSP lets the admin page run its own script (/static/admin.js) and
// call its own origin's API; nothing inline, nothing from elsewhere.
const adminCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// adminView is what the admin template gets. The page carries no token and
// no job data: admin.js signs in with a token the staff member types, keeps
// it in sessionStorage and asks the admin API (CONTRACT §5) for the rest.
type adminView struct {
	page
	// Messages are the words admin.js writes at run time, as JSON, read
	// from a data attribute (no inline script).
	Messages string
}

// T returns the admin message key in the page's language, falling back to
// the search page's messages (the shared header uses those).
func (v adminView) T(key string) string {
	if m, ok := adminMessages[v.UI][key]; ok {
		return m
	}
	if m, ok := adminMessages["en"][key]; ok {
		return m
	}
	return msg(v.UI, key)
}

// adminPage serves GET /admin in the negotiated interface language.
func (s *Server) adminPage(c *gin.Context) error {
	ui := pageUI(c)
	script := make(map[string]string, len(adminScriptKeys))
	v := adminView{page: newPage(c, ui, "")}
	for _, k := range adminScriptKeys {
		script[k] = v.T(k)
	}
	js, err := json.Marshal(script)
	if err != nil {
		return fmt.Errorf("admin page messages: %w", err)
	}
	v.Messages = string(js)
	v.Title = v.T("admin_title") + " · " + msg(ui, "title")
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, "admin", v); err != nil {
		return fmt.Errorf("render admin page: %w", err)
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", adminCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Language", ui)
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	return nil
}
