package twiliofake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error codes the fake answers with, as Twilio documents them.
const (
	CodeAuthenticate   = 20003 // wrong AccountSid or AuthToken (HTTP 401)
	CodeNotFound       = 20404 // unknown resource (HTTP 404)
	CodeTooManyReqs    = 20429 // rate limited (HTTP 429)
	CodeInternal       = 20500 // internal error (HTTP 500)
	CodeInvalidTo      = 21211 // the To number is not a valid phone number
	CodeRegionBlocked  = 21408 // permission to send to this region is not enabled
	CodeBodyRequired   = 21602 // message body is required
	CodeFromRequired   = 21603 // a From number or MessagingServiceSid is required
	CodeUnsubscribed   = 21610 // the recipient replied STOP
	CodeNotMobile      = 21614 // To is not a valid mobile number
	CodeBodyTooLong    = 21617 // body exceeds 1600 characters
	CodeUnreachableSMS = 21612 // To cannot be reached by SMS from this From
)

// apiError is Twilio's error body.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// messageFor returns Twilio's text for code, mentioning to where Twilio does.
func messageFor(code int, to string) string {
	switch code {
	case CodeAuthenticate:
		return "Authenticate"
	case CodeNotFound:
		return "The requested resource was not found"
	case CodeTooManyReqs:
		return "Too Many Requests"
	case CodeInternal:
		return "An internal server error has occurred"
	case CodeInvalidTo:
		return fmt.Sprintf("The 'To' number %s is not a valid phone number.", to)
	case CodeRegionBlocked:
		return fmt.Sprintf("Permission to send an SMS has not been enabled for the region indicated by the 'To' number: %s.", to)
	case CodeBodyRequired:
		return "Message body is required."
	case CodeFromRequired:
		return "A 'From' phone number is required."
	case CodeUnsubscribed:
		return "Attempt to send to unsubscribed recipient"
	case CodeNotMobile:
		return fmt.Sprintf("'To' number %s is not a valid mobile number", to)
	case CodeBodyTooLong:
		return "The concatenated message body exceeds the 1600 character limit."
	case CodeUnreachableSMS:
		return fmt.Sprintf("The 'To' phone number: %s, is not currently reachable using the 'From' phone number via SMS.", to)
	}
	return "Error"
}

// writeError writes Twilio's JSON error body with the given HTTP status.
func writeError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{
		Code:     code,
		Message:  message,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
		Status:   status,
	})
}
