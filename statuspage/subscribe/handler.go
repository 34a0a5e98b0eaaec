package subscribe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/clock"
	"github.com/vigilmon/vigil/store"
)

// The rules of a code.
const (
	codeDigits  = 6
	codeTTL     = 10 * time.Minute
	maxAttempts = 5
)

// minSecretLen is the shortest server secret New accepts.
const minSecretLen = 32

// Store is the part of the state database the flow uses (*store.State).
type Store interface {
	SaveVerification(ctx context.Context, v store.Verification, now time.Time) error
	GetVerification(ctx context.Context, id string) (store.Verification, error)
	DeleteVerification(ctx context.Context, id string) error
	ConfirmVerification(ctx context.Context, a store.VerifyAttempt, now time.Time) (store.VerifyOutcome, store.Verification, error)
	UnsubscribePhone(ctx context.Context, phone string) (int, error)
	LimitStore
}

// Options configure a Handler. Store, Sender, Components, Config,
// PublicURL and Secret are required.
type Options struct {
	Store Store
	// Sender sends the verification SMS (the twilio channel).
	Sender notify.Notifier
	// Channel names Sender's channel in notify.Message and is where a
	// confirmed number becomes an active recipient again; default "twilio".
	Channel string
	// Components are the ones a subscriber may follow (ID and Name used).
	Components []configs.Component
	Config     configs.SMSSubscribe
	// Title is the page's name, used in the pages and the SMS.
	Title string
	// PublicURL is the page's address (https://status.example.com), the
	// base of unsubscribe links; an https URL also makes the cookie Secure.
	PublicURL string
	// Secret is the server secret (at least 32 bytes); the keys of the
	// CSRF tokens, code hashes and unsubscribe links are derived from it.
	Secret []byte
	Clock  clock.Clock
	Logger *slog.Logger
	// TrustedProxies are the proxies whose X-Forwarded-For is believed;
	// empty: the client is RemoteAddr.
	TrustedProxies []netip.Prefix
	// Stylesheets are the status page's stylesheets, linked from every
	// page before the form's own; default DefaultStylesheets.
	Stylesheets []string
	// Icon is the page's icon; default DefaultIcon.
	Icon string
}

// The status page's stylesheets and icon (package statuspage serves
// them), so that the form looks like the rest of the page.
var (
	DefaultStylesheets = []string{"/static/style.css", "/static/theme.css"}
	DefaultIcon        = "/static/favicon.svg"
)

// Handler serves the subscription flow. It is safe for concurrent use.
type Handler struct {
	o         Options
	mux       *http.ServeMux
	keys      keys
	comps     []component
	regions   map[string]bool // allowed countries
	examples  [2]string       // a mobile number of the default region, national and international
	publicURL *url.URL
	limits    *limits
	flood     *floodGuard
	cookie    cookieSpec
	floodPage []byte
	logger    *slog.Logger
}

// component is one choice on the form.
type component struct{ ID, Name string }

// New checks o and returns the Handler. It does not look at
// o.Config.Enabled: mount the Handler only when that is set.
func New(o Options) (*Handler, error) {
	var problems []error
	if o.Store == nil || o.Sender == nil {
		problems = append(problems, errors.New("a store and an SMS sender are required"))
	}
	if len(o.Secret) < minSecretLen {
		problems = append(problems, fmt.Errorf("the server secret has %d bytes, fewer than %d", len(o.Secret), minSecretLen))
	}
	u, err := url.Parse(o.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Errorf("public URL %q is not an http(s) URL", o.PublicURL))
	}
	if !phonenumbers.GetSupportedRegions()[o.Config.DefaultRegion] {
		problems = append(problems, fmt.Errorf("default region %q is not a country code", o.Config.DefaultRegion))
	}
	regions := map[string]bool{}
	for _, c := range o.Config.AllowedCountries {
		regions[c] = true
	}
	if len(regions) == 0 {
		problems = append(problems, errors.New("no allowed countries"))
	}
	comps := make([]component, 0, len(o.Components))
	for _, c := range o.Components {
		name := c.Name
		if name == "" {
			name = c.ID
		}
		comps = append(comps, component{ID: c.ID, Name: name})
	}
	if len(comps) == 0 {
		problems = append(problems, errors.New("no components to subscribe to"))
	}
	c := o.Config
	if c.PerIP < 1 || c.PerNumber < 1 || c.PerPrefix < 1 || c.MaxVerificationsPerHour < 1 {
		problems = append(problems, errors.New("every hourly limit must be at least 1"))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("subscribe: %w", errors.Join(problems...))
	}
	if o.Channel == "" {
		o.Channel = "twilio"
	}
	if o.Title == "" {
		o.Title = "Status"
	}
	if o.Stylesheets == nil {
		o.Stylesheets = DefaultStylesheets
	}
	if o.Icon == "" {
		o.Icon = DefaultIcon
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	k, err := deriveKeys(o.Secret)
	if err != nil {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	h := &Handler{
		o:       o,
		keys:    k,
		comps:   comps,
		regions: regions,
		examples: [2]string{exampleNumber(c.DefaultRegion, phonenumbers.NATIONAL),
			exampleNumber(c.DefaultRegion, phonenumbers.INTERNATIONAL)},
		publicURL: u,
		limits: newLimits(o.Store, map[string]int{
			scopeIP: c.PerIP, scopeNumber: c.PerNumber, scopePrefix: c.PerPrefix, scopeGlobal: c.MaxVerificationsPerHour,
		}),
		flood:  newFloodGuard(),
		cookie: newCookieSpec(u.Scheme == "https"),
		logger: o.Logger.With("component", "subscribe"),
	}
	if h.floodPage, err = h.execute("refused", &page{Heading: "Too many requests", Error: floodMessage}); err != nil {
		return nil, fmt.Errorf("subscribe: render the flood page: %w", err)
	}
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /subscribe", h.showForm)
	h.mux.HandleFunc("POST /subscribe", h.guard(h.requestCode))
	h.mux.HandleFunc("GET /subscribe/verify", h.backToForm)
	h.mux.HandleFunc("POST /subscribe/verify", h.guard(h.verifyCode))
	h.mux.HandleFunc("GET /subscribe/unsubscribe", h.showUnsubscribe)
	h.mux.HandleFunc("POST /subscribe/unsubscribe", h.guard(h.unsubscribe))
	h.mux.HandleFunc("GET /subscribe/subscribe.css", serveCSS)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	h.mux.ServeHTTP(w, r)
}

// UnsubscribeURL returns the link that unsubscribes phone (E.164) from
// every component, for texts sent to subscribers.
func (h *Handler) UnsubscribeURL(phone string) string {
	u := *h.publicURL
	u.Path = strings.TrimSuffix(u.Path, "/") + "/subscribe/unsubscribe"
	u.RawQuery = url.Values{"t": {h.keys.unsubscribeToken(phone)}}.Encode()
	return u.String()
}

// backToForm answers a reload of the code form (a GET of the POST target).
func (h *Handler) backToForm(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/subscribe", http.StatusSeeOther)
}

// setSecurityHeaders locks the pages down: no scripts, no inline styles,
// no framing, no referrer (an unsubscribe link carries a token), no caching.
func setSecurityHeaders(hd http.Header) {
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cache-Control", "no-store")
}
