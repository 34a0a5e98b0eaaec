-- Self-service SMS subscription on the status page (issue 6): the pending
-- verification of a number, and the rate limiters that protect the
-- verification SMS against pumping, kept here so that a restart does not
-- hand an abuser fresh limits.
--
-- Times are Unix milliseconds, UTC (BIGINT).

-- At most one pending verification per number: a new request replaces the
-- earlier one (new id, new code, attempts back to 0). Nothing else about a
-- subscriber is stored before the code is confirmed; confirming deletes
-- the row and writes the subscriptions. code_hash is an HMAC of the code
-- under a key derived from the server secret (hex), never the code.
-- components is the comma-separated list of component ids asked for.
CREATE TABLE subscribe_verifications (
    id            TEXT    NOT NULL PRIMARY KEY,
    phone         TEXT    NOT NULL UNIQUE,
    components    TEXT    NOT NULL,
    code_hash     TEXT    NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    expires_at_ms BIGINT  NOT NULL,
    attempts      INTEGER NOT NULL CHECK (attempts >= 0)
);

-- Expired verifications are swept by expiry.
CREATE INDEX subscribe_verifications_by_expiry ON subscribe_verifications (expires_at_ms);

-- One token bucket per scope (address, number, prefix, global) and
-- subject (the caller's choice; the subscription form stores a keyed hash
-- of the address, number or prefix, never the value): tokens left at
-- updated_at_ms. full_at_ms is when the bucket is full again; from then on
-- the row says nothing a fresh bucket would not, so it is swept.
CREATE TABLE rate_limits (
    scope         TEXT             NOT NULL,
    subject       TEXT             NOT NULL,
    tokens        DOUBLE PRECISION NOT NULL,
    updated_at_ms BIGINT           NOT NULL,
    full_at_ms    BIGINT           NOT NULL,
    PRIMARY KEY (scope, subject)
);

CREATE INDEX rate_limits_by_full_at ON rate_limits (full_at_ms);
