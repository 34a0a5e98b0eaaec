package alert

// Status is where an incident stands, in the vocabulary of Atlassian
// Statuspage, which status page readers know.
type Status string

// The statuses of an incident, in their usual order.
const (
	// Investigating: something is wrong and nobody knows why yet. Every
	// incident vigil opens starts here.
	Investigating Status = "investigating"
	// Identified: the cause is known and being worked on.
	Identified Status = "identified"
	// Monitoring: a fix is in place and being watched.
	Monitoring Status = "monitoring"
	// Resolved: over. Only a resolved incident has a ResolvedAt.
	Resolved Status = "resolved"
)

// Statuses lists every status, for messages and validation.
var Statuses = []Status{Investigating, Identified, Monitoring, Resolved}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	switch s {
	case Investigating, Identified, Monitoring, Resolved:
		return true
	}
	return false
}
