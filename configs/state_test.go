package configs

import (
	"strings"
	"testing"
)

var _ = addInvalidCases([]invalidCase{
	{"invalid-state-scheme.yml", `invalid-state-scheme.yml:4: state "mysql://vigil:xxxxx@db.example.com/vigil" is not a postgres:// URL; write postgres://user@host:5432/dbname (as ${VIGIL_STATE_DSN}), or leave state out to keep the state in SQLite under data_dir`},
	{"invalid-state-url.yml", `invalid-state-url.yml:3: state is not a valid URL (invalid port ":fivefourthreetwo" after host); write postgres://user@host:5432/dbname`},
	{"invalid-state-password.yml", `invalid-state-password.yml:4: state holds a password written in the file; write the whole DSN as ${VIGIL_STATE_DSN} and set that variable, or leave the password out and set PGPASSWORD`},
	{"invalid-state-database.yml", `invalid-state-database.yml:3: state "postgres://vigil@db.example.com:5432" names no database; add its name after the host: postgres://user@host:5432/dbname`},
}...)

func TestStateDSN(t *testing.T) {
	t.Setenv("VIGIL_TEST_STATE_DSN", "postgres://vigil:env-s3cret@db.example.com:5432/vigil")
	t.Setenv("VIGIL_TEST_STATE_PW", "env-s3cret")
	for _, c := range []struct{ name, yml, want string }{
		{"default: SQLite in data_dir", "server:\n  data_dir: /var/lib/vigil\n", "/var/lib/vigil"},
		{"the whole DSN from the environment", "server:\n  state: ${VIGIL_TEST_STATE_DSN}\n",
			"postgres://vigil:env-s3cret@db.example.com:5432/vigil"},
		{"the password from the environment", "server:\n  state: postgres://vigil:${VIGIL_TEST_STATE_PW}@db/vigil?sslmode=require\n",
			"postgres://vigil:env-s3cret@db/vigil?sslmode=require"},
		{"no password (PGPASSWORD, .pgpass)", "server:\n  state: postgresql://vigil@db/vigil\n", "postgresql://vigil@db/vigil"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse(c.name+".yml", []byte(c.yml))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Server.StateDSN(); got != c.want {
				t.Errorf("StateDSN() = %q, want %q", got, c.want)
			}
		})
	}
}

// A DSN from the environment is quoted as the ${...} the file holds, and
// its password shows in no message.
func TestStateErrorsHideTheDSN(t *testing.T) {
	const secret = "env-s3cret"
	t.Setenv("VIGIL_TEST_STATE_DSN", "mysql://vigil:"+secret+"@db/vigil")
	t.Setenv("VIGIL_TEST_STATE_BAD", "postgres://vigil:"+secret+"@db:port/vigil")
	for _, c := range []struct{ yml, want string }{
		{"server:\n  state: ${VIGIL_TEST_STATE_DSN}\n", `env.yml:2: state "${VIGIL_TEST_STATE_DSN}" is not a postgres:// URL`},
		{"server:\n  state: ${VIGIL_TEST_STATE_BAD}\n", `env.yml:2: state is not a valid URL (invalid port ":port" after host)`},
		{"server:\n  state: mysql://vigil:" + secret + "@db:port/vigil\n", `env.yml:2: state "mysql://…" is not a postgres:// URL`},
	} {
		_, err := Parse("env.yml", []byte(c.yml))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want it to start with %q", c.yml, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("the password shows: %v", err)
		}
	}
}
