package configs

import (
	"errors"
	"net/url"
	"strings"
)

// stateExample is the shape of a valid server.state.
const stateExample = "postgres://user@host:5432/dbname"

// validateState checks server.state, a PostgreSQL DSN, without ever
// quoting its password.
func validateState(v *collector, dsn string) {
	const path = "server.state"
	if dsn == "" {
		return // the state stays in SQLite under data_dir
	}
	scheme, _, _ := strings.Cut(dsn, "://")
	if !strings.EqualFold(scheme, "postgres") && !strings.EqualFold(scheme, "postgresql") {
		v.add(path, "state %s is not a postgres:// URL; write %s (as ${VIGIL_STATE_DSN}), or leave state out to keep the state in SQLite under data_dir",
			quoteState(v, path, dsn), stateExample)
		return
	}
	u, err := url.Parse(dsn)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error repeats the whole DSN, password included
		}
		v.add(path, "state is not a valid URL (%v); write %s", err, stateExample)
		return
	}
	if literalPassword(v.idx.raw[path], dsn) {
		v.add(path, "state holds a password written in the file; write the whole DSN as ${VIGIL_STATE_DSN} and set that variable, or leave the password out and set PGPASSWORD")
	}
	if strings.Trim(u.Path, "/") == "" {
		v.add(path, "state %s names no database; add its name after the host: %s", quoteState(v, path, dsn), stateExample)
	}
}

// literalPassword reports whether the DSN as the file holds it (raw, the
// ${...} text of a value from the environment, or else the value itself)
// spells out a password rather than taking it from a variable.
func literalPassword(raw, dsn string) bool {
	written := raw
	if written == "" {
		written = dsn
	}
	_, rest, ok := strings.Cut(written, "://")
	if !ok {
		return false // the whole DSN comes from a variable
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return false
	}
	_, password, ok := strings.Cut(rest[:at], ":")
	return ok && password != "" && !strings.Contains(password, "${")
}

// quoteState quotes a DSN for a message: the ${...} text when it came
// from the environment, otherwise the value without its password.
func quoteState(v *collector, path, dsn string) string {
	if _, fromEnv := v.idx.raw[path]; !fromEnv {
		if u, err := url.Parse(dsn); err == nil {
			dsn = u.Redacted()
		} else if scheme, _, ok := strings.Cut(dsn, "://"); ok {
			dsn = scheme + "://…"
		}
	}
	return v.q(path, dsn)
}
