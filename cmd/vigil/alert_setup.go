package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigilmon/vigil/alert"
	"github.com/vigilmon/vigil/alert/inbound"
	"github.com/vigilmon/vigil/alert/notify"
	notifylog "github.com/vigilmon/vigil/alert/notify/log"
	"github.com/vigilmon/vigil/alert/notify/twilio"
	"github.com/vigilmon/vigil/alert/notify/webhook"
	"github.com/vigilmon/vigil/alert/outbox"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/internal/selfmetrics"
	"github.com/vigilmon/vigil/probe"
	"github.com/vigilmon/vigil/store"
)

// alerting is the daemon's alerting: the evaluator's loop, the outbox
// worker, the maintenance watch, and the HTTP handlers Twilio calls.
//
// A reload (SIGHUP) updates which checks are evaluated for which
// component, the component names, the on-call list and the SMS templates
// (see Reload). The rest of the alerting section — the policy, the Twilio
// credentials, sender and rate, the webhooks and the public URL — is read
// at start: changing it needs a restart (a reload that changes it says so
// in the log).
type alerting struct {
	loop    *alerter
	worker  *outbox.Worker
	watch   *maintWatch
	st      *store.State
	twilio  bool
	verify  *twilio.Verifier
	help    string
	logger  *slog.Logger
	metrics *selfmetrics.Metrics
	fixed   fixedAlerting // what a reload does not change
	// sms is the SMS channel (Twilio, or the log without it) and its name.
	sms     notify.Notifier
	smsName string
}

// SMS returns the SMS channel and its name ("twilio", or "log" when
// Twilio is not configured): the subscription form sends its codes there.
func (al *alerting) SMS() (notify.Notifier, string) { return al.sms, al.smsName }

// fixedAlerting is the part of the alerting section read only at start.
type fixedAlerting struct {
	Policy   configs.AlertPolicy
	Twilio   configs.Twilio
	Webhooks []configs.Webhook
}

// fixedOf returns cfg's part of the alerting section read only at start.
func fixedOf(cfg *configs.Config) fixedAlerting {
	a := cfg.Alerting
	return fixedAlerting{Policy: a.Policy, Twilio: a.Twilio, Webhooks: a.Webhooks}
}

// alertChecks maps cfg's check names to their components.
func alertChecks(cfg *configs.Config) map[string]string {
	checks := make(map[string]string, len(cfg.Checks))
	for _, c := range cfg.Checks {
		checks[c.Name] = c.Component
	}
	return checks
}

// Reload applies a reloaded cfg: the evaluator's check → component map
// and component names (sent to its loop, so that the new checks' first
// results count), then the on-call list and the templates of the texts.
// Changes to the rest of the alerting section are logged as needing a
// restart.
func (al *alerting) Reload(ctx context.Context, cfg *configs.Config) error {
	checks, names := alertChecks(cfg), componentNames(cfg)
	err := al.loop.do(ctx, func(e *alert.Evaluator) ([]alert.Event, error) {
		return nil, e.SetChecks(checks, names)
	})
	if err != nil {
		return fmt.Errorf("alerting checks: %w", err)
	}
	if err := al.loop.fan.reload(cfg); err != nil {
		return fmt.Errorf("alerting texts: %w", err)
	}
	if !reflect.DeepEqual(fixedOf(cfg), al.fixed) {
		al.logger.Warn("reload: alerting policy, twilio and webhooks are read at start; restart vigil to apply their changes")
	}
	al.logger.Info("alerting reloaded", "checks", len(checks), "on_call", len(cfg.Alerting.OnCall))
	return nil
}

// newAlerting builds the alerting of cfg over the state database and
// resumes the open incidents from it.
func newAlerting(ctx context.Context, cfg *configs.Config, st *store.State, m *selfmetrics.Metrics, logger *slog.Logger) (*alerting, error) {
	logger = logger.With("component", "alerting")
	fan, err := newFanout(cfg, st)
	if err != nil {
		return nil, err
	}
	channels, err := outboxChannels(cfg, logger)
	if err != nil {
		return nil, err
	}
	worker, err := outbox.New(outbox.Config{Store: st, Channels: channels, Logger: logger.With("component", "outbox")})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	wake := func() { worker.Wake("") }
	watch, err := newMaintWatch(ctx, st, fan, wake, logger)
	if err != nil {
		return nil, fmt.Errorf("maintenance windows for alerting: %w", err)
	}
	checks := alertChecks(cfg)
	p := cfg.Alerting.Policy
	ev, err := alert.New(alert.Config{
		Policy: alert.Policy{
			FailuresToOpen: p.FailuresToOpen, SuccessesToResolve: p.SuccessesToResolve, Reminder: p.Reminder.D(),
			ReopenWithin: p.FlapGuard.ReopenWithin.D(), MaxPerHour: p.FlapGuard.MaxPerHour,
		},
		Checks: checks,
		Names:  componentNames(cfg),
		Muter:  watch,
	})
	if err != nil {
		return nil, fmt.Errorf("incident evaluator: %w", err)
	}
	if err := ev.Resume(ctx, stateIncidents{st}); err != nil {
		return nil, fmt.Errorf("resume incidents: %w", err)
	}
	al := &alerting{
		loop: &alerter{ev: ev, st: st, fan: fan, wake: wake, logger: logger, now: time.Now,
			results: make(chan probe.Result, alertQueue), ops: make(chan incidentOp)},
		worker: worker, watch: watch, st: st, logger: logger, metrics: m, fixed: fixedOf(cfg),
		twilio:  cfg.Alerting.Twilio.Enabled(),
		help:    twilio.Fit("vigil status alerts: " + fan.link + " Reply STOP to unsubscribe, START to subscribe again."),
		smsName: fan.sms, sms: channels[fan.sms].Notifier,
	}
	if al.twilio {
		base := cfg.Alerting.Twilio.PublicURL
		if base == "" {
			base = "http://" + cfg.Server.Listen
		}
		al.verify = twilio.NewVerifier(cfg.Alerting.Twilio.AuthToken, base)
	}
	al.register(m)
	logger.Info("alerting ready", "sms", fan.sms, "on_call", len(fan.cur.Load().onCall), "webhooks", len(fan.webhooks),
		"open_incidents", al.loop.open.Load(), "status_link", fan.link)
	return al, nil
}

