package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/sla"
)

// Objective is a check's latency objective: Target (in parts per
// million) of its results ok within Threshold.
type Objective struct {
	Threshold time.Duration
	TargetPPM int64
}

// MarshalJSON writes the objective in the units of the SLA report.
func (o Objective) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ThresholdMS int64 `json:"threshold_ms"`
		TargetPPM   int64 `json:"target_ppm"`
	}{o.Threshold.Milliseconds(), o.TargetPPM})
}

// latencyJSON is the answer of /api/v1/checks/{name}/latency.
type latencyJSON struct {
	Check string    `json:"check"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	sla.LatencyView
}

// errStopQuery ends a results query early.
var errStopQuery = errors.New("stop")

// latency answers the latency objective of one check over [from, to)
// (default the last 24 hours), counted as the SLA contract's section 5
// counts it, without the maintenance and exclusion windows of a customer's
// SLA. The threshold is the check's objective, or ?threshold= (e.g. 1500ms),
// which also serves checks without one; the target is the objective's.
func (a *apiHandlers) latency(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	c, ok := a.find(name)
	if !ok {
		writeError(w, http.StatusNotFound, "no check named %q: GET /api/v1/checks lists them", name)
		return
	}
	var threshold time.Duration
	var targetPPM int64
	if c.Objective != nil {
		threshold, targetPPM = c.Objective.Threshold, c.Objective.TargetPPM
	}
	if q := r.URL.Query().Get("threshold"); q != "" {
		d, err := time.ParseDuration(q)
		if err != nil || d <= 0 || d%time.Millisecond != 0 {
			writeError(w, http.StatusBadRequest, "threshold=%q is not a positive whole number of milliseconds; write e.g. threshold=2s or threshold=1500ms", q)
			return
		}
		threshold = d
	}
	if threshold <= 0 {
		writeError(w, http.StatusBadRequest, "check %q has no latency objective; set objective: {threshold: 2s, target: 95%%} on it in the config, or give a threshold here, e.g. ?threshold=2s", name)
		return
	}
	now := a.o.Now()
	from, to, err := rangeParams(r, now.Add(-24*time.Hour), now)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}

	// The results stream through the summary, which keeps counts only.
	var queryErr error
	results := func(yield func(sla.LatencySample) bool) {
		queryErr = a.o.Results.Query(r.Context(), name, from, to, func(res probe.Result) error {
			s := sla.LatencySample{OK: res.OK, DurationMS: sla.MillisFromDuration(res.Duration), Reason: string(res.Reason)}
			if !yield(s) {
				return errStopQuery
			}
			return nil
		})
	}
	view, err := sla.SummarizeLatency(results, threshold.Milliseconds(), targetPPM)
	if err == nil && queryErr != nil {
		err = queryErr
	}
	if err != nil {
		a.o.Logger.Error("latency view", "check", name, "err", err)
		writeError(w, http.StatusInternalServerError, "reading results failed: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, latencyJSON{Check: name, From: from.UTC(), To: to.UTC(), LatencyView: view})
}
