package configs

// validateStatusPage checks the status_page section.
func validateStatusPage(v *collector, s *StatusPage) {
	if s.Listen != "" {
		validateListen(v, "status_page.listen", s.Listen, "127.0.0.1:8081")
	}
}

// statusPageDefaults fills what the status_page section leaves out.
func statusPageDefaults(s *StatusPage, isSet func(path string) bool) {
	setStr(&s.Title, "Status")
	setStr(&s.TimeZone, "UTC")
}
