// Package probe owns the synthetic probes (one file per kind: http, tcp, dns,
// tls, and screen for multi-step HTTP transactions), the typed Result they
// produce, and the Scheduler that runs every check on a fixed, drift-free
// rhythm.
//
// It knows nothing of storage, alerts or SLAs: results leave through a
// callback handed to the Scheduler.
package probe
