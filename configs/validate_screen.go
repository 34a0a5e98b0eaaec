package configs

// validateScreen checks a screen transaction.
func validateScreen(v *collector, p string, s *ScreenProbe) {
	if len(s.Steps) == 0 {
		v.add(p+".steps", "screen has no steps; list the requests that open the screen, e.g. a login step and the step that opens it")
	}
}
