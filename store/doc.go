// Package store owns vigil's state in SQLite (PostgreSQL for several
// instances comes later): maintenance windows and their announcement
// history, incidents, the durable notification outbox, recipients and
// subscriptions, the pending verifications of self-service subscriptions
// and the rate limits that guard them, behind numbered embedded
// migrations (migrations/).
// Probe results live next door, in store/resultsdb. It must not import
// alert, api or cmd.
package store
