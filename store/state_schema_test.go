package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"testing"
)

// The migrations give both databases the same schema: the same tables,
// the same columns with the same kind of type and nullability, and the
// same indexes.
func TestSchemasOfBothBackendsMatch(t *testing.T) {
	schemas := map[string]schema{}
	forEachBackend(t, func(t *testing.T, b backend) {
		s, _ := b.open(t)
		schemas[b.name] = readSchema(t, s)
		if len(schemas[b.name].columns) == 0 {
			t.Fatal("no columns read")
		}
	})
	lite, pg := schemas["sqlite"], schemas["postgres"]
	if lite.columns == nil || pg.columns == nil {
		t.Skip("needs both backends")
	}
	for _, c := range diff(lite.columns, pg.columns) {
		t.Errorf("column differs: %s", c)
	}
	for _, c := range diff(lite.indexes, pg.indexes) {
		t.Errorf("index differs: %s", c)
	}
}

// schema is what TestSchemasOfBothBackendsMatch compares, as sets of
// lines: "table.column kind null|not null" and "index on table".
type schema struct{ columns, indexes map[string]bool }

// readSchema reads s's schema through its database's catalogue.
func readSchema(t *testing.T, s *State) schema {
	t.Helper()
	var colQ, idxQ string
	switch s.Backend() {
	case "sqlite":
		colQ = `SELECT m.name, p.name, p.type, p."notnull" FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`
		idxQ = `SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`
	case "postgres":
		colQ = `SELECT table_name, column_name, data_type, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END
			FROM information_schema.columns WHERE table_schema = current_schema()`
		// Leave out the indexes behind PRIMARY KEY and UNIQUE, which
		// SQLite keeps without a statement of their own.
		idxQ = `SELECT i.indexname, i.tablename FROM pg_indexes i
			WHERE i.schemaname = current_schema() AND NOT EXISTS (
				SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))`
	}
	out := schema{columns: map[string]bool{}, indexes: map[string]bool{}}
	scan(t, s.r.db, colQ, func(rows *sql.Rows) error {
		var table, col, typ string
		var notNull int
		if err := rows.Scan(&table, &col, &typ, &notNull); err != nil {
			return err
		}
		null := "null"
		if notNull != 0 {
			null = "not null"
		}
		out.columns[table+"."+col+" "+typeKind(typ)+" "+null] = true
		return nil
	})
	scan(t, s.r.db, idxQ, func(rows *sql.Rows) error {
		var index, table string
		if err := rows.Scan(&index, &table); err != nil {
			return err
		}
		out.indexes[index+" on "+table] = true
		return nil
	})
	return out
}

// typeKind maps a column type of either database to what it holds.
func typeKind(typ string) string {
	switch strings.ToLower(typ) {
	case "integer", "bigint", "smallint":
		return "integer"
	case "text":
		return "text"
	case "blob", "bytea":
		return "bytes"
	case "double precision":
		return "float"
	}
	return "other type " + typ
}

// scan runs query on db and calls each for every row.
func scan(t *testing.T, db *sql.DB, query string, each func(*sql.Rows) error) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// diff lists the lines in only one of a and b, marked with the side.
func diff(a, b map[string]bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if !b[k] {
			out = append(out, "only on sqlite: "+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if !a[k] {
			out = append(out, "only on postgres: "+k)
		}
	}
	return out
}
