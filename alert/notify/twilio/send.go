package twilio

import (
	"context"
	"fmt"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/vigilmon/vigil/alert/notify"
)

// Notify sends m.Text to m.Recipient. The text is fitted into at most two
// segments first (see Fit). A failure is a *notify.Failure.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (notify.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.Timeout)
	defer cancel()
	params := &openapi.CreateMessageParams{}
	params.SetTo(m.Recipient)
	params.SetBody(Fit(m.Text))
	if n.cfg.MessagingServiceSid != "" {
		params.SetMessagingServiceSid(n.cfg.MessagingServiceSid)
	} else {
		params.SetFrom(n.cfg.From)
	}
	if n.callback != "" {
		params.SetStatusCallback(n.callback)
	}
	c := n.newCall(ctx)
	res, err := c.api.CreateMessage(params)
	if err != nil {
		f := n.classify(c, err, time.Now())
		n.logger.WarnContext(ctx, "sms not sent", "id", m.ID, "to", m.Recipient,
			"retry", f.Retry, "permanent", f.Permanent, "uncertain", f.Uncertain, "code", f.Code, "err", f.Err)
		return notify.Receipt{}, f
	}
	r := notify.Receipt{}
	if res.Sid != nil {
		r.ProviderID = *res.Sid
	}
	if res.Status != nil {
		r.Status = *res.Status
	}
	if r.ProviderID == "" {
		return notify.Receipt{}, &notify.Failure{Uncertain: true,
			Err: fmt.Errorf("twilio: accepted without a message sid: may have been accepted")}
	}
	return r, nil
}
