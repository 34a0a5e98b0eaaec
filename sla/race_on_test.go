//go:build race

package sla

// raceEnabled shortens the slow randomized tests under -race, which makes
// the brute-force reference about 15 times slower.
const raceEnabled = true
