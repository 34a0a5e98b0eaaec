-- Delivery statuses that arrive before the send's outcome has recorded the
-- provider's message id: Twilio can call back (queued, sent, delivered)
-- before its API answer reaches the worker, whose outcomes are written in
-- batches. They wait here and are applied when the id is recorded.
--
-- Times are Unix milliseconds, UTC (BIGINT). Flags are SMALLINT 0 or 1.
CREATE TABLE early_provider_status (
    provider_id     TEXT     NOT NULL PRIMARY KEY,
    status          TEXT     NOT NULL,
    final           SMALLINT NOT NULL CHECK (final IN (0, 1)),
    received_at_ms  BIGINT   NOT NULL
);
