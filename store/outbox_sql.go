package store

import (
	"context"
	"database/sql"
	"fmt"
)

// outboxColumns are the columns scanOutbox reads, in its order.
const outboxColumns = `id, channel, recipient, event, text, payload, status, attempts, reconcile,
	next_attempt_at_ms, claimed_at_ms, last_error, provider_id, provider_status, created_at_ms, sent_at_ms`

// queryOutbox reads the outbox rows matching where (which may end in
// ORDER BY / LIMIT).
func queryOutbox(ctx context.Context, q querier, where string, args ...any) ([]OutboxMessage, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query outbox: %w", err)
	}
	return scanOutbox(rows)
}

// scanOutbox reads and closes rows of outboxColumns.
func scanOutbox(rows *sql.Rows) ([]OutboxMessage, error) {
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var (
			m                  OutboxMessage
			status             string
			reconcile          int
			next, claimed, snt sql.NullInt64
			pid, pstatus       sql.NullString
			created            int64
		)
		if err := rows.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Event, &m.Text, &m.Payload, &status, &m.Attempts,
			&reconcile, &next, &claimed, &m.LastError, &pid, &pstatus, &created, &snt); err != nil {
			return nil, fmt.Errorf("read outbox row: %w", err)
		}
		m.Status, m.Reconcile = OutboxStatus(status), reconcile != 0
		m.NextAttemptAt, m.ClaimedAt, m.SentAt = nullMSTime(next), nullMSTime(claimed), nullMSTime(snt)
		m.ProviderID, m.ProviderStatus = pid.String, pstatus.String
		m.CreatedAt = msTime(created)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox rows: %w", err)
	}
	return out, nil
}
