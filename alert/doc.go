// Package alert owns incidents and who hears about them: the incident state
// machine (pure, with an injectable clock), fed by probe results; the
// maintenance silence; and the events that the durable outbox turns into
// notifications. Channels live in alert/notify/<channel>.
//
// The state machine is the Evaluator (rules in its doc comment). The
// wiring feeds it every probe.Result (Observe), calls Tick every 10–30 s
// (reminders, maintenance ends), passes on the engineers' Update, Resolve
// and Ack, and for every returned Event, in order: saves Event.Incident
// (IncidentStore, SaveEvents), then, unless Event.Silent, enqueues one
// message per recipient of Event.Audience; Event.Key is a stable
// deduplication key. At startup it calls Resume to go on with the open
// incidents of the state database.
//
// The files: evaluator.go (inputs, counting), quorum.go (location quorum),
// lifecycle.go (open, reopen, resolve, announce), flapguard.go (message
// budget), tick.go (reminders), manual.go (engineers' operations),
// restore.go and persist.go (restart), incident.go, event.go, status.go.
//
// It must not import statuspage, sla/report, store or cmd; it reads
// maintenance through the small Muter interface and writes incidents
// through the IncidentStore interface it defines itself.
package alert
