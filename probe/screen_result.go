package probe

import "fmt"

// screenRun builds the Result of one screen run step by step.
type screenRun struct {
	res     Result
	phases  Phases
	attempt int // index in res.Steps where the current attempt starts
	failed  bool
}

// newScreenRun starts a run's Result now.
func newScreenRun() *screenRun {
	r, _ := begin()
	return &screenRun{res: r}
}

// add records a step's outcome: its line in Steps, its time and phases
// when it is measured, its status, and its failure.
func (s *screenRun) add(st *screenStep, r Result) {
	s.res.Steps = append(s.res.Steps, Step{
		Name:     st.name,
		Duration: r.Duration,
		OK:       r.OK,
		Status:   r.Status,
		Measured: st.measured,
		Message:  r.Message,
	})
	if st.measured {
		s.res.Duration += r.Duration
		if r.Phases != nil {
			for _, name := range PhaseNames {
				s.phases.Set(name, s.phases.Get(name)+r.Phases.Get(name))
			}
		}
	}
	if r.Status != 0 {
		s.res.Status = r.Status
	}
	if !r.OK {
		s.failed = true
		s.res.Reason, s.res.Message = r.Reason, fmt.Sprintf("step %s: %s", st.name, r.Message)
	}
}

// fail records a failure outside any step.
func (s *screenRun) fail(reason Reason, format string, args ...any) {
	s.failed = true
	s.res.Reason, s.res.Message = reason, fmt.Sprintf(format, args...)
}

// retract undoes the current attempt, ended by a 401 on a session that
// had run out: its steps stay listed but no longer count, and the next
// steps (a new login, the screen again) start a new attempt.
func (s *screenRun) retract() {
	for i := s.attempt; i < len(s.res.Steps); i++ {
		st := &s.res.Steps[i]
		if !st.OK {
			st.Message += "; the session had ended: logged in again"
		}
		st.Measured = false
	}
	s.attempt = len(s.res.Steps)
	s.res.Duration, s.phases = 0, Phases{}
	s.failed, s.res.Reason, s.res.Message = false, ReasonNone, ""
}

// finish returns the Result.
func (s *screenRun) finish() Result {
	s.res.OK = !s.failed
	ph := s.phases
	s.res.Phases = &ph
	return s.res
}
