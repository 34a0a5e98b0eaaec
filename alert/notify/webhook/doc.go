// Package webhook is the webhook channel: it POSTs a JSON payload to the
// recipient URL, signed, with bounded in-process retries through
// github.com/hashicorp/go-retryablehttp.
//
// # What a receiver gets
//
//	POST <url>
//	Content-Type: application/json
//	User-Agent: vigil-webhook/1
//	X-Vigil-Delivery: <outbox message id>      same on every retry of one message
//	X-Vigil-Event: incident.opened
//	X-Vigil-Timestamp: <Unix seconds of this attempt>
//	X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>
//
// Receivers must verify the signature over the exact body bytes (compare
// in constant time) and must be idempotent on X-Vigil-Delivery: vigil
// delivers at least once. A timeout or a 5xx after the request was sent is
// retried, so the same delivery can arrive twice; a receiver that has seen
// the id answers 2xx and does nothing. It may also refuse timestamps far
// from its clock to limit replays.
//
// # Retries
//
// In process, only connection errors and 429/503 with a Retry-After of at
// most RetryWaitMax are retried, at most RetryMax times. Anything else the
// outbox worker retries later with its backoff (every failure except a
// 4xx is Retry: receivers are idempotent). 410 Gone is Permanent: the
// recipient is deactivated. Other 4xx answers fail the message.
//
// It imports alert/notify and nothing else of vigil; the secret never
// appears in an error or a log line.
package webhook
