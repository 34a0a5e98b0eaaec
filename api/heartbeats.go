package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// HeartbeatSink records heartbeat pings; probe.HeartbeatMonitor is one.
type HeartbeatSink interface {
	// HeartbeatToken returns the token the named check's pings must
	// carry; false when no heartbeat check has that name.
	HeartbeatToken(name string) (token string, ok bool)
	// HeartbeatTokens returns every distinct heartbeat token.
	HeartbeatTokens() []string
	// Ping records a run of the job and returns its result and when the
	// next ping is due; found is false when the check is gone.
	Ping(name string, ok bool, msg string) (r probe.Result, due time.Time, found bool)
}

// maxHeartbeatBody is how much of a ping's body is read for its message.
// A longer body is cut, never refused: a job that posts its whole log has
// still run, and refusing its ping would raise a false alarm.
const maxHeartbeatBody = 4 << 10

// mountHeartbeats adds POST /api/v1/heartbeats/{name}.
//
// A ping must carry the check's token (its heartbeat.token, else
// server.heartbeat_token) as "Authorization: Bearer"; a missing or wrong
// one is 401 and records nothing. An unknown name is 404 only to a caller
// holding some heartbeat token, and 401 to anyone else, so the check
// names cannot be probed without one. ?status=fail records a failed run
// (reason heartbeat_failed), ?status=ok or none a successful one; the
// message is ?msg= or else the body as text, cut to one short line.
func mountHeartbeats(mux *http.ServeMux, a *apiHandlers) {
	mux.HandleFunc("POST /api/v1/heartbeats/{name}", a.heartbeat)
}

// heartbeatJSON answers a ping.
type heartbeatJSON struct {
	Check       string    `json:"check"`
	OK          bool      `json:"ok"`
	Reason      string    `json:"reason"`
	Message     string    `json:"message,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
	NextPingDue time.Time `json:"next_ping_due"`
}

func (a *apiHandlers) heartbeat(w http.ResponseWriter, r *http.Request) {
	sink := a.o.Heartbeats
	if sink == nil {
		writeError(w, http.StatusNotFound, "no heartbeat checks: add a check with heartbeat: {period: 6h, grace: 30m} to the config")
		return
	}
	name := r.PathValue("name")
	auth := r.Header.Get("Authorization")
	token, known := sink.HeartbeatToken(name)
	if !known {
		if anyTokenAllows(auth, sink.HeartbeatTokens()) {
			writeError(w, http.StatusNotFound, "no heartbeat check named %q: check the name in the URL against the config", name)
			return
		}
		heartbeatUnauthorized(w)
		return
	}
	if token == "" || !(bearer{token: token}).allows(auth) {
		heartbeatUnauthorized(w)
		return
	}

	var ok bool
	switch q := r.URL.Query().Get("status"); q {
	case "", "ok":
		ok = true
	case "fail":
	default:
		writeError(w, http.StatusBadRequest, "status=%q is not a ping status; send status=ok (or none) after a good run, status=fail after a failed one", q)
		return
	}
	msg := r.URL.Query().Get("msg")
	if msg == "" {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxHeartbeatBody))
		if err != nil {
			writeError(w, http.StatusBadRequest, "reading the body: %v", err)
			return
		}
		msg = string(body)
	}
	res, due, found := sink.Ping(name, ok, msg)
	if !found { // removed by a reload since the token was read
		writeError(w, http.StatusNotFound, "no heartbeat check named %q: check the name in the URL against the config", name)
		return
	}
	a.o.Logger.Debug("heartbeat ping", "check", name, "ok", res.OK)
	writeJSON(w, http.StatusOK, heartbeatJSON{
		Check: name, OK: res.OK, Reason: string(res.Reason), Message: res.Message,
		RecordedAt: res.Start.UTC(), NextPingDue: due.UTC(),
	})
}

func heartbeatUnauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="vigil heartbeats"`)
	writeError(w, http.StatusUnauthorized, "missing or wrong bearer token: send the header Authorization: Bearer <the check's heartbeat.token, or server.heartbeat_token>")
}

// anyTokenAllows reports whether the Authorization header carries one of
// tokens. Every token is compared, in constant time, hashed first.
func anyTokenAllows(header string, tokens []string) bool {
	scheme, got, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	g := sha256.Sum256([]byte(strings.TrimSpace(got)))
	match := 0
	for _, t := range tokens {
		if t == "" {
			continue
		}
		want := sha256.Sum256([]byte(t))
		match |= subtle.ConstantTimeCompare(g[:], want[:])
	}
	return match == 1
}
