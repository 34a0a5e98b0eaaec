package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// classify maps the error that ended a probe to a failure Reason and a
// message for people. It is the one place every probe kind turns errors
// into the SLA vocabulary:
//
//   - the context's deadline passed (whatever the probe was doing) → timeout
//   - the name did not resolve                                     → dns
//   - refused, unreachable, reset, no route                        → connect
//   - certificate verification or handshake failure                → tls
//   - a malformed or truncated answer, and anything unknown        → protocol
//
// inTLS says the error happened during a TLS handshake, so that plain
// transport errors there (EOF, a reset) are blamed on TLS.
func classify(ctx context.Context, err error, inTLS bool) (Reason, string) {
	if err == nil {
		return ReasonNone, ""
	}
	if timedOut(ctx, err) {
		return ReasonTimeout, timeoutMessage(ctx)
	}
	if r, ok := classifyNet(err, inTLS); ok {
		return r, err.Error()
	}
	return ReasonProtocol, err.Error()
}

// timedOut reports whether the probe ended because its time ran out: the
// context is done, its deadline has passed, or the error is a timeout (a
// socket deadline derived from the context can fire a hair before the
// context's own timer).
func timedOut(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		// A resolver giving up on its own is a DNS failure, not ours.
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// timeoutMessage says whether the deadline passed or the probe was
// cancelled (a shutdown); setFailure adds how long it ran and the phase.
func timeoutMessage(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.Canceled) {
		return "probe cancelled"
	}
	return "deadline exceeded"
}

// classifyNet recognises resolver, socket and TLS errors.
func classifyNet(err error, inTLS bool) (Reason, bool) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return ReasonDNS, true
	}
	if isTLSError(err) {
		return ReasonTLS, true
	}
	if inTLS {
		return ReasonTLS, true
	}
	for _, errno := range connectErrnos {
		if errors.Is(err, errno) {
			return ReasonConnect, true
		}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return ReasonConnect, true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// The connection worked but closed before a whole answer.
		return ReasonProtocol, true
	}
	return "", false
}

// connectErrnos are the socket errors that mean "no usable connection".
var connectErrnos = []error{
	syscall.ECONNREFUSED,
	syscall.ECONNRESET,
	syscall.ECONNABORTED,
	syscall.EHOSTUNREACH,
	syscall.ENETUNREACH,
	syscall.EHOSTDOWN,
	syscall.ENETDOWN,
	syscall.EPIPE,
	syscall.EADDRNOTAVAIL,
}

// isTLSError reports certificate verification and handshake errors.
func isTLSError(err error) bool {
	var (
		verifyErr  *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		invalid    x509.CertificateInvalidError
		hostname   x509.HostnameError
		alert      tls.AlertError
		record     tls.RecordHeaderError
		echReject  *tls.ECHRejectionError
		systemRoot x509.SystemRootsError
	)
	return errors.As(err, &verifyErr) ||
		errors.As(err, &unknownCA) ||
		errors.As(err, &invalid) ||
		errors.As(err, &hostname) ||
		errors.As(err, &alert) ||
		errors.As(err, &record) ||
		errors.As(err, &echReject) ||
		errors.As(err, &systemRoot)
}
