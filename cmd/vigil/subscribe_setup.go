package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/statuspage/subscribe"
	"github.com/vigilmon/vigil/store"
)

// newSubscribe builds the status page's SMS subscription form, or returns
// nil when status_page.subscribe is off. Codes go out through the
// alerting's SMS channel: Twilio, or the log when Twilio is not set up
// (the demo: the code shows in vigil's log).
func newSubscribe(cfg *configs.Config, st *store.State, al *alerting, logger *slog.Logger) (http.Handler, error) {
	sc := cfg.StatusPage.Subscribe
	if !sc.Enabled {
		return nil, nil
	}
	secret, err := serverSecret(cfg.Server.DataDir)
	if err != nil {
		return nil, err
	}
	var proxies []netip.Prefix
	for _, raw := range cfg.StatusPage.TrustedProxies {
		p, err := configs.ParseProxy(raw) // validated at load
		if err != nil {
			return nil, err
		}
		proxies = append(proxies, p)
	}
	sender, channel := al.SMS()
	if channel != channelTwilio {
		logger.Warn("status_page.subscribe is on without alerting.twilio: verification codes are only printed to this log")
	}
	h, err := subscribe.New(subscribe.Options{
		Store: st, Sender: sender, Channel: channel,
		Components: cfg.Components, Config: sc,
		Title: cfg.StatusPage.Title, PublicURL: pageURL(cfg),
		Secret: secret, Logger: logger.With("component", "subscribe"), TrustedProxies: proxies,
	})
	if err != nil {
		return nil, fmt.Errorf("status page subscription: %w", err)
	}
	return h, nil
}
