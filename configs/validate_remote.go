package configs

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"
)

// remoteDefaults fills what remote_write and remote_read leave out. A
// number or duration the file sets, even 0, is kept: validation reports it.
func remoteDefaults(c *Config, isSet func(path string) bool) {
	for i := range c.RemoteWrite {
		rw := &c.RemoteWrite[i]
		p := fmt.Sprintf("remote_write[%d].", i)
		if u, err := url.Parse(rw.URL); err == nil {
			setStr(&rw.Name, u.Host)
		}
		setDuration(isSet, p+"timeout", &rw.Timeout, DefaultRemoteWriteTimeout)
		q := &rw.Queue
		setInt(isSet, p+"queue.capacity", &q.Capacity, DefaultRemoteQueueCapacity)
		setInt(isSet, p+"queue.max_samples_per_send", &q.MaxSamplesPerSend, DefaultRemoteMaxSamples)
		setDuration(isSet, p+"queue.batch_send_deadline", &q.BatchSendDeadline, DefaultRemoteBatchDeadline)
		setDuration(isSet, p+"queue.min_backoff", &q.MinBackoff, DefaultRemoteMinBackoff)
		setDuration(isSet, p+"queue.max_backoff", &q.MaxBackoff, DefaultRemoteMaxBackoff)
		setDuration(isSet, p+"queue.retry_for", &q.RetryFor, DefaultRemoteRetryFor)
	}
	setDuration(isSet, "remote_read.timeout", &c.RemoteRead.Timeout, DefaultRemoteReadTimeout)
	setDuration(isSet, "remote_read.chunk", &c.RemoteRead.Chunk, DefaultRemoteReadChunk)
}

// setDuration sets *d to def when the file does not give path.
func setDuration(isSet func(string) bool, path string, d *Duration, def Duration) {
	if !isSet(path) {
		*d = def
	}
}

// setInt sets *n to def when the file does not give path.
func setInt(isSet func(string) bool, path string, n *int, def int) {
	if !isSet(path) {
		*n = def
	}
}

// validateRemote checks remote_write and remote_read. URLs, passwords,
// tokens and header values are never quoted: any of them may be a secret.
func validateRemote(v *collector, cfg *Config) {
	names := map[string]int{}
	for i := range cfg.RemoteWrite {
		rw := &cfg.RemoteWrite[i]
		p := fmt.Sprintf("remote_write[%d]", i)
		validateRemoteURL(v, p+".url", "remote_write url", rw.URL, "http://victoria:8428/api/v1/write")
		if rw.Name != "" {
			if line, dup := names[rw.Name]; dup {
				v.add(p+".name", "remote_write name %s is already used at line %d; give each endpoint a name of its own (name: defaults to the URL's host)", v.q(p+".name", rw.Name), line)
			} else {
				names[rw.Name] = v.idx.line(p + ".name")
			}
		}
		validateRemoteAuth(v, p, rw.Headers, rw.BasicAuth, rw.BearerToken)
		validatePositive(v, p+".timeout", "timeout", rw.Timeout, "30s")
		validateRemoteQueue(v, p+".queue", &rw.Queue)
	}
	r := &cfg.RemoteRead
	if r.URL == "" && !v.idx.set("remote_read") {
		return
	}
	validateRemoteURL(v, "remote_read.url", "remote_read url", r.URL, "http://victoria:8428")
	validateRemoteAuth(v, "remote_read", r.Headers, r.BasicAuth, r.BearerToken)
	validatePositive(v, "remote_read.timeout", "timeout", r.Timeout, "2m")
	if r.Chunk.D() < time.Minute {
		v.add("remote_read.chunk", "chunk %s is too short; read at least 1m per query: write e.g. 24h (shorter only when the backend's sample limit demands it)", r.Chunk)
	}
}

// validateRemoteURL checks an endpoint's URL: http(s) with a host and no
// credentials, which belong in basic_auth where they are never printed.
func validateRemoteURL(v *collector, path, what, raw, example string) {
	validateHTTPURL(v, path, what, raw, example)
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		v.add(path, "%s holds credentials; move them to basic_auth with password: ${REMOTE_PASSWORD}, where they are never printed", what)
	}
}

// validateRemoteAuth checks the headers and the credentials of an
// endpoint; p is "remote_write[i]" or "remote_read".
func validateRemoteAuth(v *collector, p string, headers map[string]string, basic *BasicAuth, bearer string) {
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		hp := joinPath(p+".headers", k)
		switch canon := http.CanonicalHeaderKey(k); {
		case !isHeaderName(k):
			v.add(hp, "header name %q is not a valid HTTP header name; use letters, digits and - such as X-Scope-OrgID", k)
		case canon == "Authorization":
			v.add(hp, "header Authorization is set by vigil; write basic_auth or bearer_token: ${REMOTE_TOKEN} instead")
		case reservedRemoteHeaders[canon]:
			v.add(hp, "header %s is set by vigil for the protocol; remove it", canon)
		}
	}
	if basic != nil {
		if basic.Username == "" {
			v.add(p+".basic_auth.username", "basic_auth has no username; write the user name the backend expects")
		}
		if basic.Password == "" {
			v.add(p+".basic_auth.password", "basic_auth has no password; write password: ${REMOTE_PASSWORD} and export the variable")
		}
		if bearer != "" {
			v.add(p+".bearer_token", "both basic_auth and bearer_token are set; keep the one the backend expects")
		}
	}
	if strings.IndexFunc(bearer, unicode.IsSpace) >= 0 {
		v.add(p+".bearer_token", "bearer_token holds white space; remove it (a token read from a file often ends in a line break)")
	}
}

// reservedRemoteHeaders are the headers the protocols need as vigil sets them.
var reservedRemoteHeaders = map[string]bool{
	"Content-Type":                      true,
	"Content-Encoding":                  true,
	"Content-Length":                    true,
	"Host":                              true,
	"User-Agent":                        true,
	"X-Prometheus-Remote-Write-Version": true,
}

// isHeaderName reports whether s is an HTTP header field name (an RFC 9110 token).
func isHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

// validatePositive checks a duration that must be longer than 0.
func validatePositive(v *collector, path, what string, d Duration, example string) {
	if d <= 0 {
		v.add(path, "%s must be longer than 0; write e.g. %s", what, example)
	}
}

// validateRemoteQueue checks a remote_write queue; p is its path.
func validateRemoteQueue(v *collector, p string, q *RemoteQueue) {
	switch {
	case q.MaxSamplesPerSend < 1:
		v.add(p+".max_samples_per_send", "max_samples_per_send %d is less than 1; write how many samples one request carries at most, e.g. 2000", q.MaxSamplesPerSend)
	case q.Capacity < q.MaxSamplesPerSend:
		v.add(p+".capacity", "queue capacity %d is less than max_samples_per_send %d; a full request must fit in the queue: raise capacity, e.g. to 100000", q.Capacity, q.MaxSamplesPerSend)
	}
	validatePositive(v, p+".batch_send_deadline", "batch_send_deadline", q.BatchSendDeadline, "5s")
	validatePositive(v, p+".min_backoff", "min_backoff", q.MinBackoff, "100ms")
	if q.MaxBackoff < q.MinBackoff {
		v.add(p+".max_backoff", "max_backoff %s is shorter than min_backoff %s; the wait between retries grows from min_backoff to max_backoff: raise max_backoff, e.g. to 30s", q.MaxBackoff, q.MinBackoff)
	}
}
