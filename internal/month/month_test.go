package month

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		y    int
		m    time.Month
		want string // error substring
	}{
		{"2026-10", 2026, time.October, ""},
		{"2026-01", 2026, time.January, ""},
		{"2026-13", 0, 0, `month "2026-13" has no month 13: write it as YYYY-MM`},
		{"2026-00", 0, 0, "has no month 00"},
		{"2026-1", 0, 0, "is not YYYY-MM"},
		{"26-10", 0, 0, "is not YYYY-MM"},
		{"2026/10", 0, 0, "is not YYYY-MM"},
		{"+026-10", 0, 0, "is not YYYY-MM"},
		{"october", 0, 0, "is not YYYY-MM"},
		{"1969-12", 0, 0, "before 1970"},
	} {
		y, m, err := Parse(tc.in)
		switch {
		case tc.want == "" && (err != nil || y != tc.y || m != tc.m):
			t.Errorf("Parse(%q) = %d %v %v", tc.in, y, m, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Parse(%q) error %v, want %q", tc.in, err, tc.want)
		}
	}
	if got := Format(2026, time.March); got != "2026-03" {
		t.Errorf("Format = %q", got)
	}
}
