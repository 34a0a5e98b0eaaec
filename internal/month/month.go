// Package month reads the report month "YYYY-MM" that the CLI and the API
// take. It imports nothing of vigil's.
package month

import (
	"fmt"
	"strconv"
	"time"
)

// Parse reads a report month written YYYY-MM, e.g. 2026-10. Errors quote
// the input and show the form to write.
func Parse(s string) (year int, month time.Month, err error) {
	bad := func(why string) error {
		return fmt.Errorf("month %q %s: write it as YYYY-MM, e.g. 2026-10", s, why)
	}
	if len(s) != 7 || s[4] != '-' || !digits(s[:4]) || !digits(s[5:]) {
		return 0, 0, bad("is not YYYY-MM")
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:])
	switch {
	case y < 1970:
		return 0, 0, bad("is before 1970")
	case m < 1 || m > 12:
		return 0, 0, bad("has no month " + s[5:])
	}
	return y, time.Month(m), nil
}

// Format writes year and month as YYYY-MM.
func Format(year int, month time.Month) string { return fmt.Sprintf("%04d-%02d", year, int(month)) }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
