package subscribe

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/vigilmon/vigil/store"
)

// verifyBinding is what a code form's token acts on: the verification and
// the tries made when the form was issued, so that each form serves one
// try.
func verifyBinding(id string, attempts int) string { return id + "/" + strconv.Itoa(attempts) }

// showCodeForm renders the code form for verification id at attempts
// tries, showing the number as display.
func (h *Handler) showCodeForm(w http.ResponseWriter, r *http.Request, status int, id string, attempts int, display, notice string, pr *problem) {
	cookie := h.cookie.ensure(w, r)
	h.render(w, status, "verify", &page{
		Heading:        "Enter the code",
		CodeDigits:     codeDigits,
		CodeMinutes:    int(codeTTL.Minutes()),
		Token:          h.keys.formToken(cookie, purposeVerify, verifyBinding(id, attempts), h.o.Clock.Now()),
		VerificationID: id,
		Attempts:       attempts,
		DisplayPhone:   display,
		Notice:         notice,
	}, pr)
}

// verifyCode answers the code form.
func (h *Handler) verifyCode(w http.ResponseWriter, r *http.Request, client string) {
	id, code := r.PostForm.Get("v"), strings.TrimSpace(r.PostForm.Get("code"))
	seen, err := strconv.Atoi(r.PostForm.Get("n"))
	if id == "" || err != nil || seen < 0 || seen > maxAttempts {
		h.refuse(w, r, &problem{status: http.StatusBadRequest, msg: "The code form could not be read. Request a new code."})
		return
	}
	if pr := h.checkForm(r, purposeVerify, verifyBinding(id, seen)); pr != nil {
		h.codeFormAgain(w, r, id, pr)
		return
	}
	// Every try with a valid form counts, whatever was typed: each form
	// serves exactly one.
	out, v, err := h.o.Store.ConfirmVerification(r.Context(), store.VerifyAttempt{
		ID: id, SeenAttempts: seen, CodeHash: h.keys.codeHash(id, code), MaxAttempts: maxAttempts, Channel: h.o.Channel,
	}, h.o.Clock.Now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.refuse(w, r, &problem{status: http.StatusGone,
			msg: "This code no longer works: it was used, replaced by a newer one, or expired. Request a new code."})
		return
	case err != nil:
		h.logger.Error("confirm verification", "err", err)
		h.refuse(w, r, internalProblem)
		return
	}
	display := displayPhone(v.Phone)
	switch out {
	case store.VerifyConfirmed:
		h.logger.Info("subscriber confirmed", "client", client, "number", maskPhone(v.Phone), "components", v.Components)
		h.render(w, http.StatusOK, "confirmed", &page{
			Heading:        "You are subscribed",
			Notice:         "Your number " + display + " is confirmed.",
			DisplayPhone:   display,
			Followed:       h.componentNames(v.Components),
			UnsubscribeURL: h.UnsubscribeURL(v.Phone),
		}, nil)
	case store.VerifyWrongCode:
		left := maxAttempts - v.Attempts
		what := "Wrong code."
		if !validCode(code) {
			what = fmt.Sprintf("Enter the %d digits of the code from the text message.", codeDigits)
		}
		if left == 0 {
			h.render(w, 0, "form", h.formPage(w, r, display, v.Components), &problem{status: http.StatusUnprocessableEntity,
				field: "phone", msg: what + " That was the last try for this code: request a new one."})
			return
		}
		h.showCodeForm(w, r, 0, v.ID, v.Attempts, display, "", &problem{status: http.StatusUnprocessableEntity,
			field: "code", msg: fmt.Sprintf("%s %s left.", what, plural(left, "try", "tries"))})
	case store.VerifyExpired:
		h.render(w, 0, "form", h.formPage(w, r, display, v.Components), &problem{status: http.StatusGone,
			msg: "The code has expired. Request a new one."})
	case store.VerifyLocked:
		h.render(w, 0, "form", h.formPage(w, r, display, v.Components), &problem{status: http.StatusGone,
			msg: "The code was entered wrongly too often and no longer works. Request a new one."})
	case store.VerifyStale:
		h.showCodeForm(w, r, 0, v.ID, v.Attempts, display, "", &problem{status: http.StatusForbidden, msg: msgUsedToken})
	}
}

// codeFormAgain answers a code form refused for its token: with a fresh
// code form while the verification is pending, else with the
// subscription form.
func (h *Handler) codeFormAgain(w http.ResponseWriter, r *http.Request, id string, pr *problem) {
	v, err := h.o.Store.GetVerification(r.Context(), id)
	if err != nil {
		h.refuse(w, r, pr)
		return
	}
	h.showCodeForm(w, r, 0, v.ID, v.Attempts, displayPhone(v.Phone), "", pr)
}

// validCode reports whether s has the shape of a code.
func validCode(s string) bool {
	if len(s) != codeDigits {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// componentNames returns the names of the component ids, in their order.
func (h *Handler) componentNames(ids []string) []string {
	var out []string
	for _, id := range ids {
		name := id
		for _, c := range h.comps {
			if c.ID == id {
				name = c.Name
			}
		}
		out = append(out, name)
	}
	return out
}

// displayPhone formats an E.164 number for people: +31 6 12345678.
func displayPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// plural writes n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
