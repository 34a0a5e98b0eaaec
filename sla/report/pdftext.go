package report

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// The PDF uses fpdf's core fonts (nothing to download or embed), which
// encode text in code page 1252: Western European letters such as é, ë, ï
// and ü, and € — and — print as they are. Other letters are folded to their
// base letter (ő to o) where Unicode can decompose them, and a few common
// ones by hand; anything else becomes "?", never a silently dropped character.

// cp1252Text converts UTF-8 text for the core fonts.
type cp1252Text struct {
	translate func(string) string // fpdf's translator: "." for unknown runes
}

// folds are letters without a decomposition and a natural ASCII stand-in.
var folds = map[rune]string{'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ı': "i", 'ø': "o", 'Ø': "O", '→': "->", '≤': "<=", '≥': ">=", '−': "-"}

// String returns s in code page 1252.
func (c cp1252Text) String(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		b.WriteString(c.rune(r))
	}
	return b.String()
}

func (c cp1252Text) rune(r rune) string {
	if r < 0x80 {
		return string(r)
	}
	if t := c.translate(string(r)); t != "." {
		return t
	}
	if f, ok := folds[r]; ok {
		return f
	}
	if d := []rune(norm.NFD.String(string(r))); len(d) > 1 && d[0] != r {
		return c.rune(d[0])
	}
	return "?"
}
