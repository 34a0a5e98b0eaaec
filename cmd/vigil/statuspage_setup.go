package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vigilmon/vigil/api"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/statuspage"
	"github.com/vigilmon/vigil/store"
	"github.com/vigilmon/vigil/store/resultsdb"
)

// newStatusPage builds the public status page over the daemon's stores:
// components and checks from the running config (reloads included), the
// latest results from latest, incidents and maintenance from the state
// database, daily availability and key-screen timings from the results.
// subscribe is mounted at /subscribe (nil: no subscription link). The
// caller runs the page (Run) and serves its Handler on
// status_page.listen, or beside the API when that is empty. The look,
// address and time zone are read once: changing them needs a restart.
func newStatusPage(cfg *configs.Config, live *liveConfig, results *resultsdb.Results, state *store.State,
	latest *api.Latest, subscribe http.Handler, logger *slog.Logger) (*statuspage.Page, error) {
	o, err := statusPageOptions(cfg, live, results, state, latest, subscribe, logger)
	if err != nil {
		return nil, err
	}
	return statuspage.New(o)
}

// statusPageOptions translates the config and adapts the stores.
func statusPageOptions(cfg *configs.Config, live *liveConfig, results *resultsdb.Results, state *store.State,
	latest *api.Latest, subscribe http.Handler, logger *slog.Logger) (statuspage.Options, error) {
	s := cfg.StatusPage
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return statuspage.Options{}, fmt.Errorf("status page: time zone %q: %w", s.TimeZone, err)
	}
	publicURL := pageURL(cfg)
	return statuspage.Options{
		Title: s.Title, PublicURL: publicURL, Logo: s.Logo, Location: loc,
		Colors: statuspage.Colors{
			Operational: s.Colors.Operational, Degraded: s.Colors.Degraded, Partial: s.Colors.Partial,
			Major: s.Colors.Major, Maintenance: s.Colors.Maintenance, Accent: s.Colors.Accent,
		},
		Catalog:      &pageCatalog{live: live},
		Latest:       pageLatest{latest},
		Incidents:    pageState{state},
		Maintenances: pageState{state},
		Availability: newDailyAvailability(live, results, state),
		Latency:      pageLatency{results},
		Subscribe:    subscribe,
		Logger:       logger.With("component", "statuspage"),
	}, nil
}

// pageURL is the page's address for links: status_page.public_url, else
// its local address.
func pageURL(cfg *configs.Config) string {
	if u := cfg.StatusPage.PublicURL; u != "" {
		return u
	}
	return localURL(cfg.StatusPage.Listen, cfg.Server.Listen)
}

// localURL is the page's address when status_page.public_url is not set:
// its own listener, else the API's, with a wildcard host as localhost.
func localURL(pageListen, serverListen string) string {
	addr := pageListen
	if addr == "" {
		addr = serverListen
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
