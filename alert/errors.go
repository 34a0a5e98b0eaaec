package alert

import "errors"

// Errors of the manual operations (Update, Resolve, Ack); test them with
// errors.Is. They are wrapped with the incident concerned and what to do.
var (
	// ErrNotFound means no open or recently resolved incident has the id.
	ErrNotFound = errors.New("incident not found")
	// ErrInvalid means the input breaks a rule (an unknown status, an
	// empty message).
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means the operation does not fit the incident's state,
	// such as updating a resolved incident.
	ErrConflict = errors.New("conflict with the incident's state")
)
