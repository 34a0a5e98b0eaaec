package sla

import (
	"time"
)

// Schema names the JSON shape of Result.
const Schema = "vigil.sla.v1"

// Result is the computed SLA of one customer for one period: the numbers of
// section 7, ready for the JSON, CSV and PDF/HTML renderings.
type Result struct {
	Schema      string    `json:"schema"`
	Customer    string    `json:"customer"`
	Month       string    `json:"month"` // the period's first month, "2026-10"
	Timezone    string    `json:"timezone"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
	Minutes     Minutes   `json:"minutes"`
	// AvailabilityPPM is floor(up*1e6/(up+down)); nil without data.
	AvailabilityPPM *int64 `json:"availability_ppm"`
	// Availability is the percentage truncated to three decimals, "99.903%".
	Availability  *string `json:"availability"`
	TargetPPM     int64   `json:"target_ppm"`
	Met           *bool   `json:"met"`
	CreditPercent *int64  `json:"credit_percent"`

	Maintenance []MaintenanceReport `json:"maintenance"`
	Incidents   []Incident          `json:"incidents"`
	Screens     []ScreenReport      `json:"screens"`
	Daily       []Day               `json:"daily"`

	class []Class
	f     frame
}

// Minutes counts the period's minutes by class; Total is the sum.
type Minutes struct {
	Total       int64 `json:"total"`
	Excluded    int64 `json:"excluded"`
	Down        int64 `json:"down"`
	Unmonitored int64 `json:"unmonitored"`
	Up          int64 `json:"up"`
}

// MaintenanceReport is one maintenance window as judged for the SLA.
type MaintenanceReport struct {
	ID          string     `json:"id"`
	Components  []string   `json:"components"`
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	ActualEnd   *time.Time `json:"actual_end"`
	AnnouncedAt time.Time  `json:"announced_at"`
	Planned     bool       `json:"planned"`
	// Reason says why the window is not planned; "" when it is.
	Reason string `json:"reason"`
	// NoticeHours is start - announced_at in hours, truncated to 0.01 h.
	NoticeHours float64 `json:"notice_hours"`
	// ExcludedMinutes counts the minutes of the window's exclusion span that
	// were classified excluded.
	ExcludedMinutes int64 `json:"excluded_minutes"`
}

// ScreenReport is the latency objective of one key screen.
type ScreenReport struct {
	Check         string  `json:"check"`
	ThresholdMS   int64   `json:"threshold_ms"`
	Total         int64   `json:"total"`
	Good          int64   `json:"good"`
	CompliancePPM *int64  `json:"compliance_ppm"`
	Compliance    *string `json:"compliance"`
	TargetPPM     int64   `json:"target_ppm"`
	Met           *bool   `json:"met"`
	P50MS         *int64  `json:"p50_ms"`
	P95MS         *int64  `json:"p95_ms"`
	P99MS         *int64  `json:"p99_ms"`
	// Distribution counts the ok durations (those behind P50MS..P99MS) in
	// buckets; the eligible observations it leaves out are the timeouts.
	Distribution []LatencyBucket `json:"distribution,omitempty"`
}

// LatencyBucket counts the ok durations d with UpToMS-BucketMS < d <= UpToMS
// (the first bucket also holds 0 ms). The buckets are BucketMS wide up to
// BucketLimitMS, then one overflow bucket whose UpToMS is math.MaxInt64;
// buckets after the last non-empty one are left out. A bound is inclusive,
// like the latency threshold, so a 2000 ms threshold is a bucket bound.
type LatencyBucket struct {
	UpToMS int64 `json:"up_to_ms"`
	Count  int64 `json:"count"`
}

// The shape of ScreenReport.Distribution.
const (
	BucketMS      = 100    // bucket width
	BucketLimitMS = 10_000 // the last bounded bucket's UpToMS
)

// Day counts one local calendar day's minutes, for the report's chart.
type Day struct {
	Date            string `json:"date"` // 2026-10-25
	Up              int64  `json:"up"`
	Down            int64  `json:"down"`
	Excluded        int64  `json:"excluded"`
	Unmonitored     int64  `json:"unmonitored"`
	AvailabilityPPM *int64 `json:"availability_ppm"`
}

func (c *Calculator) buildResult(class []Class) *Result {
	loc := c.f.loc
	r := &Result{
		Schema:      Schema,
		Customer:    c.terms.Customer,
		Month:       c.f.startTime().In(loc).Format("2006-01"),
		Timezone:    loc.String(),
		PeriodStart: c.f.startTime().In(loc),
		PeriodEnd:   c.f.endTime().In(loc),
		TargetPPM:   c.terms.AvailabilityTargetPPM,
		Maintenance: []MaintenanceReport{},
		Incidents:   []Incident{},
		Screens:     []ScreenReport{},
		Daily:       []Day{},
		class:       class,
		f:           c.f,
	}
	m := &r.Minutes
	m.Total = int64(len(class))
	var day *Day
	lastY, lastM, lastD := 0, time.Month(0), 0
	for i, cl := range class {
		t := c.f.minuteTime(i)
		if y, mo, d := t.Date(); day == nil || d != lastD || mo != lastM || y != lastY {
			lastY, lastM, lastD = y, mo, d
			r.Daily = append(r.Daily, Day{Date: t.Format(time.DateOnly)})
			day = &r.Daily[len(r.Daily)-1]
		}
		switch cl {
		case ClassUp:
			m.Up++
			day.Up++
		case ClassDown:
			m.Down++
			day.Down++
		case ClassExcluded:
			m.Excluded++
			day.Excluded++
		case ClassNoData:
			m.Unmonitored++
			day.Unmonitored++
		}
	}
	for i := range r.Daily {
		d := &r.Daily[i]
		d.AvailabilityPPM = ratioPPM(d.Up, d.Up+d.Down)
	}
	r.AvailabilityPPM = ratioPPM(m.Up, m.Up+m.Down)
	r.Availability = percentTruncated(m.Up, m.Up+m.Down)
	r.Met = meets(m.Up, m.Up+m.Down, c.terms.AvailabilityTargetPPM)
	r.CreditPercent = credit(m.Up, m.Down, c.terms.Credits)

	for _, e := range c.windows {
		rep := MaintenanceReport{
			ID:          e.w.ID,
			Components:  append([]string{}, e.w.Components...),
			Start:       e.w.Start.In(loc),
			End:         e.w.End.In(loc),
			AnnouncedAt: e.w.AnnouncedAt.In(loc),
			Planned:     e.planned,
			Reason:      e.reason,
			NoticeHours: float64(floorDiv(e.notice.Milliseconds()*100, 3_600_000)) / 100,
		}
		if e.w.ActualEnd != nil {
			ae := e.w.ActualEnd.In(loc)
			rep.ActualEnd = &ae
		}
		for i := e.lo; i < e.hi; i++ {
			if class[i] == ClassExcluded {
				rep.ExcludedMinutes++
			}
		}
		r.Maintenance = append(r.Maintenance, rep)
	}

	for _, o := range c.objectives {
		t := &o.eligible
		s := ScreenReport{
			Check:         o.spec.Check,
			ThresholdMS:   o.spec.ThresholdMS,
			Total:         t.total,
			Good:          t.good,
			CompliancePPM: ratioPPM(t.good, t.total),
			Compliance:    percentTruncated(t.good, t.total),
			TargetPPM:     o.spec.TargetPPM,
			Met:           meets(t.good, t.total, o.spec.TargetPPM),
		}
		if p := t.ok.percentiles(50, 95, 99); p != nil {
			s.P50MS, s.P95MS, s.P99MS = &p[0], &p[1], &p[2]
		}
		s.Distribution = t.ok.buckets()
		r.Screens = append(r.Screens, s)
	}
	return r
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Classes returns a copy of the class of every minute of the period.
func (r *Result) Classes() []Class { return append([]Class(nil), r.class...) }

// ClassAt returns the class of the minute holding t, and false outside the
// period.
func (r *Result) ClassAt(t time.Time) (Class, bool) {
	m := r.f.minute(t.UnixMilli())
	if m < 0 || m >= r.f.n {
		return 0, false
	}
	return r.class[m], true
}
