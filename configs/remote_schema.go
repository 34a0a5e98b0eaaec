package configs

import "time"

// RemoteWrite is one Prometheus-compatible backend (Prometheus with its
// remote-write receiver on, VictoriaMetrics, Mimir, Thanos Receive) that
// every probe result is also sent to, with Prometheus remote write 1.0, in
// the same series as the embedded results database. The results stay in
// the local database whatever happens to the remote. A change needs a
// restart.
type RemoteWrite struct {
	// URL is the backend's remote-write endpoint, such as
	// http://victoria:8428/api/v1/write or https://prometheus:9090/api/v1/write.
	// Credentials go in basic_auth or bearer_token, never in the URL.
	URL string `yaml:"url"`
	// Name tells endpoints apart in vigil's /metrics and logs; default
	// the URL's host (and port). Names are unique.
	Name string `yaml:"name"`
	// Headers are sent with every request, e.g. X-Scope-OrgID for a
	// Mimir tenant. Their values are never printed.
	Headers map[string]string `yaml:"headers"`
	// BasicAuth and BearerToken authenticate; at most one of them. The
	// password and the token are secrets: write them as ${ENV}.
	BasicAuth   *BasicAuth `yaml:"basic_auth"`
	BearerToken string     `yaml:"bearer_token"`
	// Timeout bounds one request (default 30s).
	Timeout Duration    `yaml:"timeout"`
	Queue   RemoteQueue `yaml:"queue"`
}

// BasicAuth is a user name and password for HTTP basic authentication.
type BasicAuth struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// RemoteQueue tunes the queue between the probes and one remote-write
// endpoint. The queue never blocks the probes: when it is full, the
// oldest queued results are dropped for that remote (and counted).
type RemoteQueue struct {
	// Capacity is how many samples wait at most (default 100000; one
	// result is 3 to 9 samples).
	Capacity int `yaml:"capacity"`
	// MaxSamplesPerSend is the most samples in one request (default 2000).
	MaxSamplesPerSend int `yaml:"max_samples_per_send"`
	// BatchSendDeadline is the longest a sample waits for a request to
	// fill up (default 5s).
	BatchSendDeadline Duration `yaml:"batch_send_deadline"`
	// MinBackoff and MaxBackoff bound the wait between retries of a
	// request the backend could not take (5xx, 429, no connection);
	// defaults 100ms and 30s. A 429's Retry-After is honoured.
	MinBackoff Duration `yaml:"min_backoff"`
	MaxBackoff Duration `yaml:"max_backoff"`
	// RetryFor is how long one request is retried before its samples
	// count as failed and the next one is tried (default 10m; 0s never
	// retries).
	RetryFor Duration `yaml:"retry_for"`
}

// RemoteRead is a Prometheus-compatible query API that vigil report
// -source remote reads the results from instead of the embedded
// database: where long-term history lives in the user's cluster, written
// there by remote_write.
type RemoteRead struct {
	// URL is the base of the Prometheus HTTP API: /api/v1/query is
	// appended. E.g. http://victoria:8428, http://vmselect:8481/select/0/prometheus,
	// https://mimir.example.com/prometheus. Empty: no remote read.
	URL         string            `yaml:"url"`
	Headers     map[string]string `yaml:"headers"`
	BasicAuth   *BasicAuth        `yaml:"basic_auth"`
	BearerToken string            `yaml:"bearer_token"`
	// Timeout bounds one query (default 2m).
	Timeout Duration `yaml:"timeout"`
	// Chunk is the time range one query reads (default 24h): a month is
	// read a day at a time, which keeps every answer under the backends'
	// sample limits.
	Chunk Duration `yaml:"chunk"`
}

// Defaults of remote_write and remote_read.
const (
	DefaultRemoteWriteTimeout  = Duration(30 * time.Second)
	DefaultRemoteQueueCapacity = 100_000
	DefaultRemoteMaxSamples    = 2000
	DefaultRemoteBatchDeadline = Duration(5 * time.Second)
	DefaultRemoteMinBackoff    = Duration(100 * time.Millisecond)
	DefaultRemoteMaxBackoff    = Duration(30 * time.Second)
	DefaultRemoteRetryFor      = Duration(10 * time.Minute)
	DefaultRemoteReadTimeout   = Duration(2 * time.Minute)
	DefaultRemoteReadChunk     = Duration(24 * time.Hour)
)
