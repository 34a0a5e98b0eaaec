package sla

import "fmt"

// Integer rules of sections 4 and 6. Nothing here uses floating point.

// ratioPPM returns floor(num*1e6/den), or nil when den is 0.
func ratioPPM(num, den int64) *int64 {
	if den == 0 {
		return nil
	}
	v := num * ppm / den
	return &v
}

// meets reports whether num/den reaches targetPPM: num*1e6 >= target*den.
// It is nil when den is 0 (no data).
func meets(num, den, targetPPM int64) *bool {
	if den == 0 {
		return nil
	}
	v := num*ppm >= targetPPM*den
	return &v
}

// percentTruncated formats num/den as a percentage with three decimals,
// truncated, never rounded up: 99.89995% shows as "99.899%". It is nil when
// den is 0.
func percentTruncated(num, den int64) *string {
	if den == 0 {
		return nil
	}
	milli := num * 100_000 / den // thousandths of a percent
	s := fmt.Sprintf("%d.%03d%%", milli/1000, milli%1000)
	return &s
}

// credit returns the credit of the tier with the smallest BelowPPM that the
// availability up/(up+down) is strictly below (up*1e6 < below*(up+down)), 0
// when it is below none, and nil without data.
func credit(up, down int64, tiers []Tier) *int64 {
	den := up + down
	if den == 0 {
		return nil
	}
	var best *Tier
	for i := range tiers {
		t := &tiers[i]
		if up*ppm < t.BelowPPM*den && (best == nil || t.BelowPPM < best.BelowPPM) {
			best = t
		}
	}
	v := int64(0)
	if best != nil {
		v = best.CreditPercent
	}
	return &v
}
