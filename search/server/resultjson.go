package server

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/casebook-project/casebook/search"
)

// The search answer is most of the server's own cost per request:
// encoding/json builds every answer (~20 KB) in a buffer of its own, which
// at GOGC=15 is garbage the collector pays for. writeResult encodes with
// github.com/go-json-experiment/json (the encoding/json/v2 prototype,
// already used to decode stored practices) in encoding/json's v1 mode —
// the same bytes, HTML escaping included (TestResultJSON compares the two
// over real and hostile answers) — into a pooled buffer.

// writeResult answers 200 with res in JSON, as c.JSON(http.StatusOK, res)
// would: same status, headers (no Content-Length) and bytes.
func writeResult(c *gin.Context, res *search.Result) {
	bp := resultBufs.Get().(*[]byte)
	b, ok := appendResult((*bp)[:0], res)
	if ok {
		c.Render(http.StatusOK, rawJSON(b))
	} else { // NaN or ±Inf: encoding/json answers its error as before
		c.JSON(http.StatusOK, res)
	}
	if cap(b) <= maxPooledResult {
		*bp = b
		resultBufs.Put(bp)
	}
}

// maxPooledResult is the largest buffer kept for the next answer (a page
// of 100 hits fits).
const maxPooledResult = 1 << 20

var resultBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// rawJSON is an encoded JSON answer; it renders as gin's render.JSON does
// (Content-Type unless one is set, then the bytes).
type rawJSON []byte

var jsonContentType = []string{"application/json; charset=utf-8"}

func (r rawJSON) Render(w http.ResponseWriter) error {
	r.WriteContentType(w)
	_, err := w.Write(r)
	return err
}

func (r rawJSON) WriteContentType(w http.ResponseWriter) {
	if h := w.Header(); len(h["Content-Type"]) == 0 {
		h["Content-Type"] = jsonContentType
	}
}

// appendResult appends res as json.Marshal encodes it. It reports false
// when encoding fails (a NaN or infinite float, which encoding/json refuses
// too).
func appendResult(b []byte, res *search.Result) ([]byte, bool) {
	buf := bytes.NewBuffer(b)
	if err := jsonv2.MarshalWrite(buf, res, jsonv1.DefaultOptionsV1()); err != nil {
		return b, false
	}
	return buf.Bytes(), true
}
