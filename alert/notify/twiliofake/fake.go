package twiliofake

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Message is a message the fake accepted.
type Message struct {
	Sid                 string
	AccountSid          string
	To                  string
	From                string
	MessagingServiceSid string
	Body                string
	StatusCallback      string
	Status              string // queued (or accepted), then sent, delivered
	NumSegments         int
	DateCreated         time.Time
	DateSent            time.Time // zero until the fake marks it sent
	// Accepted is when the request arrived (monotonic), for rate checks.
	Accepted time.Time
}

// Server is a fake Twilio REST API on 127.0.0.1. The zero value is not
// usable: create one with New and Close it when done.
type Server struct {
	// AccountSid and AuthToken are the credentials the fake accepts.
	AccountSid string
	AuthToken  string

	srv *httptest.Server

	mu        sync.Mutex
	messages  []*Message
	bySid     map[string]*Message
	requests  map[string]int // create requests per To, whatever the outcome
	faults    []Fault
	rejectTo  map[string]int // To → permanent error code
	callbacks bool
	cbDelay   time.Duration
	cbWG      sync.WaitGroup
	closing   chan struct{}
	closeOnce sync.Once
}

// Options configure a fake.
type Options struct {
	// AccountSid and AuthToken default to a fixed test pair.
	AccountSid, AuthToken string
	// StatusCallbacks makes the fake POST queued→sent→delivered to each
	// message's StatusCallback URL, signed, CallbackDelay apart.
	StatusCallbacks bool
	CallbackDelay   time.Duration
}

// Default test credentials. The token is alphanumeric, as twilio-go wants.
const (
	TestAccountSid = "AC00000000000000000000000000000001"
	TestAuthToken  = "f4k3t0k3nS3cr3tV4lu3D0N0tL34k0000"
)

// New starts a fake on 127.0.0.1.
func New(opts Options) *Server {
	s := &Server{
		AccountSid: opts.AccountSid,
		AuthToken:  opts.AuthToken,
		bySid:      map[string]*Message{},
		requests:   map[string]int{},
		rejectTo:   map[string]int{},
		callbacks:  opts.StatusCallbacks,
		cbDelay:    opts.CallbackDelay,
		closing:    make(chan struct{}),
	}
	if s.AccountSid == "" {
		s.AccountSid = TestAccountSid
	}
	if s.AuthToken == "" {
		s.AuthToken = TestAuthToken
	}
	if s.cbDelay == 0 {
		s.cbDelay = 5 * time.Millisecond
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to give the client as api_base_url.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the fake: hanging requests return, callbacks finish.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.cbWG.Wait()
}

// RejectTo makes every message to to fail with Twilio error code (21211,
// 21610, 21614, 21408, 21612: HTTP 400).
func (s *Server) RejectTo(to string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectTo[to] = code
}

// Messages returns copies of the accepted messages in arrival order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = *m
	}
	return out
}

// Delivered returns how many accepted messages went to each To.
func (s *Server) Delivered() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, m := range s.messages {
		out[m.To]++
	}
	return out
}

// Requests returns how many create requests named to, accepted or not.
func (s *Server) Requests(to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[to]
}

// serve routes the requests the fake understands.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	acct, ok := strings.CutPrefix(r.URL.Path, "/2010-04-01/Accounts/")
	if !ok {
		writeError(w, http.StatusNotFound, CodeNotFound, messageFor(CodeNotFound, ""))
		return
	}
	acct, rest, _ := strings.Cut(acct, "/")
	user, pass, hasAuth := r.BasicAuth()
	if !hasAuth || user != s.AccountSid || pass != s.AuthToken || acct != s.AccountSid {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeError(w, http.StatusUnauthorized, CodeAuthenticate, messageFor(CodeAuthenticate, ""))
		return
	}
	switch {
	case rest == "Messages.json" && r.Method == http.MethodPost:
		s.create(w, r)
	case rest == "Messages.json" && r.Method == http.MethodGet:
		s.list(w, r)
	case strings.HasPrefix(rest, "Messages/") && r.Method == http.MethodGet:
		s.fetch(w, strings.TrimSuffix(strings.TrimPrefix(rest, "Messages/"), ".json"))
	default:
		writeError(w, http.StatusNotFound, CodeNotFound, messageFor(CodeNotFound, ""))
	}
}

// newSid returns prefix followed by 32 hex digits, like Twilio's SIDs.
func newSid(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
