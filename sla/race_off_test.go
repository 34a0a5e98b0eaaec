//go:build !race

package sla

const raceEnabled = false
