package subscribe

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vigilmon/vigil/alert/notify"
	"github.com/vigilmon/vigil/store"
)

// showForm serves the subscription form.
func (h *Handler) showForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusOK, "form", h.formPage(w, r, "", nil), nil)
}

// formPage is the subscription form with a fresh token, filled in with
// phone and the chosen components (none chosen: the only component, if
// there is one, is ticked).
func (h *Handler) formPage(w http.ResponseWriter, r *http.Request, phone string, chosen []string) *page {
	cookie := h.cookie.ensure(w, r)
	p := &page{
		Heading:     "Get updates by SMS",
		Token:       h.keys.formToken(cookie, purposeSubscribe, "", h.o.Clock.Now()),
		Phone:       phone,
		Example:     h.examples[0],
		ExampleIntl: h.examples[1],
	}
	for _, c := range h.comps {
		p.Components = append(p.Components, choice{ID: c.ID, Name: c.Name,
			Checked: slices.Contains(chosen, c.ID) || len(h.comps) == 1})
	}
	return p
}

// requestCode answers the subscription form: it checks everything, takes
// the rate limits, stores the pending verification and sends the code.
func (h *Handler) requestCode(w http.ResponseWriter, r *http.Request, client string) {
	phone, chosen := r.PostForm.Get("phone"), r.PostForm["component"]
	fail := func(pr *problem) { h.render(w, 0, "form", h.formPage(w, r, phone, chosen), pr) }
	if pr := h.checkForm(r, purposeSubscribe, ""); pr != nil {
		fail(pr)
		return
	}
	if r.PostForm.Get("website") != "" {
		// A bot filled the honeypot: it gets what a person would, and
		// nothing is stored or sent.
		h.logger.Info("honeypot filled: nothing sent", "client", client)
		h.showCodeForm(w, r, http.StatusOK, randomID(), 0, strings.TrimSpace(phone), "", nil)
		return
	}
	num, msg := h.parsePhone(phone)
	if msg != "" {
		fail(&problem{status: http.StatusUnprocessableEntity, msg: msg, field: "phone"})
		return
	}
	comps, pr := h.chosenComponents(chosen)
	if pr != nil {
		fail(pr)
		return
	}
	now := h.o.Clock.Now()
	denied, err := h.limits.take(r.Context(), []limitKey{
		{scopeIP, h.keys.limitSubject(scopeIP, client)},
		{scopeNumber, h.keys.limitSubject(scopeNumber, num.E164)},
		{scopePrefix, h.keys.limitSubject(scopePrefix, num.prefix())},
		{scopeGlobal, "all"},
	}, now)
	if err != nil {
		h.logger.Error("rate limits", "err", err)
		fail(internalProblem)
		return
	}
	if denied != nil {
		h.logger.Warn("verification refused by rate limit", "scope", denied.scope, "client", client, "number", maskPhone(num.E164))
		fail(limitProblem(denied))
		return
	}
	v, code, err := h.newVerification(num, comps, now)
	if err == nil {
		err = h.o.Store.SaveVerification(r.Context(), v, now)
	}
	if err != nil {
		h.logger.Error("save verification", "err", err)
		fail(internalProblem)
		return
	}
	notice, pr := h.sendCode(r, v, code)
	if pr != nil {
		fail(pr)
		return
	}
	h.logger.Info("verification code sent", "client", client, "number", maskPhone(num.E164), "components", comps)
	h.showCodeForm(w, r, http.StatusOK, v.ID, 0, num.Display, notice, nil)
}

// chosenComponents checks the ticked components: at least one (422), each
// one the page has (400: the form was tampered with). It returns them
// once each, in the page's order.
func (h *Handler) chosenComponents(chosen []string) ([]string, *problem) {
	if len(chosen) == 0 {
		return nil, &problem{status: http.StatusUnprocessableEntity, field: "components",
			msg: "Choose at least one component to follow."}
	}
	var out []string
	for _, c := range h.comps {
		if slices.Contains(chosen, c.ID) {
			out = append(out, c.ID)
		}
	}
	for _, id := range chosen {
		if !slices.ContainsFunc(h.comps, func(c component) bool { return c.ID == id }) {
			return nil, &problem{status: http.StatusBadRequest, field: "components",
				msg: "The form named a component this page does not have. Reload the page and choose again."}
		}
	}
	return out, nil
}

