//go:build !race && linux

package probe

// raceSync is needed by the race detector only; see stamp_race.go.
func raceSync(uintptr) {}
