// Package twilio is the SMS channel: it sends a notify.Message through
// Twilio's Messages API with github.com/twilio/twilio-go, classifies every
// failure for the outbox worker (retry, permanent, uncertain), reconciles
// uncertain sends through the Messages list, fits texts into at most two
// GSM-7 segments, and verifies the X-Twilio-Signature of the webhooks
// Twilio posts back (status callbacks, inbound SMS).
//
// twilio-go's base URL is fixed (https://api.twilio.com); the configured
// api_base_url is reached through a rewriting http.RoundTripper, which also
// binds each request to the caller's context and notes whether the request
// was written before a failure (a dial error is safe to retry, a failure
// after the request was written is not). TWILIO_EDGE and TWILIO_REGION are
// ignored: api_base_url is the one place that says where requests go.
//
// The auth token never appears in an error or a log line: every error
// leaving the package is redacted (token and Basic credentials).
//
// It imports alert/notify and nothing else of vigil.
package twilio
