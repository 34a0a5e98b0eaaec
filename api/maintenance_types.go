package api

import (
	"context"
	"time"

	"github.com/vigilmon/vigil/store"
)

// Maintenances is the maintenance schedule the admin API changes: the
// state database (*store.State implements it).
type Maintenances interface {
	ScheduleMaintenance(ctx context.Context, m store.Maintenance, now time.Time) (store.Maintenance, error)
	RescheduleMaintenance(ctx context.Context, id string, start, end, now time.Time) (store.Maintenance, error)
	CompleteMaintenance(ctx context.Context, id string, at time.Time) (store.Maintenance, error)
	CancelMaintenance(ctx context.Context, id string, at time.Time) (store.Maintenance, error)
	GetMaintenance(ctx context.Context, id string) (store.Maintenance, error)
	ListMaintenance(ctx context.Context, from, to time.Time, includeCancelled bool) ([]store.Maintenance, error)
}

// MaintenancePolicy is what the configuration says about maintenance
// windows; it may change on reload.
type MaintenancePolicy interface {
	// Components lists the configured component ids, sorted.
	Components() []string
	// Warnings judges m against every customer's SLA terms that cover one
	// of its components and returns one Warning per customer that would
	// count it as unplanned.
	Warnings(m store.Maintenance) []Warning
}

// Warning says that a customer's SLA would count a maintenance window as
// unplanned, so that downtime in it counts against the guarantee.
type Warning struct {
	Customer string `json:"customer"`
	// Reason is the SLA's reason, e.g. "notice 72h < 120h".
	Reason string `json:"reason"`
	// Message is the sentence to show a person.
	Message string `json:"message"`
}

// NewWarning returns the warning for customer with the SLA's reason.
func NewWarning(customer, reason string) Warning {
	return Warning{Customer: customer, Reason: reason,
		Message: customer + " would count this window as unplanned: " + reason}
}

// The states a maintenance window is in, as MaintenanceStatus names them.
const (
	StatusScheduled  = "scheduled"
	StatusInProgress = "in progress"
	StatusOverdue    = "overdue" // past its end and not completed
	StatusCompleted  = "completed"
	StatusCancelled  = "cancelled"
)

// MaintenanceStatus says where window m stands at time now.
func MaintenanceStatus(m store.Maintenance, now time.Time) string {
	switch {
	case m.CancelledAt != nil:
		return StatusCancelled
	case m.ActualEnd != nil:
		return StatusCompleted
	case now.Before(m.Start):
		return StatusScheduled
	case now.Before(m.End):
		return StatusInProgress
	}
	return StatusOverdue
}

// maintenanceJSON is a window as the admin API shows it.
type maintenanceJSON struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Components  []string   `json:"components"`
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	AnnouncedAt time.Time  `json:"announced_at"`
	ActualEnd   *time.Time `json:"actual_end"`
	CancelledAt *time.Time `json:"cancelled_at"`
	CreatedAt   time.Time  `json:"created_at"`
	Status      string     `json:"status"`
	// Warnings lists the customers whose SLA would count the window as
	// unplanned; empty when none would.
	Warnings []Warning `json:"warnings"`
}

// scheduleRequest is the body of POST /api/v1/maintenances.
type scheduleRequest struct {
	Title      string    `json:"title"`
	Components []string  `json:"components"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
}

// rescheduleRequest is the body of POST /api/v1/maintenances/{id}/reschedule.
type rescheduleRequest struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// atRequest is the optional body of complete and cancel: when it
// happened, by default now.
type atRequest struct {
	At *time.Time `json:"at"`
}
