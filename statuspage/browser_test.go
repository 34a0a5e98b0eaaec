package statuspage

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium for t, or skips when there is none
// (and fails in CI, which installs it).
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is missing at %s: CI installs the Debian package chromium", chromiumPath)
		}
		t.Skipf("chromium is missing at %s: apt-get install -y chromium to run the browser tests", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.WindowSize(width, height),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // chromium refuses to run its sandbox as root
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// consoleLog collects every console message and uncaught exception of
// the tab of ctx from now on.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
	done chan struct{}
}

func watchConsole(ctx context.Context) (*consoleLog, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	l := &consoleLog{done: make(chan struct{})}
	messages := chromedp.Console(ctx)
	go func() {
		defer close(l.done)
		for m, err := range messages {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, m)
			l.mu.Unlock()
		}
	}()
	return l, func() { cancel(); <-l.done }
}

// startScenarioServer serves the scenario's page on a free loopback port.
func startScenarioServer(t *testing.T) (*Page, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	p, _ := testPage(t, scenario(), scenarioNow, base, true)
	poll(p)
	srv.Config.Handler = p.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return p, base
}

// TestBrowserScenario opens the page of the scenario (a major
// outage, an active maintenance, a resolved incident) in Chromium, checks
// what it shows, saves screenshots for people to look at (wide, narrow,
// and with a bar's figure on hover) and fails on any console message or
// exception, CSP violations included.
func TestBrowserScenario(t *testing.T) {
	_, base := startScenarioServer(t)
	ctx := newBrowser(t, 1280, 900)
	if err := chromedp.Do(ctx); err != nil { // start the browser and the tab
		t.Fatal(err)
	}
	console, stop := watchConsole(ctx)

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Major System Outage",
		"Profit unavailable", "A storage failure makes Profit unavailable",
		"Database upgrade", "In progress", "Network switch replacement",
		"Under maintenance", "Major outage", "Degraded performance",
		"Public API unavailable", "Public API is working normally again.",
		"employee-properties", "Within objective", "Slower than objective",
	} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) { // tags are upper case
			t.Errorf("page text lacks %q", want)
		}
	}
	for _, hidden := range []string{"db01 disk full", "Database unavailable", "Website move"} {
		if strings.Contains(text, hidden) {
			t.Errorf("page shows %q, which is not for customers", hidden)
		}
	}
	// Stylesheets applied: the banner has the major outage's colour.
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".banner")).backgroundColor`))
	if err != nil {
		t.Fatal(err)
	}
	if bg != "rgb(231, 76, 60)" {
		t.Errorf("banner background = %s, want the major outage colour rgb(231, 76, 60): stylesheet not applied?", bg)
	}
	saveScreenshot(t, ctx, "statuspage-wide.png")

	// Hover a bar of yesterday on the API: its figure shows.
	rect, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const bars = document.querySelectorAll(".components .bars")[1].children;
		bars[88].scrollIntoView({block: "center"});
		const r = bars[88].getBoundingClientRect();
		return [r.x + r.width / 2, r.y + r.height / 2];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, rect[0], rect[1])); err != nil {
		t.Fatal(err)
	}
	tip, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const tip = document.querySelectorAll(".components .bars")[1].children[88].querySelector(".tip");
		const s = getComputedStyle(tip);
		return [tip.textContent, s.width, s.clipPath];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tip[0], "95.833% available, down 1 h") || tip[1] == "1px" || tip[2] != "none" {
		t.Errorf("hovered bar's tip = %q (width %s, clip-path %s), want the day's figure shown", tip[0], tip[1], tip[2])
	}
	saveScreenshot(t, ctx, "statuspage-hover.png")

	// Phones: 30 days of bars, nothing wider than the screen.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	layout, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[
		document.documentElement.scrollWidth,
		[...document.querySelector(".bars").children].filter(b => getComputedStyle(b).display !== "none").length]`))
	if err != nil {
		t.Fatal(err)
	}
	if layout[0] > 390 || layout[1] != 30 {
		t.Errorf("narrow screen: page width %d (want <= 390), %d bars shown (want 30)", layout[0], layout[1])
	}
	saveScreenshot(t, ctx, "statuspage-narrow.png")

	// The other pages render without a console message either.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/history", "/incidents/inc-open0001", "/incidents/mw-active01"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatal(err)
		}
		saveScreenshot(t, ctx, "statuspage"+strings.ReplaceAll(path, "/", "-")+".png")
	}
	stop()
	for _, m := range console.msgs {
		t.Errorf("console %s at %s:%d: %s", m.Type, m.URL, m.Line+1, m.Text)
	}
}

// saveScreenshot writes a full-page PNG to $VIGIL_SCREENSHOTS (default a
// temporary directory) for people to look at.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("VIGIL_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
