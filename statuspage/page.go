package statuspage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/internal/clock"
)

// Options configure a Page.
type Options struct {
	// Title names the page and the product; PublicURL is its address as
	// customers reach it (an http(s) origin: the page is served at its
	// root), used in the API, feeds and shortlinks.
	Title, PublicURL string
	// Logo is the URL or /path of a logo image; "" for none.
	Logo string
	// Location shows times and cuts the daily bars; nil is UTC.
	Location *time.Location
	Colors   Colors

	Catalog      Catalog
	Latest       LatestResults
	Incidents    Incidents
	Maintenances Maintenances
	// Availability and Latency may be nil: no bars, no key-screen p95.
	Availability Availability
	Latency      Latency

	// Subscribe is mounted at /subscribe and linked from every page; nil
	// leaves both out.
	Subscribe http.Handler

	// PollEvery is how often the cheap sources are read (default 5 s);
	// SlowEvery how often availability and latency are (default 1 min).
	PollEvery, SlowEvery time.Duration
	Clock                clock.Clock
	Logger               *slog.Logger
}

// historyWindow is how far back incidents and maintenance are shown;
// upcomingWindow how far ahead maintenance is.
const (
	historyWindow  = barDays * 24 * time.Hour
	upcomingWindow = 366 * 24 * time.Hour
)

// Page is the status page: New prepares it, Run keeps its snapshot
// current, Handler serves the snapshot.
type Page struct {
	o       Options
	site    *site
	tmpl    *templates
	static  map[string]*asset
	csp     []string
	handler http.Handler
	created time.Time

	snap atomic.Pointer[snapshot]
	// renders counts renderings (Renders).
	renders atomic.Int64

	slowMu sync.Mutex
	slow   slowState

	// Owned by the poll loop.
	bars     *barMarkup
	since    map[string]sinceEntry
	lastHash string
	failing  bool
}

// slowState is what the slow poll learnt last.
type slowState struct {
	daily   map[string]map[string]DayMinutes
	screens map[string]screenStat
}

// sinceEntry remembers since when a component (or group) has its status.
type sinceEntry struct {
	status string
	at     time.Time
}

// New checks the options and prepares the page; it serves 503 until Run
// has rendered the first snapshot.
func New(o Options) (*Page, error) {
	var errs []error
	if o.Title == "" {
		errs = append(errs, errors.New("status page: title is empty"))
	}
	u, err := url.Parse(o.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		errs = append(errs, fmt.Errorf("status page: public URL %q is not an http(s) origin such as https://status.example.com", o.PublicURL))
	}
	if o.Catalog == nil || o.Latest == nil || o.Incidents == nil || o.Maintenances == nil {
		errs = append(errs, errors.New("status page: catalog, latest results, incidents and maintenances are required"))
	}
	colors, err := o.Colors.withDefaults()
	if err != nil {
		errs = append(errs, fmt.Errorf("status page: %w", err))
	}
	logoOrigin, err := logoSource(o.Logo)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.PollEvery <= 0 {
		o.PollEvery = 5 * time.Second
	}
	if o.SlowEvery <= 0 {
		o.SlowEvery = time.Minute
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	publicURL := strings.TrimSuffix(o.PublicURL, "/")
	theme := themeCSS(colors)
	sum := sha256.Sum256(append(append([]byte(nil), styleCSS...), theme...))
	p := &Page{
		o: o,
		site: &site{
			title: o.Title, publicURL: publicURL, logo: o.Logo, loc: o.Location,
			subscribe: o.Subscribe != nil, version: hex.EncodeToString(sum[:6]),
			pageID: pageID(publicURL),
		},
		created: o.Clock.Now(),
		since:   map[string]sinceEntry{},
	}
	if p.tmpl, err = parseTemplates(p.site); err != nil {
		return nil, err
	}
	if p.bars, err = newBarMarkup(p.tmpl); err != nil {
		return nil, err
	}
	p.static = map[string]*asset{
		"/static/style.css":   newAsset(styleCSS, typeCSS, cacheStatic, p.created),
		"/static/theme.css":   newAsset(theme, typeCSS, cacheStatic, p.created),
		"/static/favicon.svg": newAsset(faviconSVG(colors), typeSVG, cacheStatic, p.created),
	}
	p.csp = []string{contentSecurityPolicy(logoOrigin)}
	p.handler = p.newHandler()
	return p, nil
}

// Handler serves the page, its API and feeds, and /subscribe.
func (p *Page) Handler() http.Handler { return p.handler }

// Renders counts the snapshots rendered since New: one per change of what
// the page shows.
func (p *Page) Renders() int64 { return p.renders.Load() }

// pageID is the page's id in the API: stable for its address.
func pageID(publicURL string) string {
	sum := sha256.Sum256([]byte(publicURL))
	return hex.EncodeToString(sum[:6])
}

// logoSource returns the origin a logo URL loads from ("" for a /path).
func logoSource(logo string) (string, error) {
	if logo == "" || (strings.HasPrefix(logo, "/") && !strings.HasPrefix(logo, "//")) {
		return "", nil
	}
	u, err := url.Parse(logo)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("status page: logo %q is neither a /path nor an http(s) URL", logo)
	}
	return u.Scheme + "://" + u.Host, nil
}

// contentSecurityPolicy allows the page's own stylesheets and images (and
// the logo's origin), no script at all, and no framing.
func contentSecurityPolicy(logoOrigin string) string {
	img := "'self'"
	if logoOrigin != "" {
		img += " " + logoOrigin
	}
	return "default-src 'none'; style-src 'self'; img-src " + img +
		"; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}