// newVerification makes a pending verification of num for comps with a
// fresh code, and returns the code.
func (h *Handler) newVerification(num number, comps []string, now time.Time) (store.Verification, string, error) {
	code, err := newCode()
	if err != nil {
		return store.Verification{}, "", err
	}
	id := randomID()
	return store.Verification{ID: id, Phone: num.E164, Components: comps, CodeHash: h.keys.codeHash(id, code),
		CreatedAt: now, ExpiresAt: now.Add(codeTTL)}, code, nil
}

// sendCode sends v's code by SMS. A send that may have gone through
// returns a notice for the code form; one that surely failed drops the
// verification and returns the problem.
func (h *Handler) sendCode(r *http.Request, v store.Verification, code string) (string, *problem) {
	_, err := h.o.Sender.Notify(r.Context(), notify.Message{
		Channel: h.o.Channel, Recipient: v.Phone, Event: "subscribe.verification", Text: h.codeText(code),
	})
	if err == nil {
		return "", nil
	}
	f := notify.AsFailure(err)
	h.logger.Warn("verification SMS failed", "number", maskPhone(v.Phone), "err", err)
	if f.Uncertain {
		return "The text message service answered slowly: the code may arrive late. If it has not come in a few minutes, request a new code.", nil
	}
	if err := h.o.Store.DeleteVerification(r.Context(), v.ID); err != nil {
		h.logger.Error("delete unsent verification", "err", err)
	}
	switch {
	case f.Code == 21610:
		return "", &problem{status: http.StatusUnprocessableEntity, field: "phone",
			msg: "This number has replied STOP to our text messages, so we cannot text it. Text START to the number our messages come from, then try again."}
	case f.Permanent:
		return "", &problem{status: http.StatusUnprocessableEntity, field: "phone",
			msg: "We cannot send text messages to this number. Check it, or use another mobile number."}
	}
	return "", &problem{status: http.StatusBadGateway,
		msg: "The code could not be sent just now. Try again in a few minutes."}
}

// codeText is the verification SMS: short, GSM-7, with the page's name,
// and the origin-bound line (WICG sms-one-time-codes) that lets phones
// offer the code for this site only.
func (h *Handler) codeText(code string) string {
	title := []rune(h.o.Title)
	if len(title) > 40 {
		title = append(title[:39], '.')
	}
	return fmt.Sprintf("Your code for %s: %s. It expires in %d minutes.\n\n@%s #%s",
		string(title), code, int(codeTTL.Minutes()), h.publicURL.Hostname(), code)
}

// internalProblem is the answer when the state database fails.
var internalProblem = &problem{status: http.StatusInternalServerError,
	msg: "Something went wrong on our side and nothing was sent. Try again later."}

// limitProblem says which limit refused and when to try again: 503 for the
// page's own cap, which is no fault of the visitor, 429 for the others.
func limitProblem(d *denial) *problem {
	wait := fmt.Sprintf("Try again in %s.", humanWait(d.wait))
	switch d.scope {
	case scopeGlobal:
		return &problem{status: http.StatusServiceUnavailable, retry: d.wait,
			msg: "We are sending too many codes right now. " + wait}
	case scopeNumber:
		return &problem{status: http.StatusTooManyRequests, retry: d.wait, field: "phone",
			msg: "Too many codes were sent to this number. " + wait}
	case scopePrefix:
		return &problem{status: http.StatusTooManyRequests, retry: d.wait, field: "phone",
			msg: "Too many codes were sent to numbers like this one. " + wait}
	}
	return &problem{status: http.StatusTooManyRequests, retry: d.wait,
		msg: "Too many codes were requested from your network. " + wait}
}

// humanWait rounds a wait up to whole minutes for people.
func humanWait(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", m)
}
