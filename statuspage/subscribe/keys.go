package subscribe

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
)

// keys are the secrets of the flow, each derived from the server secret
// for one use, so that no key serves two purposes.
type keys struct {
	csrf    []byte // HMAC key of form tokens
	code    []byte // HMAC key of stored code hashes
	subject []byte // HMAC key of rate limit subjects
	unsubs  cipher.AEAD
}

// deriveKeys derives the keys from the server secret (HMAC-SHA256 with a
// label per use).
func deriveKeys(secret []byte) (keys, error) {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("vigil subscribe v1 " + label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("unsubscribe link"))
	if err != nil {
		return keys{}, fmt.Errorf("unsubscribe key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return keys{}, fmt.Errorf("unsubscribe key: %w", err)
	}
	return keys{csrf: derive("csrf"), code: derive("code"), subject: derive("rate limit"), unsubs: aead}, nil
}

// newCode returns a uniformly random code of codeDigits digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Exp(big.NewInt(10), big.NewInt(codeDigits), nil))
	if err != nil {
		return "", fmt.Errorf("random code: %w", err)
	}
	return fmt.Sprintf("%0*d", codeDigits, n), nil
}

// codeHash is what is stored of a code: an HMAC of the code and the
// verification's id. Without the server secret a copy of the database
// does not give the codes away, although there are only a million.
func (k keys) codeHash(verificationID, code string) []byte {
	m := hmac.New(sha256.New, k.code)
	m.Write([]byte(verificationID))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// limitSubject is what the rate limits store instead of an address, a
// number or a prefix: a keyed hash (128 bits), so that the stored buckets
// hold no phone number or address of someone who never confirmed.
func (k keys) limitSubject(scope, value string) string {
	m := hmac.New(sha256.New, k.subject)
	m.Write([]byte(scope))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// unsubscribeToken seals phone into an opaque token (AES-GCM): the link
// neither shows the number nor can be made for another one.
func (k keys) unsubscribeToken(phone string) string {
	nonce := make([]byte, k.unsubs.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails
	sealed := k.unsubs.Seal(nonce, nonce, []byte(phone), []byte("unsubscribe"))
	return base64.RawURLEncoding.EncodeToString(sealed)
}

// errBadLink means an unsubscribe token does not open.
var errBadLink = errors.New("unsubscribe link does not verify")

// openUnsubscribeToken returns the phone sealed in token.
func (k keys) openUnsubscribeToken(token string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < k.unsubs.NonceSize()+k.unsubs.Overhead() {
		return "", errBadLink
	}
	n := k.unsubs.NonceSize()
	phone, err := k.unsubs.Open(nil, raw[:n], raw[n:], []byte("unsubscribe"))
	if err != nil || len(phone) == 0 {
		return "", errBadLink
	}
	return string(phone), nil
}

// randomID returns 16 random bytes, URL-safe: verification ids and
// cookie values.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
