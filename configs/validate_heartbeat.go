package configs

// validateHeartbeat checks a heartbeat.
func validateHeartbeat(v *collector, p string, h *HeartbeatCheck) {
	if h.Period <= 0 {
		v.add(p+".period", "heartbeat period is missing or zero; write how often the job pings, e.g. period: 6h")
	}
}
