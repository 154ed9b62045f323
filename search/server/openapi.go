package server

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDoc is the OpenAPI 3.1 description of every route (CONTRACT §5
// GET /api/v1/openapi.json). The tests validate real answers of every
// endpoint against it and check that it names exactly the routes of the
// route table.
//
//go:embed openapi/openapi.json
var openAPIDoc []byte

// openAPIETag is the strong validator of openAPIDoc, fixed per binary.
var openAPIETag = etagOf(openAPIDoc)

// OpenAPICacheControl lets clients keep the description for an hour and
// revalidate it with its ETag afterwards.
const OpenAPICacheControl = "public, max-age=3600, must-revalidate"

// OpenAPI returns the OpenAPI 3.1 document served at /api/v1/openapi.json.
func OpenAPI() []byte { return append([]byte(nil), openAPIDoc...) }

// openAPI serves GET /api/v1/openapi.json. The security headers and CORS
// come from the middleware like every other API answer.
func (s *Server) openAPI(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("ETag", openAPIETag)
	h.Set("Cache-Control", OpenAPICacheControl)
	if etagMatches(c.GetHeader("If-None-Match"), openAPIETag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDoc)
}
