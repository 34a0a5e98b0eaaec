package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/vigilmon/vigil/probe"
)

// MaxResults caps one /results answer; a client pages with from/to.
const MaxResults = 100_000

// Latest keeps the most recent result of every check in memory, overall
// and per location (for Verdict).
type Latest struct {
	mu    sync.RWMutex
	m     map[string]probe.Result
	byLoc map[string]map[string]probe.Result // check -> location -> result
}

// NewLatest returns an empty Latest.
func NewLatest() *Latest {
	return &Latest{m: map[string]probe.Result{}, byLoc: map[string]map[string]probe.Result{}}
}

// Set records r if it is newer than what is known for its check (and,
// per location, for its check at its location).
func (l *Latest) Set(r probe.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	locs := l.byLoc[r.Check]
	if locs == nil {
		locs = map[string]probe.Result{}
		l.byLoc[r.Check] = locs
	}
	if old, ok := locs[r.Location]; !ok || !old.Start.After(r.Start) {
		locs[r.Location] = r
	}
	if old, ok := l.m[r.Check]; ok && old.Start.After(r.Start) {
		return
	}
	l.m[r.Check] = r
}

// Verdict returns the check's latest result as the location quorum of
// SLA.md section 2 judges it, the way the incident evaluator does: the
// newest result of each location counts while it started less than two
// of its intervals before the check's newest result, and the check fails
// when a strict majority of those failed. The result is the newest one
// with OK set to the verdict (and, failing, a failing location's reason
// and message); one location decides alone.
func (l *Latest) Verdict(check string) (probe.Result, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	newest, ok := l.m[check]
	if !ok {
		return probe.Result{}, false
	}
	counted, failing := 0, 0
	var failed probe.Result
	for _, r := range l.byLoc[check] {
		iv := r.Interval
		if iv <= 0 {
			iv = time.Minute
		}
		if newest.Start.Sub(r.Start) >= 2*iv {
			continue
		}
		counted++
		if !r.OK {
			failing++
			failed = r
		}
	}
	out := newest
	switch fails := 2*failing > counted; {
	case fails && newest.OK:
		out.OK, out.Reason, out.Message = false, failed.Reason, failed.Message
	case !fails && !newest.OK:
		out.OK, out.Reason, out.Message = true, probe.ReasonNone, ""
	}
	return out, true
}

// Get returns the latest result of a check.
func (l *Latest) Get(check string) (probe.Result, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	r, ok := l.m[check]
	return r, ok
}

// resultJSON is the API's form of a probe.Result: times in RFC 3339,
// durations in milliseconds with microsecond precision.
type resultJSON struct {
	Check      string             `json:"check"`
	Location   string             `json:"location"`
	Start      time.Time          `json:"start"`
	DurationMS float64            `json:"duration_ms"`
	IntervalMS int64              `json:"interval_ms"`
	OK         bool               `json:"ok"`
	Reason     string             `json:"reason"`
	Message    string             `json:"message,omitempty"`
	Status     int                `json:"status,omitempty"`
	Phases     map[string]float64 `json:"phases_ms,omitempty"`
	Steps      []stepJSON         `json:"steps,omitempty"`
	// ScreenshotURL links the PNG of a failed browser run.
	ScreenshotURL string `json:"screenshot_url,omitempty"`
}

// stepJSON is one step of a screen or browser run.
type stepJSON struct {
	probe.Step
	DurationMS float64 `json:"duration_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func toJSON(r probe.Result) resultJSON {
	j := resultJSON{
		Check: r.Check, Location: r.Location, Start: r.Start.UTC(),
		DurationMS: ms(r.Duration), IntervalMS: r.Interval.Milliseconds(),
		OK: r.OK, Reason: string(r.Reason), Message: r.Message, Status: r.Status,
	}
	if r.Phases != nil {
		j.Phases = make(map[string]float64, len(probe.PhaseNames))
		for _, p := range probe.PhaseNames {
			j.Phases[p] = ms(r.Phases.Get(p))
		}
	}
	for _, st := range r.Steps {
		j.Steps = append(j.Steps, stepJSON{Step: st, DurationMS: ms(st.Duration)})
	}
	if r.Screenshot != "" {
		j.ScreenshotURL = "/api/v1/screenshots/" + url.PathEscape(r.Screenshot)
	}
	return j
}

var errTooMany = errors.New("too many results")

// results streams raw results of one check in [from, to): the array is
// written as it is read, so memory does not grow with the range.
func (a *apiHandlers) results(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, ok := a.find(name); !ok {
		writeError(w, http.StatusNotFound, "no check named %q: GET /api/v1/checks lists them", name)
		return
	}
	now := a.o.Now()
	from, to, err := rangeParams(r, now.Add(-time.Hour), now)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"check":%q,"from":%q,"to":%q,"results":[`, name, from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano))
	enc := json.NewEncoder(w)
	n := 0
	err = a.o.Results.Query(r.Context(), name, from, to, func(res probe.Result) error {
		if n == MaxResults {
			return errTooMany
		}
		if n > 0 {
			_, _ = w.Write([]byte{','})
		}
		n++
		return enc.Encode(toJSON(res))
	})
	truncated := errors.Is(err, errTooMany)
	if err != nil && !truncated {
		// The status line is gone; say it in the body so the client sees
		// the answer is incomplete instead of silently short.
		a.o.Logger.Error("query results", "check", name, "err", err)
		fmt.Fprintf(w, `],"count":%d,"error":%q}`+"\n", n, "reading results failed: "+err.Error())
		return
	}
	fmt.Fprintf(w, `],"count":%d,"truncated":%t}`+"\n", n, truncated)
}

// timeParam reads an RFC 3339 time from the query, or def when absent.
// rangeParams reads the from and to parameters (RFC 3339; defFrom and defTo
// when absent) of a query over [from, to), which must not be empty.
func rangeParams(r *http.Request, defFrom, defTo time.Time) (from, to time.Time, err error) {
	if from, err = timeParam(r, "from", defFrom); err != nil {
		return
	}
	if to, err = timeParam(r, "to", defTo); err != nil {
		return
	}
	if !to.After(from) {
		err = fmt.Errorf("to (%s) must be after from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	return
}

func timeParam(r *http.Request, key string, def time.Time) (time.Time, error) {
	v := r.URL.Query().Get(key)
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q is not an RFC 3339 time; write e.g. %s=2026-10-01T00:00:00Z", key, v, key)
	}
	return t, nil
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}
