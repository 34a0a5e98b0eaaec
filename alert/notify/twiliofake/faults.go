package twiliofake

import (
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a failure the fake can inject into create requests.
type FaultKind int

// The faults. Each applies to the create request it is taken by.
const (
	// TooManyRequests answers 429 with code 20429 and Retry-After.
	TooManyRequests FaultKind = iota + 1
	// ServerError answers 500 without recording the message.
	ServerError
	// Hang holds the request until the client gives up (or Close).
	Hang
	// CloseConnection drops the connection without an answer.
	CloseConnection
	// AcceptThenError records the message (it will be "sent") and then
	// answers 500: the case a blind resend would duplicate.
	AcceptThenError
	// EchoAuth answers 400 with an error message that repeats the
	// request's Authorization header, as a careless proxy might: the
	// client must not let it reach an error or a log line.
	EchoAuth
)

// Fault is one injected failure.
type Fault struct {
	Kind FaultKind
	// RetryAfter is sent with TooManyRequests (whole seconds, at least 1).
	RetryAfter time.Duration
}

// Inject makes the next n create requests fail with f, after any faults
// already queued.
func (s *Server) Inject(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// takeFault pops the next queued fault; ok is false when there is none.
func (s *Server) takeFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// applyFault answers r according to f; it reports whether the request
// should still be recorded as an accepted message (AcceptThenError), in
// which case the caller records it and then calls finishAcceptThenError.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) (record bool) {
	switch f.Kind {
	case TooManyRequests:
		secs := int(f.RetryAfter / time.Second)
		if secs < 1 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeError(w, http.StatusTooManyRequests, CodeTooManyReqs, messageFor(CodeTooManyReqs, ""))
	case ServerError:
		writeError(w, http.StatusInternalServerError, CodeInternal, messageFor(CodeInternal, ""))
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	case CloseConnection:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return false
			}
		}
		panic(http.ErrAbortHandler)
	case AcceptThenError:
		return true
	case EchoAuth:
		user, pass, _ := r.BasicAuth()
		writeError(w, http.StatusBadRequest, 21699,
			"proxy rejected request with Authorization: "+r.Header.Get("Authorization")+" ("+user+":"+pass+")")
	}
	return false
}
