// Package statuspage owns vigil's public status page: the HTML pages
// (html/template, embedded, readable without JavaScript), the Atlassian
// Statuspage v2 compatible JSON API under /api/v2, the Atom feed of
// incidents and maintenance, and the iCalendar feed of maintenance.
//
// # Sources
//
// The page reads vigil's state through small interfaces of its own
// (sources.go): the components and their checks (Catalog), the latest
// result of each check (LatestResults), incidents, maintenance windows,
// per-day availability minutes and key-screen timings. cmd/vigil adapts
// the stores to them; tests build states directly.
//
// # Rendering once, serving from memory
//
// Run polls the cheap sources every few seconds and the expensive ones
// (availability, latency) about once a minute, derives what the page shows
// (a content value), and renders every page, feed and JSON document only
// when the content's hash changed, or the day did. Each rendering is kept
// with its gzip form, ETag and Last-Modified; requests are answered from
// that snapshot without touching a source (conditional requests get 304),
// so a spike of visitors during an outage costs vigil nothing but bytes
// written. The JSON API answers CORS for any origin (widgets read it from
// the browser). Pages carry no script and no inline style: the CSP allows
// stylesheets and images of the page's own origin (and the logo's) only.
//
// # Derivations (readings chosen here)
//
//   - Component status, the first that applies: under_maintenance while a
//     maintenance window of the component is in force (from its start to
//     its actual end when closed, else its scheduled end; cancelled windows
//     never); major_outage when every check of the component with a recent
//     result fails; partial_outage when some fail, or when a public
//     incident of the component is open; degraded_performance when a key
//     screen's p95 over the last 15 minutes exceeds its threshold;
//     operational otherwise. A result older than three intervals (and a
//     minute) is not recent.
//   - Public incidents: an incident that opened during maintenance and was
//     never announced (InMaintenance) is not shown: the maintenance is.
//     Of a public incident's updates the page shows those sent to
//     subscribers (Notify), the first one, every resolve, and an update
//     that reopens the incident after a resolve, so the timeline always
//     explains the status; the others are notes for the on-call engineers.
//   - Impact: an open incident is critical while one of its components is
//     in major_outage, major otherwise; a resolved one is major (vigil opens
//     incidents only on confirmed unavailability).
//   - Maintenance: every window the store holds is maintenance on the page
//     and in the bars, whatever notice it had; the SLA report judges notice.
//     Its status is scheduled, in_progress or completed by the clock;
//     cancelled windows leave the JSON and the pages, and stay in the feeds
//     (STATUS:CANCELLED in the calendar, a "Cancelled maintenance" entry in
//     the Atom feed) so that those who saw them learn they are off.
//   - Bars: one per local day (the page's zone) with the minutes of
//     SLA.md: availability up/(up+down), truncated, never rounded up.
//
// It imports of vigil's only sla (pure computation: the contract's
// percentiles) and internal/clock; not store, alert, api, probe or cmd.
package statuspage
