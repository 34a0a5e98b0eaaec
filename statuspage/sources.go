package statuspage

import (
	"context"
	"time"
)

// Catalog lists the components the page shows, in display order; it may
// change when the config is reloaded.
type Catalog interface {
	Components() []Component
}

// Component is a part of the product as customers see it.
type Component struct {
	ID, Name    string
	Group       string // "" for a component without a group
	Description string
	Checks      []Check
}

// Check is one check covering a component.
type Check struct {
	Name     string
	Interval time.Duration
	// Threshold, when positive, makes the check a key screen: its p95 is
	// shown against it and a slower recent p95 degrades the component.
	Threshold time.Duration
}

// LatestResults gives the most recent result of a check.
type LatestResults interface {
	Latest(check string) (Result, bool)
}

// Result is a check's latest result, as far as the page cares.
type Result struct {
	Start    time.Time
	OK       bool
	Duration time.Duration
}

// Incidents reads the incidents whose span [opened, resolved) overlaps
// [from, to), with their updates oldest first.
type Incidents interface {
	Incidents(ctx context.Context, from, to time.Time) ([]Incident, error)
}

// Incident is an incident as the alerting recorded it.
type Incident struct {
	ID         string
	Title      string
	Components []string
	Status     string // investigating, identified, monitoring, resolved
	OpenedAt   time.Time
	ResolvedAt *time.Time
	// InMaintenance: opened during maintenance and never announced.
	InMaintenance bool
	Updates       []Update
}

// Update is one entry of an incident's timeline.
type Update struct {
	Seq     int
	At      time.Time
	Status  string
	Message string
	Notify  bool // sent to customer subscribers
}

// Maintenances reads the maintenance windows whose span overlaps [from,
// to), cancelled ones included.
type Maintenances interface {
	Maintenance(ctx context.Context, from, to time.Time) ([]Maintenance, error)
}

// Maintenance is a maintenance window as the store keeps it.
type Maintenance struct {
	ID          string
	Title       string
	Components  []string
	Start, End  time.Time // scheduled
	AnnouncedAt time.Time
	CreatedAt   time.Time
	ActualEnd   *time.Time // closed early or late
	CancelledAt *time.Time
}

// Availability counts each component's minutes per local day, by the rules
// of SLA.md (every maintenance window counting as maintenance).
type Availability interface {
	// Daily returns, per component id, the minutes of each day starting
	// at days[i] (local midnights, oldest first) and ending at the next
	// local midnight; the last day is counted up to now.
	Daily(ctx context.Context, days []time.Time, now time.Time) (map[string][]DayMinutes, error)
}

// DayMinutes are one day's minutes of one component by class.
type DayMinutes struct {
	Up, Down, Excluded, NoData int64
}

// Latency gives the timings of a key screen.
type Latency interface {
	// Timings returns the ok results of check that started in [from,
	// to), from every location, in any order.
	Timings(ctx context.Context, check string, from, to time.Time) ([]Timing, error)
}

// Timing is one ok result's start and duration.
type Timing struct {
	Start    time.Time
	Duration time.Duration
}
