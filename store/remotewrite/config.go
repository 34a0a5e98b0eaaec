package remotewrite

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config is one remote-write endpoint. Zero durations and sizes take the
// defaults below, except RetryFor: 0 never retries.
type Config struct {
	// URL is the remote-write endpoint, e.g. http://victoria:8428/api/v1/write.
	URL string
	// Name tells endpoints apart in logs and metrics (default: URL's host).
	Name string
	Auth Auth
	// Timeout bounds one request (one attempt).
	Timeout time.Duration
	Queue   QueueConfig
	// FlushTimeout is how long Run keeps sending what is queued once its
	// context ends.
	FlushTimeout time.Duration
	// UserAgent is sent with every request.
	UserAgent string
}

// QueueConfig bounds the queue and shapes the requests (see the package doc).
type QueueConfig struct {
	Capacity          int // samples
	MaxSamplesPerSend int
	BatchSendDeadline time.Duration
	MinBackoff        time.Duration
	MaxBackoff        time.Duration
	RetryFor          time.Duration
}

// Defaults for what Config leaves zero.
const (
	DefaultTimeout           = 30 * time.Second
	DefaultCapacity          = 100_000
	DefaultMaxSamplesPerSend = 2000
	DefaultBatchSendDeadline = 5 * time.Second
	DefaultMinBackoff        = 100 * time.Millisecond
	DefaultMaxBackoff        = 30 * time.Second
	DefaultFlushTimeout      = 5 * time.Second
	DefaultUserAgent         = "vigil"
)

// withDefaults fills the zero fields and checks the rest.
func (c Config) withDefaults() (Config, *url.URL, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, nil, errors.New("remote write url must be an http(s) URL with a host")
	}
	if u.User != nil {
		return c, nil, errors.New("remote write url holds credentials: pass them in Auth")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.Name == "" {
		c.Name = u.Host
	}
	def(&c.Timeout, DefaultTimeout)
	def(&c.FlushTimeout, DefaultFlushTimeout)
	q := &c.Queue
	if q.Capacity == 0 {
		q.Capacity = DefaultCapacity
	}
	if q.MaxSamplesPerSend == 0 {
		q.MaxSamplesPerSend = DefaultMaxSamplesPerSend
	}
	def(&q.BatchSendDeadline, DefaultBatchSendDeadline)
	def(&q.MinBackoff, DefaultMinBackoff)
	def(&q.MaxBackoff, DefaultMaxBackoff)
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	switch {
	case q.MaxSamplesPerSend < 1 || q.Capacity < q.MaxSamplesPerSend:
		return c, nil, fmt.Errorf("remote write queue: capacity %d must hold max samples per send %d (at least 1)", q.Capacity, q.MaxSamplesPerSend)
	case q.MaxBackoff < q.MinBackoff || q.RetryFor < 0:
		return c, nil, fmt.Errorf("remote write queue: backoff %s to %s, retry for %s is not a valid retry policy", q.MinBackoff, q.MaxBackoff, q.RetryFor)
	}
	return c, u, nil
}
