package server

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// RateLimit is the per-client budget of the public API (CONTRACT §2
// server.rate_limit): a token bucket refilled at PerSecond requests per
// second holding at most Burst. Clients are told apart by c.ClientIP(), so
// X-Forwarded-For counts only from Config.TrustedProxies and a spoofed
// header cannot buy a fresh budget.
type RateLimit struct {
	PerSecond float64
	Burst     int // 0 = max(1, PerSecond)
}

// clientIdle is how long a client's bucket is kept after its last request;
// maxClients bounds the memory the limiter may hold.
const (
	clientIdle = 10 * time.Minute
	maxClients = 100_000
)

type clientLimiter struct {
	limit rate.Limit
	burst int

	mu        sync.Mutex
	clients   map[string]*clientBucket
	lastSweep time.Time
}

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newClientLimiter(rl *RateLimit) *clientLimiter {
	if rl == nil || rl.PerSecond <= 0 {
		return nil
	}
	burst := rl.Burst
	if burst <= 0 {
		burst = max(1, int(math.Ceil(rl.PerSecond)))
	}
	return &clientLimiter{limit: rate.Limit(rl.PerSecond), burst: burst, clients: map[string]*clientBucket{}}
}

// allow takes one token of client's bucket; when there is none it returns
// how long until the next one.
func (l *clientLimiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute || len(l.clients) >= maxClients {
		for k, b := range l.clients {
			if now.Sub(b.seen) > clientIdle {
				delete(l.clients, k)
			}
		}
		if len(l.clients) >= maxClients { // a flood of distinct clients: start over
			clear(l.clients)
		}
		l.lastSweep = now
	}
	b := l.clients[client]
	if b == nil {
		b = &clientBucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.clients[client] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limitRate answers 429 with Retry-After when a client exceeds its budget
// on the public API. The admin API has its own limits; pages, assets and
// health checks are not limited.
func (s *Server) limitRate(c *gin.Context) {
	p := c.Request.URL.Path
	if s.limiter == nil || !strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/api/v1/admin/") || c.Request.Method == http.MethodOptions {
		c.Next()
		return
	}
	ok, wait := s.limiter.allow(c.ClientIP(), time.Now())
	if ok {
		c.Next()
		return
	}
	c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	c.AbortWithStatusJSON(http.StatusTooManyRequests, apiError{Error: errorBody{
		Code: "rate_limited", Message: "too many requests; retry after the time in Retry-After"}})
}
