// Package alert owns incidents and who hears about them: the incident state
// machine (pure, with an injectable clock), fed by probe results; the
// maintenance silence; and the events that the durable outbox turns into
// notifications. Channels live in alert/notify/<channel>.
//
// It must not import statuspage, sla/report or cmd; it reads maintenance
// through the small Muter interface it defines itself.
package alert
