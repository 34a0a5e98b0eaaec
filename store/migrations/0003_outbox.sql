-- The notification outbox (issue 5): every (event, recipient, channel) is
-- written here before anything is sent; the outbox worker delivers it.
--
-- Times are Unix milliseconds, UTC (BIGINT). A row moves
--   pending → sending → sent | failed | cancelled
--   pending → sending → pending (retry later, next_attempt_at_ms)
--   pending → sending → uncertain (the provider may have it) → sending
--     (reconcile: found → sent, not found → sent again)
-- Rows found in 'sending' when the worker starts were in flight when the
-- previous process died: they become 'uncertain' and are reconciled.
-- next_attempt_at_ms is NULL for rows no worker will pick up again (sent,
-- failed, cancelled, and uncertain rows a human must look at).
CREATE TABLE outbox (
    id                 INTEGER NOT NULL PRIMARY KEY,
    channel            TEXT    NOT NULL,
    recipient          TEXT    NOT NULL,
    event              TEXT    NOT NULL,
    text               TEXT    NOT NULL,
    payload            BLOB,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    reconcile          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms BIGINT,
    claimed_at_ms      BIGINT,
    last_error         TEXT    NOT NULL DEFAULT '',
    provider_id        TEXT,
    provider_status    TEXT,
    created_at_ms      BIGINT  NOT NULL,
    sent_at_ms         BIGINT
);

-- The worker's claim: due rows of one channel in order.
CREATE INDEX outbox_due ON outbox (channel, status, next_attempt_at_ms);
-- Status callbacks find their row by the provider's id.
CREATE INDEX outbox_by_provider_id ON outbox (provider_id);
-- Deactivating a recipient cancels its waiting rows.
CREATE INDEX outbox_by_recipient ON outbox (channel, recipient, status);

-- Delivery state of each address per channel: a permanent failure (invalid
-- number, unsubscribed) or a STOP deactivates it; nothing is sent to an
-- inactive address until it is reactivated (START).
CREATE TABLE recipients (
    channel            TEXT    NOT NULL,
    address            TEXT    NOT NULL,
    active             INTEGER NOT NULL CHECK (active IN (0, 1)),
    deactivated_reason TEXT    NOT NULL DEFAULT '',
    changed_at_ms      BIGINT  NOT NULL,
    PRIMARY KEY (channel, address)
);
