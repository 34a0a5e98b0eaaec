// Package subscribe owns the status page's self-service SMS subscription
// (issue 6): a form where a customer enters a mobile number and picks the
// components to follow, a 6-digit code sent by SMS (valid 10 minutes, 5
// tries), and, once the code is entered, a confirmed subscriber in the
// state database. It also serves the unsubscribe link (a signed token →
// a confirm page → POST). STOP is answered elsewhere (alert/inbound).
//
// Routes, below the page's root (mount the Handler at "/subscribe" and
// "/subscribe/", without stripping the prefix):
//
//	GET  /subscribe              the form
//	POST /subscribe              send a code
//	POST /subscribe/verify       enter the code
//	GET  /subscribe/unsubscribe  ?t=TOKEN: confirm page (GET never unsubscribes: link scanners follow links)
//	POST /subscribe/unsubscribe  unsubscribe
//	GET  /subscribe/subscribe.css
//
// # Protection against SMS pumping and abuse
//
// Every check below runs before anything is stored or sent, and every
// refusal sends nothing:
//
//   - a body limit, form-encoded bodies only, every field at most once;
//   - a CSRF token bound to a cookie (an HMAC over the cookie's random
//     value, the form's purpose and what it acts on, valid one hour); the
//     code form's token also binds the number of tries so far, so each
//     code form serves one try and a replayed one is refused (durably: the
//     count is in the database);
//   - a honeypot field hidden by CSS: filled in, the request gets the
//     usual "code sent" page and nothing happens;
//   - numbers parsed with libphonenumber (national ones in the configured
//     default region), valid, without extension, of a country in the
//     allowed list, and mobile (premium-rate and other number types that
//     pumping aims at are refused);
//   - a per-address flood limit on every POST (in memory, 20 at once,
//     then one per 3 s; IPv6 addresses count per /64);
//   - token buckets (golang.org/x/time/rate) per client address, per
//     number, per number prefix (the number without its last 3 digits)
//     and for the whole page, each N per hour with a burst of N, held in
//     memory and written through to the state database before the SMS is
//     sent, so a restart does not refill them; stored under keyed hashes
//     of the address, number and prefix, never the values;
//   - the code is stored only as an HMAC under a key derived from the
//     server secret, and nothing but the pending verification (number,
//     components, code hash, expiry, tries) is stored before confirmation.
//
// # HTTP status codes
//
// Every refusal renders the page again with a message saying what to do,
// under a status code that says what happened:
//
//	200  a page; also the fake "code sent" page of a filled honeypot
//	303  GET /subscribe/verify (a reload) goes back to the form
//	400  a malformed request: unreadable form, a field twice, a component
//	     the page does not have, an unsubscribe link that does not verify
//	403  CSRF: no cookie, a missing, forged, expired or already used token
//	410  the code expired, was used, or was replaced by a newer one, or
//	     its 5 tries are used up: a new code is needed
//	413  the body is larger than the form can be
//	415  the body is not application/x-www-form-urlencoded
//	422  the form is well formed but a value is unusable: not a phone
//	     number, not valid, not mobile, a country not allowed, no
//	     component chosen, a wrong code, a number that cannot receive SMS
//	429  too many requests from this address, to this number or to its
//	     prefix; Retry-After says when to try again
//	502  the SMS provider failed; the pending code is dropped
//	503  the page's hourly cap on verification SMS is reached (no
//	     fault of the client); Retry-After says when
//	500  the state database failed
//
// It imports store, configs, alert/notify and internal/clock of vigil,
// and nothing of statuspage, api, alert's other packages or cmd.
package subscribe
