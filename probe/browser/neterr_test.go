package browser

import (
	"testing"

	"github.com/vigilmon/vigil/probe"
)

func TestNetReason(t *testing.T) {
	for text, want := range map[string]probe.Reason{
		"net::ERR_NAME_NOT_RESOLVED":          probe.ReasonDNS,
		"net::ERR_DNS_TIMED_OUT":              probe.ReasonDNS,
		"net::ERR_CONNECTION_REFUSED":         probe.ReasonConnect,
		"net::ERR_CONNECTION_RESET":           probe.ReasonConnect,
		"net::ERR_ADDRESS_UNREACHABLE":        probe.ReasonConnect,
		"net::ERR_PROXY_CONNECTION_FAILED":    probe.ReasonConnect,
		"net::ERR_TIMED_OUT":                  probe.ReasonTimeout,
		"net::ERR_CONNECTION_TIMED_OUT":       probe.ReasonTimeout,
		"net::ERR_CERT_AUTHORITY_INVALID":     probe.ReasonTLS,
		"net::ERR_CERT_DATE_INVALID":          probe.ReasonTLS,
		"net::ERR_SSL_PROTOCOL_ERROR":         probe.ReasonTLS,
		"net::ERR_BAD_SSL_CLIENT_AUTH_CERT":   probe.ReasonTLS,
		"net::ERR_HTTP_RESPONSE_CODE_FAILURE": probe.ReasonStatus,
		"net::ERR_EMPTY_RESPONSE":             probe.ReasonProtocol,
		"net::ERR_TOO_MANY_REDIRECTS":         probe.ReasonProtocol,
		"net::ERR_RESPONSE_HEADERS_TOO_BIG":   probe.ReasonProtocol,
		"net::ERR_UNSAFE_PORT":                probe.ReasonConfig,
		"net::ERR_SOMETHING_NEW":              probe.ReasonConnect,
		// A prefix entry matches only as a prefix.
		"net::ERR_XCERT_": probe.ReasonConnect,
	} {
		if got := netReason(text); got != want {
			t.Errorf("netReason(%q) = %s, want %s", text, got, want)
		}
	}
}
