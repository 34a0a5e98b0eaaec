package subscribe

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium for the test, or skips the test when
// there is none (and fails it on CI, which installs one).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: %v: CI must install chromium (apt-get install -y chromium)", chromiumPath, err)
		}
		t.Skipf("no browser at %s (apt-get install -y chromium): skipping the browser test", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.WindowSize(820, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser, without a deadline
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return ctx
}

// consoleLog collects what the page writes to the console.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

func collectConsole(ctx context.Context) *consoleLog {
	l := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, m)
			l.mu.Unlock()
		}
	}()
	return l
}

// take returns the errors and warnings so far and forgets them.
func (l *consoleLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.msgs {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
			out = append(out, m.String()+" ("+m.URL+")")
		}
	}
	l.msgs = nil
	return out
}

// serveStatusPageAssets serves what the pages link besides their own
// stylesheet, as package statuspage does: its stylesheet (the real one,
// so that the screenshots show the real look), a theme and an icon.
func serveStatusPageAssets(t *testing.T, f *fixture) {
	t.Helper()
	for path, file := range map[string]string{
		"/static/style.css":   "../static/style.css",
		"/static/theme.css":   "testdata/theme.css",
		"/static/favicon.svg": "testdata/favicon.svg",
	} {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("asset of the status page: %v", err)
		}
		ctype := "text/css; charset=utf-8"
		if strings.HasSuffix(file, ".svg") {
			ctype = "image/svg+xml"
		}
		f.extra.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ctype)
			_, _ = w.Write(body)
		})
	}
}

// saveScreenshot writes a PNG of the whole page into the test's artifact
// directory (go test -artifacts -outputdir DIR keeps it) and returns its
// path.
func saveScreenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// TestBrowserSubscribe runs the flow in Chromium against the fake Twilio:
// the form, an error, the code from the SMS, the confirmation; without a
// console error.
func TestBrowserSubscribe(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t)
	serveStatusPageAssets(t, f)
	console := collectConsole(ctx)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	// The form, unfilled.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/subscribe"),
		chromedp.WaitVisible(chromedp.ID("phone")),
	); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, "subscribe-form.png")
	// The honeypot is there for bots but out of a person's sight.
	right, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById("website").getBoundingClientRect().right`))
	if err != nil || right > 0 {
		t.Errorf("the honeypot field is on screen (right edge at %vpx): %v", right, err)
	}
	if errs := console.take(); len(errs) > 0 {
		t.Errorf("console on the form: %q", errs)
	}

	// An error: a number from a country the page does not send to.
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("phone"), "+49 1512 3456789"),
		chromedp.Click(chromedp.CSS(`input[value="web"]`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("p.error")),
	); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, "subscribe-error.png")
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("p.error")))
	if err != nil || !strings.Contains(msg, "Numbers from Germany\u00a0(+49) cannot subscribe here.") {
		t.Errorf("error shown: %q %v", msg, err)
	}
	// The browser reports the page's own 422 as a failed load (which
	// also shows that the console is read); nothing else may show up: no
	// CSP violation, no missing asset.
	if errs := console.take(); len(errs) != 1 || !strings.Contains(errs[0], "the server responded with a status of 422") {
		t.Errorf("console on the error page: %q, want only the page's 422", errs)
	}
	if f.sent() != 0 {
		t.Fatalf("%d SMS sent for a refused number", f.sent())
	}

	// The number corrected: the code arrives by SMS and is entered.
	if err := chromedp.Do(ctx,
		chromedp.Clear(chromedp.ID("phone")),
		chromedp.SendKeys(chromedp.ID("phone"), "06 12345678"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("code")),
	); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, "subscribe-code.png")
	code := f.codeSent("+31612345678")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href*="/subscribe/unsubscribe?t="]`)),
	); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, "subscribe-confirmed.png")
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || heading != "You are subscribed" {
		t.Errorf("heading %q %v", heading, err)
	}
	subs, err := f.st.ListSubscriptions(ctx, "")
	if err != nil || len(subs) != 1 || subs[0].Component != "web" || subs[0].ConfirmedAt == nil {
		t.Errorf("subscriptions: %+v %v", subs, err)
	}
	if errs := console.take(); len(errs) > 0 {
		t.Errorf("console from the code to the confirmation: %q", errs)
	}

	// The unsubscribe link: a question, and the button does it.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href*="/subscribe/unsubscribe?t="]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/subscribe/unsubscribe"] button`)),
	); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, "unsubscribe-confirm.png")
	if n := f.rows()["subscriptions"]; n != 1 {
		t.Fatalf("%d subscriptions after opening the link, want 1", n)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action="/subscribe/unsubscribe"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/subscribe"]`)),
	); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, "unsubscribed.png")
	if n := f.rows()["subscriptions"]; n != 0 {
		t.Errorf("%d subscriptions after the button, want 0", n)
	}
	if errs := console.take(); len(errs) > 0 {
		t.Errorf("console while unsubscribing: %q", errs)
	}
}
