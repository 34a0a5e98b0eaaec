package alert

import "time"

// Muter says whether planned maintenance is in force for a component at
// a time. The wiring implements it over the maintenance schedule, so that
// maintenance never imports alert; a nil Muter mutes nothing.
//
// Muted is called on the evaluator's hot path (about once per result that
// changes something, and once per open incident per Tick), so it should
// answer from memory.
type Muter interface {
	Muted(component string, t time.Time) bool
}

// MuterFunc adapts a function to Muter.
type MuterFunc func(component string, t time.Time) bool

// Muted calls f.
func (f MuterFunc) Muted(component string, t time.Time) bool { return f(component, t) }
