// Package pgdriver owns the database/sql driver through which the state
// store talks to PostgreSQL: a thin layer over single pgx connections
// (github.com/jackc/pgx/v5), with database/sql doing the pooling.
//
// pgx ships such a driver as pgx/v5/stdlib, but that package also pulls
// in pgxpool and its pool library (jackc/puddle), which this module does
// not require; the state store needs only what is here: statements with
// $n parameters, transactions with an isolation level and read-only
// mode, and rows of the types its schema holds. It must not import store.
package pgdriver

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/jackc/pgx/v5"
)

// OpenDB returns a database/sql pool whose connections are made with cfg
// (from pgx.ParseConfig). It does not connect: the first use (or Ping)
// does.
func OpenDB(cfg *pgx.ConnConfig) *sql.DB {
	return sql.OpenDB(connector{cfg: cfg})
}

// connector makes connections for database/sql.
type connector struct{ cfg *pgx.ConnConfig }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	pc, err := pgx.ConnectConfig(ctx, c.cfg)
	if err != nil {
		return nil, err
	}
	return &conn{pc: pc}, nil
}

func (c connector) Driver() driver.Driver { return pgDriver{} }

// pgDriver is the driver.Driver a connector names (db.Driver()). It is
// not registered: database/sql opens connections through the connector.
type pgDriver struct{}

func (pgDriver) Open(dsn string) (driver.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return connector{cfg: cfg}.Connect(context.Background())
}
