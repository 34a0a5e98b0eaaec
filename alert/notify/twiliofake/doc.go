// Package twiliofake is a test helper: a local HTTP server that speaks the
// part of Twilio's REST API vigil uses (Messages create and list) the way
// Twilio does — Basic auth, form fields, JSON resources and error bodies,
// status callbacks signed with X-Twilio-Signature — and that can inject
// the failures a real provider shows (429 with Retry-After, 5xx, hangs,
// dropped connections, accepted-then-5xx) and permanent recipient errors.
//
// It records every accepted message with the time it arrived and counts
// requests per recipient, so tests can check rates and duplicates.
//
// Only tests import it; it must not import any vigil package.
package twiliofake
