package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// secretFile holds the server secret under data_dir when VIGIL_SECRET is
// not set.
const secretFile = "secret.key"

// minSecret is the least secret material the keys are derived from.
const minSecret = 32

// serverSecret returns the secret the subscription form derives its keys
// from (CSRF tokens, code hashes, unsubscribe links): $VIGIL_SECRET when
// set, else a random one created once in data_dir, so links and codes
// survive a restart. Instances sharing one state database (high
// availability) must share it: set VIGIL_SECRET on each.
func serverSecret(dataDir string) ([]byte, error) {
	if env := os.Getenv("VIGIL_SECRET"); env != "" {
		if len(env) < minSecret {
			return nil, fmt.Errorf("VIGIL_SECRET has %d characters; use at least %d, e.g. from openssl rand -hex 32", len(env), minSecret)
		}
		return []byte(env), nil
	}
	path := filepath.Join(dataDir, secretFile)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if s := strings.TrimSpace(string(data)); len(s) >= minSecret {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("%s holds fewer than %d characters; delete it to have a new one made (pending codes and unsubscribe links stop working), or set VIGIL_SECRET", path, minSecret)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read the server secret: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(b)
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write the server secret: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write the server secret: %w", err)
	}
	return []byte(s), nil
}
