package twilio

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPIBaseURL is Twilio's REST API.
const DefaultAPIBaseURL = "https://api.twilio.com"

// StatusCallbackPath is where vigil receives status callbacks, below
// Config.PublicURL.
const StatusCallbackPath = "/api/v1/twilio/status"

// Config is what the channel needs. Either From or MessagingServiceSid is
// required; MessagingServiceSid wins when both are set.
type Config struct {
	AccountSid          string
	AuthToken           string
	From                string // E.164 sender number
	MessagingServiceSid string // MG…, lets Twilio pick the sender
	// APIBaseURL defaults to DefaultAPIBaseURL; tests point it at the fake.
	APIBaseURL string
	// PublicURL is vigil's public base URL; when set, each message asks for
	// status callbacks at PublicURL + StatusCallbackPath.
	PublicURL string
	// Timeout bounds one request; default 10 s.
	Timeout time.Duration
	// Transport carries the requests; default a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Logger gets one line per failure; default discards.
	Logger *slog.Logger
}

// Notifier sends SMS through Twilio. It is safe for concurrent use.
type Notifier struct {
	cfg      Config
	base     *url.URL
	callback string
	redact   *strings.Replacer
	logger   *slog.Logger
}

// New checks cfg and returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	var problems []error
	if cfg.AccountSid == "" {
		problems = append(problems, errors.New("account_sid is empty: set it (TWILIO_ACCOUNT_SID) or leave twilio out to use the log channel"))
	}
	if cfg.AuthToken == "" {
		problems = append(problems, errors.New("auth_token is empty: set it (TWILIO_AUTH_TOKEN)"))
	}
	if cfg.From == "" && cfg.MessagingServiceSid == "" {
		problems = append(problems, errors.New("neither from nor messaging_service_sid is set: give one"))
	}
	if cfg.APIBaseURL == "" {
		cfg.APIBaseURL = DefaultAPIBaseURL
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.APIBaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		problems = append(problems, fmt.Errorf("api_base_url %q is not an http(s) URL: use e.g. %s", cfg.APIBaseURL, DefaultAPIBaseURL))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("twilio channel: %w", errors.Join(problems...))
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	n := &Notifier{
		cfg:    cfg,
		base:   base,
		redact: newRedactor(cfg.AccountSid, cfg.AuthToken),
		logger: cfg.Logger.With("channel", "twilio"),
	}
	if cfg.PublicURL != "" {
		n.callback = strings.TrimSuffix(cfg.PublicURL, "/") + StatusCallbackPath
	}
	return n, nil
}
