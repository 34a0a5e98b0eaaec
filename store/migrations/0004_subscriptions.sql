-- Customer SMS subscriptions (issue 5): a phone number subscribed to the
-- incidents and maintenance of one component, and the maintenance notices
-- already sent to subscribers.
--
-- Times are Unix milliseconds, UTC (BIGINT). Flags are SMALLINT 0 or 1,
-- the same in SQLite and PostgreSQL.

-- One row per (phone, component). confirmed_at_ms is NULL until the
-- subscriber confirmed (the admin API confirms at once; the status page's
-- web form will send a confirmation SMS). active is cleared by STOP and set
-- again by START; only confirmed, active rows receive messages.
CREATE TABLE subscriptions (
    phone           TEXT     NOT NULL,
    component       TEXT     NOT NULL,
    created_at_ms   BIGINT   NOT NULL,
    confirmed_at_ms BIGINT,
    active          SMALLINT NOT NULL CHECK (active IN (0, 1)),
    PRIMARY KEY (phone, component)
);

-- Fan-out finds a component's subscribers.
CREATE INDEX subscriptions_by_component ON subscriptions (component, active);

-- The maintenance notices enqueued for subscribers, so that each window's
-- scheduled, started and completed notice is sent once, also across
-- restarts: the row is inserted in the transaction that enqueues it.
CREATE TABLE maintenance_notices (
    window_id  TEXT   NOT NULL,
    kind       TEXT   NOT NULL CHECK (kind IN ('scheduled', 'started', 'completed')),
    sent_at_ms BIGINT NOT NULL,
    PRIMARY KEY (window_id, kind)
);