// outboxChannels builds the delivery channels: Twilio when configured,
// else the log channel that prints each SMS; webhooks when any is set.
func outboxChannels(cfg *configs.Config, logger *slog.Logger) (map[string]outbox.Channel, error) {
	a := cfg.Alerting
	channels := map[string]outbox.Channel{}
	if a.Twilio.Enabled() {
		n, err := twilio.New(twilio.Config{
			AccountSid: a.Twilio.AccountSID, AuthToken: a.Twilio.AuthToken, From: a.Twilio.From,
			MessagingServiceSid: a.Twilio.MessagingServiceSID, APIBaseURL: a.Twilio.APIBaseURL,
			PublicURL: a.Twilio.PublicURL, Logger: logger.With("channel", channelTwilio),
		})
		if err != nil {
			return nil, fmt.Errorf("twilio: %w", err)
		}
		channels[channelTwilio] = outbox.Channel{Notifier: n, RatePerSecond: a.Twilio.RatePerSecond, Burst: 1}
	} else {
		channels[channelLog] = outbox.Channel{Notifier: notifylog.New(logger), Idempotent: true}
	}
	if len(a.Webhooks) > 0 {
		secrets := make(map[string]string, len(a.Webhooks))
		for _, w := range a.Webhooks {
			secrets[w.URL] = w.Secret
		}
		channels[channelWebhook] = outbox.Channel{
			Notifier:   webhook.New(webhook.Config{Secrets: secrets, Logger: logger.With("channel", channelWebhook)}),
			Idempotent: true,
		}
	}
	return channels, nil
}

// register adds the alerting series to /metrics.
func (al *alerting) register(m *selfmetrics.Metrics) {
	m.Gauge("vigil_incidents_open", func() float64 { return float64(al.loop.open.Load()) })
	m.Gauge("vigil_alert_results_dropped_total", func() float64 { return float64(al.loop.dropped.Load()) })
	m.Gauge("vigil_alert_save_errors_total", func() float64 { return float64(al.loop.saveFails.Load()) })
	m.Gauge("vigil_outbox_backlog", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := al.worker.Backlog(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.Gauge("vigil_outbox_sent_total", func() float64 { return float64(al.worker.Stats().Sent) })
	m.Gauge("vigil_outbox_failed_total", func() float64 { return float64(al.worker.Stats().Failed) })
	m.Gauge("vigil_outbox_retried_total", func() float64 { return float64(al.worker.Stats().Retried) })
	m.Gauge("vigil_outbox_uncertain_total", func() float64 { return float64(al.worker.Stats().Uncertain) })
}

// Observe hands a probe result to the evaluator; it never blocks.
func (al *alerting) Observe(r probe.Result) { al.loop.Observe(r) }

// Incidents is the incident API of the running daemon.
func (al *alerting) Incidents() liveIncidents { return liveIncidents{a: al.loop, st: al.st} }

// Maintenances is the schedule for the admin API: changes refresh the
// muting at once and announce new windows.
func (al *alerting) Maintenances() notifyingMaintenances {
	return notifyingMaintenances{State: al.st, w: al.watch}
}

// Handlers are the routes Twilio calls: inbound SMS and status callbacks,
// both signed; none without Twilio.
func (al *alerting) Handlers() map[string]http.Handler {
	if !al.twilio {
		return nil
	}
	return map[string]http.Handler{
		"POST /api/v1/twilio/inbound": inbound.Handler(inbound.Config{
			Verifier: al.verify, Subscribers: optOuts{al.st}, HelpText: al.help,
			StartText: "You will receive vigil status alerts again. Reply STOP to unsubscribe.",
			Logger:    al.logger.With("handler", "inbound"),
		}),
		"POST " + twilio.StatusCallbackPath: outbox.StatusHandler(al.st, al.verify, al.logger.With("handler", "status")),
	}
}

// Run runs the evaluator's loop, the outbox worker and the maintenance
// watch until ctx ends.
func (al *alerting) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return al.loop.Run(gctx) })
	g.Go(func() error { return al.worker.Run(gctx) })
	g.Go(func() error { return al.watch.Run(gctx) })
	return g.Wait()
}

// optOuts applies STOP and START to the state database: every
// subscription of the phone and the phone as an SMS recipient.
type optOuts struct{ st *store.State }

// Unsubscribe implements inbound.Subscribers.
func (o optOuts) Unsubscribe(ctx context.Context, phone string) error {
	_, err := o.st.SetSubscriberActive(ctx, channelTwilio, phone, false, "replied STOP", time.Now())
	return err
}

// Resubscribe implements inbound.Subscribers.
func (o optOuts) Resubscribe(ctx context.Context, phone string) error {
	_, err := o.st.SetSubscriberActive(ctx, channelTwilio, phone, true, "", time.Now())
	return err
}
