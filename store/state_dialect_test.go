package store

import (
	"fmt"
	"testing"
)

func TestNumberPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`UPDATE t SET e = 'why?' WHERE id = ?`, `UPDATE t SET e = 'why?' WHERE id = $1`},
		{`SELECT 'it''s ?', ? FROM "odd?name"`, `SELECT 'it''s ?', $1 FROM "odd?name"`},
		{"SELECT ? -- what?\nFROM t WHERE x = ?", "SELECT $1 -- what?\nFROM t WHERE x = $2"},
		{`SELECT /* why? */ ? /* unterminated ?`, `SELECT /* why? */ $1 /* unterminated ?`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
		{`SELECT ? - -1, ?`, `SELECT $1 - -1, $2`},
		{"SELECT ? --", "SELECT $1 --"},
	} {
		if got := numberPlaceholders(c.in); got != c.want {
			t.Errorf("numberPlaceholders(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRebindCacheIsBounded(t *testing.T) {
	var r dollarRebinder
	for i := range rebindCacheLimit + 10 {
		q := fmt.Sprintf("SELECT %d WHERE x = ?", i)
		if got, want := r.rebind(q), fmt.Sprintf("SELECT %d WHERE x = $1", i); got != want {
			t.Fatalf("rebind(%q) = %q, want %q", q, got, want)
		}
	}
	if n := r.size.Load(); n != rebindCacheLimit {
		t.Errorf("%d statements cached, want the limit %d", n, rebindCacheLimit)
	}
	if got := r.rebind("SELECT 0 WHERE x = ?"); got != "SELECT 0 WHERE x = $1" {
		t.Errorf("cached rebind = %q", got)
	}
}

func TestDSNs(t *testing.T) {
	for dsn, pg := range map[string]bool{
		"postgres://h/db": true, "postgresql://u@h/db": true, "POSTGRES://h/db": true,
		"./data": false, "/var/lib/vigil": false, "": false, "mysql://h/db": false, "data/postgres://x": false,
	} {
		if got := IsPostgresDSN(dsn); got != pg {
			t.Errorf("IsPostgresDSN(%q) = %v, want %v", dsn, got, pg)
		}
	}
	for dsn, want := range map[string]string{
		"postgres://vigil:pw@db:5432/vigil":                     "postgres://vigil:xxxxx@db:5432/vigil",
		"postgres://vigil:p%40ss@db/vigil?sslmode=require":      "postgres://vigil:xxxxx@db/vigil?sslmode=require",
		"postgres://vigil@db/vigil?password=pw&sslmode=disable": "postgres://vigil@db/vigil?password=xxxxx&sslmode=disable",
		"postgres://db/vigil":                                   "postgres://db/vigil",
		"postgres://vigil:pw@db:port/vigil":                     "postgres://(unparsable DSN, not shown)",
	} {
		if got := RedactDSN(dsn); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", dsn, got, want)
		}
	}
	for dsn, want := range map[string][]string{
		"postgres://vigil:p%40ss@db/vigil":           {"p@ss", "p%40ss"},
		"postgres://vigil@db/vigil?sslpassword=k3y":  {"k3y"},
		"postgres://vigil:pw@db:port/vigil":          {"pw"},
		"postgres://vigil@db/vigil?sslmode=disable":  nil,
		"postgres://vigil:a:b@db:notaport/x":         {"a:b"},
		"postgres://vigil:pw@db/vigil?password=also": {"pw", "also"},
	} {
		got := dsnSecrets(dsn)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("dsnSecrets(%q) = %q, want %q", dsn, got, want)
		}
	}
}
