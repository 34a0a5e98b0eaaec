package browser

import (
	"strings"

	"github.com/vigilmon/vigil/probe"
)

// netReasons maps Chromium's network errors (net/base/net_error_list.h),
// by name without the "net::ERR_" prefix, to the SLA vocabulary. A name
// ending in "_" is a prefix for a family of errors.
var netReasons = []struct {
	name   string
	reason probe.Reason
}{
	{"NAME_NOT_RESOLVED", probe.ReasonDNS},
	{"NAME_RESOLUTION_FAILED", probe.ReasonDNS},
	{"DNS_", probe.ReasonDNS},

	{"TIMED_OUT", probe.ReasonTimeout},
	{"CONNECTION_TIMED_OUT", probe.ReasonTimeout},

	{"CONNECTION_REFUSED", probe.ReasonConnect},
	{"CONNECTION_RESET", probe.ReasonConnect},
	{"CONNECTION_CLOSED", probe.ReasonConnect},
	{"CONNECTION_ABORTED", probe.ReasonConnect},
	{"CONNECTION_FAILED", probe.ReasonConnect},
	{"ADDRESS_UNREACHABLE", probe.ReasonConnect},
	{"ADDRESS_INVALID", probe.ReasonConnect},
	{"INTERNET_DISCONNECTED", probe.ReasonConnect},
	{"NETWORK_CHANGED", probe.ReasonConnect},
	{"NETWORK_ACCESS_DENIED", probe.ReasonConnect},
	{"PROXY_", probe.ReasonConnect},
	{"TUNNEL_CONNECTION_FAILED", probe.ReasonConnect},

	{"CERT_", probe.ReasonTLS},
	{"SSL_", probe.ReasonTLS},
	{"BAD_SSL_CLIENT_AUTH_CERT", probe.ReasonTLS},
	{"TLS13_", probe.ReasonTLS},
	{"ECH_", probe.ReasonTLS},

	{"HTTP_RESPONSE_CODE_FAILURE", probe.ReasonStatus},

	{"EMPTY_RESPONSE", probe.ReasonProtocol},
	{"INVALID_RESPONSE", probe.ReasonProtocol},
	{"INVALID_HTTP_RESPONSE", probe.ReasonProtocol},
	{"RESPONSE_HEADERS_", probe.ReasonProtocol},
	{"CONTENT_LENGTH_MISMATCH", probe.ReasonProtocol},
	{"INCOMPLETE_CHUNKED_ENCODING", probe.ReasonProtocol},
	{"CONTENT_DECODING_FAILED", probe.ReasonProtocol},
	{"TOO_MANY_REDIRECTS", probe.ReasonProtocol},
	{"INVALID_REDIRECT", probe.ReasonProtocol},
	{"UNSAFE_REDIRECT", probe.ReasonProtocol},
	{"ABORTED", probe.ReasonProtocol},

	{"UNSAFE_PORT", probe.ReasonConfig},
	{"INVALID_URL", probe.ReasonConfig},
	{"DISALLOWED_URL_SCHEME", probe.ReasonConfig},
	{"UNKNOWN_URL_SCHEME", probe.ReasonConfig},
}

// netReason classifies a Chromium network error text such as
// "net::ERR_CONNECTION_REFUSED". An unknown error means the page could not
// be fetched, so it counts as no connection.
func netReason(text string) probe.Reason {
	name := strings.TrimPrefix(text, "net::ERR_")
	for _, n := range netReasons {
		if name == n.name || (strings.HasSuffix(n.name, "_") && strings.HasPrefix(name, n.name)) {
			return n.reason
		}
	}
	return probe.ReasonConnect
}
