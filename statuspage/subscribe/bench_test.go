package subscribe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/store"
)

// countingSender accepts every SMS and counts them.
type countingSender struct{ n atomic.Int64 }

func (s *countingSender) Notify(context.Context, notify.Message) (notify.Receipt, error) {
	s.n.Add(1)
	return notify.Receipt{ProviderID: "SM1", Status: "queued"}, nil
}

// benchHandler is a Handler on a fresh state database whose limits do
// not get in the way, sending into a counter.
func benchHandler(b *testing.B) (*Handler, *countingSender) {
	b.Helper()
	st, err := store.OpenState(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	sender := &countingSender{}
	h, err := New(Options{Store: st, Sender: sender, Components: []configs.Component{{ID: "web"}},
		Config: configs.SMSSubscribe{DefaultRegion: "NL", AllowedCountries: []string{"NL"},
			MaxVerificationsPerHour: 1 << 30, PerIP: 1 << 30, PerNumber: 1 << 30, PerPrefix: 1 << 30},
		PublicURL: "https://status.example.com", Secret: testSecret, Clock: clock.NewFake(t0)})
	if err != nil {
		b.Fatal(err)
	}
	return h, sender
}

// BenchmarkShowForm measures serving the form, the page every visitor
// of /subscribe gets.
func BenchmarkShowForm(b *testing.B) {
	h, _ := benchHandler(b)
	req := httptest.NewRequest(http.MethodGet, "/subscribe", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkRequestCode measures a whole accepted code request: checks,
// four rate limits written through to SQLite (fsync), the verification
// stored, the SMS handed to the sender, the code form rendered.
func BenchmarkRequestCode(b *testing.B) {
	h, sender := benchHandler(b)
	const cookie = "AAAAAAAAAAAAAAAAAAAAAA"
	i := 0
	for b.Loop() {
		i++
		form := url.Values{
			"csrf":      {h.keys.formToken(cookie, purposeSubscribe, "", t0)},
			"phone":     {fmt.Sprintf("+3161%07d", i)},
			"component": {"web"},
		}
		req := httptest.NewRequest(http.MethodPost, "/subscribe", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: h.cookie.name, Value: cookie})
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1234", i>>16&255, i>>8&255, i&255)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("request %d: status %d\n%s", i, w.Code, w.Body)
		}
	}
	if int(sender.n.Load()) != i {
		b.Fatalf("%d SMS for %d requests", sender.n.Load(), i)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkFloodRefusal measures answering a POST over the flood limit,
// the cost a script hammering the form puts on vigil.
func BenchmarkFloodRefusal(b *testing.B) {
	h, sender := benchHandler(b)
	body := url.Values{"phone": {"+31612345678"}, "component": {"web"}}.Encode()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/subscribe", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusForbidden && w.Code != http.StatusTooManyRequests {
			b.Fatalf("status %d", w.Code)
		}
	}
	if sender.n.Load() != 0 {
		b.Fatal("a refused request sent an SMS")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "refusals/s")
}
