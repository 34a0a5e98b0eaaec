package twilio

import (
	"strings"
	"unicode/utf16"
)

// MaxSegments is the most segments a vigil SMS may take.
const MaxSegments = 2

// Segment sizes: a single GSM-7 SMS holds 160 septets, each part of a
// concatenated one 153; UCS-2 holds 70 UTF-16 units, 67 per part.
const (
	gsmSingle, gsmPart   = 160, 153
	ucs2Single, ucs2Part = 70, 67
)

// gsmBasic is the GSM 03.38 default alphabet (one septet each, the escape
// character left out); gsmExtended are the characters that take an escape
// and a septet.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtended = "\f^{}\\[~]|€"
)

// gsmReplacer maps common typographic characters to GSM-7 equivalents,
// so that a text written with smart quotes still fits the cheap encoding.
var gsmReplacer = strings.NewReplacer(
	"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'",
	"“", `"`, "”", `"`, "„", `"`, "″", `"`,
	"–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-",
	"…", "...", "\u00a0", " ", "\u2009", " ", "\u202f", " ", "\t", " ",
	"•", "*", "·", "*",
)

// septets returns how many GSM-7 septets r takes: 1, 2 (extension table)
// or 0 when r is not in GSM-7.
func septets(r rune) int {
	switch {
	case strings.ContainsRune(gsmBasic, r):
		return 1
	case strings.ContainsRune(gsmExtended, r):
		return 2
	}
	return 0
}

// IsGSM7 reports whether s can be sent in the GSM-7 alphabet.
func IsGSM7(s string) bool {
	for _, r := range s {
		if septets(r) == 0 {
			return false
		}
	}
	return true
}

// ToGSM7 replaces typographic quotes, dashes, ellipses and spaces with
// their GSM-7 equivalents. Other characters are left alone: a text with
// characters outside GSM-7 is sent as UCS-2.
func ToGSM7(s string) string { return gsmReplacer.Replace(s) }

// Segments returns how many SMS segments s takes and whether it is sent as
// GSM-7 (else UCS-2).
func Segments(s string) (n int, gsm bool) {
	size, single, part := 0, gsmSingle, gsmPart
	if IsGSM7(s) {
		gsm = true
		for _, r := range s {
			size += septets(r)
		}
	} else {
		size, single, part = len(utf16.Encode([]rune(s))), ucs2Single, ucs2Part
	}
	if size <= single {
		return 1, gsm
	}
	return (size + part - 1) / part, gsm
}

// Fit returns text as vigil sends it: typography mapped to GSM-7, and,
// when it would take more than MaxSegments, cut short with an ellipsis
// while a trailing link (the status page) is kept whole at the end. The
// ellipsis is "..." in a GSM-7 text, since "…" is not in GSM-7 and would
// force the whole text into UCS-2 and halve its room; "…" in UCS-2.
func Fit(text string) string {
	t := strings.TrimSpace(ToGSM7(text))
	if n, _ := Segments(t); n <= MaxSegments {
		return t
	}
	head, link := splitLink(t)
	marker := "…"
	if IsGSM7(head + link) {
		marker = "..."
	}
	runes := []rune(head)
	build := func(k int) string {
		s := strings.TrimRight(string(runes[:k]), " \n") + marker
		if link != "" {
			s += " " + link
		}
		return s
	}
	lo, hi := 0, len(runes) // largest k with build(k) fitting
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if n, _ := Segments(build(mid)); n <= MaxSegments {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if n, _ := Segments(build(lo)); n <= MaxSegments {
		return build(lo)
	}
	// Even the link does not fit: cut everything.
	all := []rune(t)
	lo, hi = 0, len(all)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if n, _ := Segments(string(all[:mid]) + marker); n <= MaxSegments {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(all[:lo]) + marker
}

// splitLink splits a trailing http(s) URL off s.
func splitLink(s string) (head, link string) {
	i := strings.LastIndexAny(s, " \n")
	if i < 0 {
		return s, ""
	}
	last := s[i+1:]
	if strings.HasPrefix(last, "https://") || strings.HasPrefix(last, "http://") {
		return strings.TrimRight(s[:i], " \n"), last
	}
	return s, ""
}
