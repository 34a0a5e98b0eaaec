package subscribe

import (
	"net/http"
)

// showUnsubscribe serves the page an unsubscribe link opens: a question
// and a button. It changes nothing: mail and chat link scanners follow
// links, and must not unsubscribe anyone.
func (h *Handler) showUnsubscribe(w http.ResponseWriter, r *http.Request) {
	t := r.URL.Query().Get("t")
	phone, err := h.keys.openUnsubscribeToken(t)
	if err != nil {
		h.invalidLink(w)
		return
	}
	h.showUnsubscribeForm(w, r, t, phone, nil)
}

// showUnsubscribeForm renders the confirm page of token t for phone.
func (h *Handler) showUnsubscribeForm(w http.ResponseWriter, r *http.Request, t, phone string, pr *problem) {
	cookie := h.cookie.ensure(w, r)
	h.render(w, http.StatusOK, "unsubscribe", &page{
		Heading:          "Unsubscribe",
		Token:            h.keys.formToken(cookie, purposeUnsubscribe, t, h.o.Clock.Now()),
		DisplayPhone:     maskPhone(phone),
		UnsubscribeToken: t,
	}, pr)
}

// unsubscribe answers the confirm page's button: every subscription of
// the number is deleted.
func (h *Handler) unsubscribe(w http.ResponseWriter, r *http.Request, client string) {
	t := r.PostForm.Get("t")
	phone, err := h.keys.openUnsubscribeToken(t)
	if err != nil {
		h.invalidLink(w)
		return
	}
	if pr := h.checkForm(r, purposeUnsubscribe, t); pr != nil {
		h.showUnsubscribeForm(w, r, t, phone, pr)
		return
	}
	n, err := h.o.Store.UnsubscribePhone(r.Context(), phone)
	if err != nil {
		h.logger.Error("unsubscribe", "err", err)
		h.showUnsubscribeForm(w, r, t, phone, &problem{status: http.StatusInternalServerError,
			msg: "Something went wrong on our side: you are still subscribed. Try again later, or reply STOP to any of our messages."})
		return
	}
	h.logger.Info("unsubscribed by link", "client", client, "number", maskPhone(phone), "subscriptions", n)
	h.render(w, http.StatusOK, "unsubscribed", &page{
		Heading:      "You are unsubscribed",
		DisplayPhone: maskPhone(phone),
	}, nil)
}

// invalidLink answers an unsubscribe token that does not open (400).
func (h *Handler) invalidLink(w http.ResponseWriter) {
	h.render(w, http.StatusBadRequest, "invalid-link", &page{Heading: "This unsubscribe link is not valid"}, nil)
}
