package demo

import (
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// SessionTTL is how long a login lasts. It is fixed from the login on, not
// extended by use, so a probe that reuses its session sees it expire.
const SessionTTL = 30 * time.Minute

// maxSessions bounds the store: a login beyond it ends the session
// closest to its expiry, so a flood of logins cannot exhaust memory.
const maxSessions = 10_000

// sessions keeps the live sessions in memory. It holds the SHA-256 of each
// token, never the token: a map lookup's timing then says nothing about
// how much of a guessed token was right.
type sessions struct {
	clock clock.Clock
	ttl   time.Duration
	max   int

	mu      sync.Mutex
	expires map[[sha256.Size]byte]time.Time
}

func newSessions(clk clock.Clock, ttl time.Duration, max int) *sessions {
	return &sessions{clock: clk, ttl: ttl, max: max, expires: map[[sha256.Size]byte]time.Time{}}
}

// start opens a session and returns its token (128 random bits) and when
// it expires.
func (s *sessions) start() (token string, expires time.Time) {
	token = rand.Text()
	now := s.clock.Now()
	expires = now.Add(s.ttl)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	if len(s.expires) >= s.max {
		s.evictSoonestLocked()
	}
	s.expires[sha256.Sum256([]byte(token))] = expires
	return token, expires
}

// valid reports whether token is a live session.
func (s *sessions) valid(token string) bool {
	if token == "" {
		return false
	}
	key := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.expires[key]
	if !ok {
		return false
	}
	if !s.clock.Now().Before(exp) {
		delete(s.expires, key)
		return false
	}
	return true
}

// end closes a session.
func (s *sessions) end(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.expires, sha256.Sum256([]byte(token)))
}

// live returns how many sessions are held.
func (s *sessions) live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.expires)
}

func (s *sessions) sweepLocked(now time.Time) {
	for k, exp := range s.expires {
		if !now.Before(exp) {
			delete(s.expires, k)
		}
	}
}

func (s *sessions) evictSoonestLocked() {
	var (
		soonest [sha256.Size]byte
		at      time.Time
	)
	for k, exp := range s.expires {
		if at.IsZero() || exp.Before(at) {
			soonest, at = k, exp
		}
	}
	delete(s.expires, soonest)
}
