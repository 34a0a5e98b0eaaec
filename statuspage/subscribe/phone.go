package subscribe

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// maxPhoneInput is the longest text the phone field may hold; a number
// with spaces and a country code is far shorter.
const maxPhoneInput = 40

// prefixCut is how many trailing digits the prefix limit leaves out: the
// numbers of one block of 1000, which pumping walks through.
const prefixCut = 3

// number is a phone number the form accepts.
type number struct {
	E164    string // +31612345678
	Display string // +31 6 12345678
	Region  string // NL
}

// prefix is the number without its last prefixCut digits, the subject of
// the prefix limit.
func (n number) prefix() string { return n.E164[:len(n.E164)-prefixCut] }

// smsTypes are the number types that can receive SMS. Fixed lines,
// premium-rate, shared-cost, toll-free, VoIP, pager and unknown numbers
// are refused: premium and shared-cost ranges are what SMS pumping earns
// on, the others cannot take a text.
var smsTypes = []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE}

// parsePhone reads what the visitor typed: an international number or a
// national one of the default region. It returns the number, or a
// message saying what is wrong and what to write.
func (h *Handler) parsePhone(input string) (number, string) {
	region, allowed, example := h.o.Config.DefaultRegion, h.regions, h.examples[0]
	input = strings.TrimSpace(input)
	switch {
	case input == "":
		return number{}, "Enter your mobile number, e.g. " + example + "."
	case utf8.RuneCountInString(input) > maxPhoneInput:
		return number{}, "That is too long for a phone number. Enter your mobile number, e.g. " + example + "."
	}
	num, err := phonenumbers.Parse(input, region)
	if err != nil {
		return number{}, fmt.Sprintf("%q is not a phone number. Enter your mobile number, e.g. %s.", input, example)
	}
	if num.GetExtension() != "" {
		return number{}, "Leave out the extension: an SMS goes to the number itself."
	}
	n := number{
		E164:    phonenumbers.Format(num, phonenumbers.E164),
		Display: phonenumbers.Format(num, phonenumbers.INTERNATIONAL),
		Region:  phonenumbers.GetRegionCodeForNumber(num),
	}
	if !phonenumbers.IsValidNumber(num) {
		return number{}, fmt.Sprintf("%s is not a valid number: check the digits and the country code.", n.Display)
	}
	if !allowed[n.Region] {
		return number{}, fmt.Sprintf("Numbers from %s cannot subscribe here. This page sends SMS to numbers from %s.",
			countryName(n.Region), allowedList(allowed))
	}
	if !slices.Contains(smsTypes, phonenumbers.GetNumberType(num)) {
		return number{}, fmt.Sprintf("%s is not a mobile number. Enter a number that can receive SMS.", n.Display)
	}
	return n, ""
}

// exampleNumber is libphonenumber's example mobile number of region as
// people write it there (NATIONAL) or abroad (INTERNATIONAL).
func exampleNumber(region string, format phonenumbers.PhoneNumberFormat) string {
	if ex := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE); ex != nil {
		return phonenumbers.Format(ex, format)
	}
	return "+31 6 12345678"
}

// countryName is the English name of an ISO 3166 region with its calling
// code, e.g. "Germany (+49)", with a no-break space.
func countryName(region string) string {
	name := region
	if r, err := language.ParseRegion(region); err == nil {
		if n := display.English.Regions().Name(r); n != "" {
			name = n
		}
	}
	return fmt.Sprintf("%s\u00a0(+%d)", name, phonenumbers.GetCountryCodeForRegion(region)) // no break before the code
}

// allowedList names the allowed countries, sorted by code.
func allowedList(allowed map[string]bool) string {
	codes := make([]string, 0, len(allowed))
	for c := range allowed {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = countryName(c)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// maskPhone shows only the country code and the last digits of an E.164
// number, for pages that a forwarded link may show to someone else.
func maskPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return "your number"
	}
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	keep := min(3, len(nsn))
	return fmt.Sprintf("+%d %s%s", num.GetCountryCode(), strings.Repeat("•", len(nsn)-keep), nsn[len(nsn)-keep:])
}
