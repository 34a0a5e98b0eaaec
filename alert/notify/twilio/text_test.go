package twilio_test

import (
	"strings"
	"testing"

	"github.com/vigilmon/vigil/alert/notify/twilio"
)

func TestSegments(t *testing.T) {
	for _, c := range []struct {
		text string
		n    int
		gsm  bool
	}{
		{strings.Repeat("a", 160), 1, true},
		{strings.Repeat("a", 161), 2, true},
		{strings.Repeat("a", 306), 2, true},
		{strings.Repeat("a", 307), 3, true},
		{strings.Repeat("€", 80), 1, true}, // two septets each
		{strings.Repeat("€", 81), 2, true},
		{strings.Repeat("я", 70), 1, false},
		{strings.Repeat("я", 71), 2, false},
		{strings.Repeat("я", 134), 2, false},
		{strings.Repeat("я", 135), 3, false},
	} {
		n, gsm := twilio.Segments(c.text)
		if n != c.n || gsm != c.gsm {
			t.Errorf("Segments(%d × %q) = %d, %v; want %d, %v", len([]rune(c.text)), []rune(c.text)[0], n, gsm, c.n, c.gsm)
		}
	}
}

func TestFit(t *testing.T) {
	link := "https://status.example.com/incidents/42"
	short := "Checkout is down – “timeout” since 12:01 " + link
	if got := twilio.Fit(short); got != `Checkout is down - "timeout" since 12:01 `+link {
		t.Errorf("Fit(short) = %q: typography should map to GSM-7", got)
	}
	long := strings.Repeat("Checkout is failing in all locations. ", 20) + link
	got := twilio.Fit(long)
	if n, gsm := twilio.Segments(got); n > 2 || !gsm {
		t.Errorf("Fit(long) takes %d segments (gsm %v), want ≤ 2 in GSM-7: %q", n, gsm, got)
	}
	if !strings.HasSuffix(got, "... "+link) {
		t.Errorf("Fit(long) = %q: want it cut with ... and the link kept at the end", got)
	}
	if n := len(got); n < 290 {
		t.Errorf("Fit(long) kept only %d characters of 306", n)
	}
	uni := strings.Repeat("Касса недоступна. ", 20) + link
	got = twilio.Fit(uni)
	if n, gsm := twilio.Segments(got); n > 2 || gsm {
		t.Errorf("Fit(uni) takes %d segments (gsm %v), want ≤ 2 in UCS-2", n, gsm)
	}
	if !strings.HasSuffix(got, "… "+link) {
		t.Errorf("Fit(uni) = %q: want … and the link at the end", got)
	}
}
