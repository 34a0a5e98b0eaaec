// Package outbox is the delivery worker: it drains the durable outbox in
// the state database through each channel's notify.Notifier.
//
// # Delivery
//
// Per channel a dispatcher claims due messages (marking them 'sending' in
// the database before anything is sent), waits for the channel's token
// bucket (golang.org/x/time/rate: RatePerSecond, Burst) and hands them to
// a shared pool of senders (Concurrency, default 64). A recorder writes
// outcomes in batches, one transaction per batch, so the database is not
// the bottleneck of a 10,000-message fan-out. The dispatcher claims at
// most half a second's worth of its rate at a time, so few messages sit
// in 'sending' waiting for a token.
//
// Outcomes follow the channel's notify.Failure:
//   - Retry: pending again after max(RetryAfter, backoff); a RetryAfter
//     also pauses the whole channel until then (a 429 is about the
//     account, not the message). Messages older than MaxAge fail.
//   - Permanent: failed, and the recipient is deactivated on that channel
//     (its waiting messages are cancelled; nothing is sent to it again
//     until it is reactivated, e.g. by START).
//   - Uncertain: never resent blindly. The message becomes 'uncertain' and
//     after ReconcileDelay it is reconciled: the channel (a
//     notify.Reconciler, like twilio) is asked whether the provider has it.
//     Found: recorded as sent with the provider's id. Not found: sent
//     again. A channel that cannot reconcile and is not marked idempotent
//     leaves the message 'uncertain' for a human (Stats.Uncertain, the
//     backlog metric and the log say so).
//   - none of them: failed (rejected for good), recipient kept.
//
// # Crash recovery
//
// When Run starts it first turns every 'sending' row — in flight when the
// previous process died — into 'uncertain', due now; those are reconciled
// like any uncertain send. So after a kill -9 every message is delivered,
// and a duplicate needs a message that was in flight at the crash, was
// accepted by the provider and yet is not found by the reconciliation.
// Why reconcile rather than mark-uncertain-and-stop: an outage alert that
// waits for a human is worse than none, and Twilio's Messages list
// answers the question cheaply; why not resend: a kill -9 during a
// 10,000-subscriber fan-out would send up to a batch of duplicates.
// One worker per state database is assumed (true for SQLite).
//
// Outcomes are written in batches: a crash loses at most the outcomes
// not yet written, whose rows are still 'sending' and get reconciled.
//
// It imports alert/notify and store (for the outbox types) and nothing of
// statuspage, sla or cmd.
package outbox
