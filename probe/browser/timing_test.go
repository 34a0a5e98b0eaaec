package browser

import (
	"testing"
	"time"

	"github.com/vigilmon/vigil/probe"
)

func TestNavigationEntryPhases(t *testing.T) {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	for _, tt := range []struct {
		name string
		e    navigationEntry
		want probe.Phases
	}{
		{"https", navigationEntry{
			DomainLookupStart: 1.5, DomainLookupEnd: 11.5, ConnectStart: 11.5, SecureConnectionStart: 20,
			ConnectEnd: 45, RequestStart: 45.2, ResponseStart: 145.2, ResponseEnd: 150.2,
		}, probe.Phases{DNS: ms(10), Connect: ms(8.5), TLS: ms(25), TTFB: ms(100), Transfer: ms(5)}},
		{"http, reused connection", navigationEntry{
			DomainLookupStart: 2, DomainLookupEnd: 2, ConnectStart: 2, ConnectEnd: 2,
			RequestStart: 3, ResponseStart: 33, ResponseEnd: 34,
		}, probe.Phases{TTFB: ms(30), Transfer: ms(1)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.e.phases()
			for _, name := range probe.PhaseNames {
				if d, w := got.Get(name), tt.want.Get(name); (d - w).Abs() > time.Microsecond {
					t.Errorf("%s = %s, want %s", name, d, w)
				}
			}
		})
	}
}
