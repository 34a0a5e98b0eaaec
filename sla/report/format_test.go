package report

import (
	"testing"
	"time"
)

func TestPercentTruncates(t *testing.T) {
	for ppm, want := range map[int64]string{
		998878: "99.887%", 999999: "99.999%", 1_000_000: "100.000%", 0: "0.000%", 5: "0.000%", 965277: "96.527%",
	} {
		if got := percentPPM(ppm); got != want {
			t.Errorf("percentPPM(%d) = %s, want %s", ppm, got, want)
		}
	}
	for ppm, want := range map[int64]string{999_000: "99.9%", 950_000: "95%", 999_950: "99.995%", 1_000_000: "100%", 0: "0%", 999_999: "99.9999%"} {
		if got := targetPercent(ppm); got != want {
			t.Errorf("targetPercent(%d) = %s, want %s", ppm, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for sec, want := range map[int64]string{
		0: "0 s", 45: "45 s", 60: "1 min", 808: "13 min 28 s", 1380: "23 min", 3220: "53 min 40 s",
		7500: "2 h 5 min", 7200: "2 h", 86400*3 + 4*3600 + 59: "3 d 4 h", 86400: "1 d",
	} {
		if got := duration(sec); got != want {
			t.Errorf("duration(%d) = %s, want %s", sec, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 44700: "44,700", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestTimes(t *testing.T) {
	// 25 October 2026: 03:00 CEST becomes 02:00 CET.
	cest := time.Date(2026, time.October, 25, 0, 30, 0, 0, time.UTC).In(ams)
	cet := cest.Add(time.Hour) // 02:30 again, an hour later
	for _, tc := range []struct{ got, want string }{
		{localTime(at(14, 9, 58, 30)), "2026-10-14 09:58:30 CEST"},
		{localTime(at(14, 10, 0, 0)), "2026-10-14 10:00 CEST"},
		{timeRange(at(10, 2, 0, 0), at(10, 4, 0, 0)), "2026-10-10 02:00–04:00 CEST"},
		{timeRange(at(10, 23, 0, 0), at(11, 1, 0, 0)), "2026-10-10 23:00 CEST – 2026-10-11 01:00 CEST"},
		{timeRange(cest, cet), "2026-10-25 02:30 CEST – 2026-10-25 02:30 CET"},
		{timeAfter(at(10, 2, 0, 0), at(10, 3, 40, 0)), "03:40 CEST"},
		{timeAfter(at(10, 2, 0, 0), at(11, 3, 40, 0)), "2026-10-11 03:40 CEST"},
		{timeAfter(cest, cet), "2026-10-25 02:30 CET"},
		{monthTitle("2026-10"), "October 2026"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
