package alert

import (
	"crypto/rand"
	"encoding/base32"
)

// idEncoding spells ids in lower case without padding, like the ids of
// maintenance windows.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// randomID returns "inc-" and 8 random characters (40 bits). Random
// rather than sequential, so that an id never comes back after the state
// database has been replaced; the store refuses a clash.
func randomID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return "inc-" + idEncoding.EncodeToString(b)
}
