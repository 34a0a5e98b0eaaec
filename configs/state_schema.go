package configs

// The state store (incidents, maintenance, the notification outbox,
// subscriptions): SQLite in data_dir by default, for one vigil; PostgreSQL
// when server.state holds a postgres:// DSN, for several instances that
// share one state. Write the DSN as ${VIGIL_STATE_DSN}, or keep the
// password out of it and set PGPASSWORD: it is a secret, never logged or
// printed.

// StateDSN is what store.Open takes: server.state when it is set,
// otherwise the data dir, where the state lives in SQLite.
func (s Server) StateDSN() string {
	if s.State != "" {
		return s.State
	}
	return s.DataDir
}
