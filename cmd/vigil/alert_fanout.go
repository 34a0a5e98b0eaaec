package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vigilmon/vigil/alert"
	"github.com/vigilmon/vigil/configs"
	"github.com/vigilmon/vigil/store"
)

// The outbox channel names.
const (
	channelTwilio  = "twilio"
	channelLog     = "log"
	channelWebhook = "webhook"
)

// subscriberSource lists the customer subscribers of components
// (store.State).
type subscriberSource interface {
	SubscriberPhones(ctx context.Context, components []string) ([]string, error)
}

// fanout turns an event into outbox entries: one SMS per recipient of its
// audience (on-call engineers from config, customer subscribers of the
// incident's components from the state database) and one JSON payload per
// webhook.
//
// The on-call list, the templates and the component names follow a config
// reload (see reload); the SMS channel, the webhooks and the status link
// stay as at start, like the outbox channels they go with.
type fanout struct {
	sms      string   // channelTwilio, or channelLog when Twilio is not configured
	webhooks []string // URLs
	subs     subscriberSource
	link     string
	cur      atomic.Pointer[fanParts]
}

// fanParts are the parts of the fan-out a reload replaces, as one.
type fanParts struct {
	onCall []string // E.164
	texts  *texts
	names  map[string]string // component id → name
}

// newFanout builds the fan-out from the alerting config.
func newFanout(cfg *configs.Config, subs subscriberSource) (*fanout, error) {
	f := &fanout{sms: channelLog, subs: subs, link: statusLink(cfg)}
	if cfg.Alerting.Twilio.Enabled() {
		f.sms = channelTwilio
	}
	for _, w := range cfg.Alerting.Webhooks {
		f.webhooks = append(f.webhooks, w.URL)
	}
	if err := f.reload(cfg); err != nil {
		return nil, err
	}
	return f, nil
}

// reload takes cfg's on-call list, templates and component names; on
// error the fan-out keeps the ones it has.
func (f *fanout) reload(cfg *configs.Config) error {
	t, err := newTexts(cfg.Alerting.Templates)
	if err != nil {
		return err
	}
	p := &fanParts{texts: t, names: componentNames(cfg)}
	for _, oc := range cfg.Alerting.OnCall {
		p.onCall = append(p.onCall, oc.Phone)
	}
	f.cur.Store(p)
	return nil
}

// componentNames maps component ids to the names people read.
func componentNames(cfg *configs.Config) map[string]string {
	out := make(map[string]string, len(cfg.Components))
	for _, c := range cfg.Components {
		out[c.ID] = cmp.Or(c.Name, c.ID)
	}
	return out
}

// named joins the names of component ids.
func (p *fanParts) named(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = cmp.Or(p.names[id], id)
	}
	return strings.Join(out, ", ")
}

// incidentEntries returns the outbox entries of ev; none when it is
// silent. Webhooks get every event that is sent (whatever its audience),
// with the audience in the payload. Rendering problems of a configured
// template are returned as warn beside the entries (the built-in text
// was used).
func (f *fanout) incidentEntries(ctx context.Context, ev alert.Event) (entries []store.OutboxEntry, warn, err error) {
	if ev.Silent {
		return nil, nil, nil
	}
	p := f.cur.Load()
	inc := ev.Incident
	last := inc.Last()
	d := textData{
		Event: string(ev.Kind), ID: inc.ID, Title: inc.Title, Component: p.named(inc.Components),
		Status: string(inc.Status), Message: last.Message, URL: f.link,
		At: clockText(ev.At), Since: clockText(inc.OpenedAt),
	}
	if ev.Audience.OnCall() && len(p.onCall) > 0 {
		oc := d
		oc.Detail = ev.Detail
		text, werr := p.texts.render(oc)
		if text == "" {
			return nil, nil, werr
		}
		warn = werr
		for _, phone := range p.onCall {
			entries = append(entries, store.OutboxEntry{Channel: f.sms, Recipient: phone, Event: d.Event, Text: text})
		}
	}
	if ev.Audience.Subscribers() {
		phones, err := f.subs.SubscriberPhones(ctx, inc.Components)
		if err != nil {
			return nil, nil, fmt.Errorf("subscribers of %s: %w", inc.ID, err)
		}
		if len(phones) > 0 {
			text, werr := p.texts.render(d)
			if text == "" {
				return nil, nil, werr
			}
			warn = werr
			for _, phone := range phones {
				// An on-call engineer who also subscribed gets one text.
				if ev.Audience.OnCall() && slices.Contains(p.onCall, phone) {
					continue
				}
				entries = append(entries, store.OutboxEntry{Channel: f.sms, Recipient: phone, Event: d.Event, Text: text})
			}
		}
	}
	if len(f.webhooks) > 0 {
		payload, err := json.Marshal(incidentPayload(ev))
		if err != nil {
			return nil, nil, fmt.Errorf("webhook payload: %w", err)
		}
		for _, u := range f.webhooks {
			entries = append(entries, store.OutboxEntry{Channel: channelWebhook, Recipient: u, Event: d.Event, Payload: payload})
		}
	}
	return entries, warn, nil
}

// maintenanceEntries returns the outbox entries announcing window m's
// notice of kind (store.NoticeScheduled, …) to the subscribers of its
// components and to the webhooks.
func (f *fanout) maintenanceEntries(ctx context.Context, kind string, m store.Maintenance, at time.Time) (entries []store.OutboxEntry, warn, err error) {
	end := m.End
	if m.ActualEnd != nil && m.ActualEnd.Before(end) {
		end = *m.ActualEnd
	}
	p := f.cur.Load()
	d := textData{
		Event: "maintenance." + kind, ID: m.ID, Title: m.Title, Component: p.named(m.Components), URL: f.link,
		At: clockText(at), Start: dayText(m.Start), End: dayText(end),
	}
	phones, err := f.subs.SubscriberPhones(ctx, m.Components)
	if err != nil {
		return nil, nil, fmt.Errorf("subscribers of %s: %w", m.ID, err)
	}
	if len(phones) > 0 {
		text, werr := p.texts.render(d)
		if text == "" {
			return nil, nil, werr
		}
		warn = werr
		for _, phone := range phones {
			entries = append(entries, store.OutboxEntry{Channel: f.sms, Recipient: phone, Event: d.Event, Text: text})
		}
	}
	if len(f.webhooks) > 0 {
		payload, err := json.Marshal(maintenancePayload{Event: d.Event, At: at.UTC(), Maintenance: m})
		if err != nil {
			return nil, nil, fmt.Errorf("webhook payload: %w", err)
		}
		for _, u := range f.webhooks {
			entries = append(entries, store.OutboxEntry{Channel: channelWebhook, Recipient: u, Event: d.Event, Payload: payload})
		}
	}
	return entries, warn, nil
}

// webhookIncident is the JSON payload of an incident event.
type webhookIncident struct {
	Event    string         `json:"event"`
	At       time.Time      `json:"at"`
	Audience string         `json:"audience"`
	Detail   string         `json:"detail,omitempty"`
	Incident store.Incident `json:"incident"`
}

// incidentPayload is ev as webhooks receive it.
func incidentPayload(ev alert.Event) webhookIncident {
	return webhookIncident{Event: string(ev.Kind), At: ev.At.UTC(), Audience: string(ev.Audience), Detail: ev.Detail, Incident: toStore(ev.Incident)}
}

// maintenancePayload is a maintenance notice as webhooks receive it.
type maintenancePayload struct {
	Event       string            `json:"event"`
	At          time.Time         `json:"at"`
	Maintenance store.Maintenance `json:"maintenance"`
}
