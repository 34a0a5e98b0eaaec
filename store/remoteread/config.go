package remoteread

import (
	"errors"
	"net/url"
	"time"

	"github.com/vigilmon/vigil/store/remotewrite"
)

// Config is one backend's query API.
type Config struct {
	// URL is the base of the Prometheus HTTP API: /api/v1/query is
	// appended (e.g. http://victoria:8428, https://mimir/prometheus).
	URL  string
	Auth remotewrite.Auth
	// Timeout bounds one query.
	Timeout time.Duration
	// Chunk is the time range one query reads.
	Chunk time.Duration
	// Concurrency is how many queries are in flight at most.
	Concurrency int
	UserAgent   string
}

// Defaults for what Config leaves zero.
const (
	DefaultTimeout     = 2 * time.Minute
	DefaultChunk       = 24 * time.Hour
	DefaultConcurrency = 4
	DefaultUserAgent   = "vigil"
)

// withDefaults fills the zero fields and returns the query endpoint.
func (c Config) withDefaults() (Config, *url.URL, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, nil, errors.New("remote read url must be an http(s) URL with a host")
	}
	if u.User != nil {
		return c, nil, errors.New("remote read url holds credentials: pass them in Auth")
	}
	u = u.JoinPath("api/v1/query")
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Chunk <= 0 {
		c.Chunk = DefaultChunk
	}
	if c.Chunk < time.Millisecond {
		return c, nil, errors.New("remote read chunk must be at least 1ms")
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	return c, u, nil
}
