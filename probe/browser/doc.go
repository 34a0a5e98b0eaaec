// Package browser owns vigil's browser checks: one shared headless Chromium
// process (started on the first run, started again after it died, killed
// with all its children on Close), a separate browser context for every run
// so that no cookie or storage carries over, the steps of a check driven
// through chromedp, the timing of the span that opens a key screen, and the
// PNG screenshots kept for failed runs.
//
// Of vigil it imports only configs, probe and internal/clock, and probe
// must not import it (probe.New cannot build a browser prober without an
// import cycle): cmd/vigil makes one Runner and asks it for each browser
// check's prober.
package browser
