package configs

// validateBrowser checks a browser run.
func validateBrowser(v *collector, p string, b *BrowserProbe) {
	if len(b.Steps) == 0 {
		v.add(p+".steps", "browser check has no steps; start with navigate: URL")
	}
}
