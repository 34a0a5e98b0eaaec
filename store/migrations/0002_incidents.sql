-- Incidents (the alert package's state machine) and their timelines.
--
-- Times are Unix milliseconds, UTC (BIGINT). Flags are SMALLINT 0 or 1,
-- the same in SQLite and PostgreSQL.

-- One row per incident, holding its current state. version grows with
-- every change; a save with an older version is refused, so that a late
-- save never rolls an incident back.
CREATE TABLE incidents (
    id               TEXT     NOT NULL PRIMARY KEY,
    title            TEXT     NOT NULL,
    status           TEXT     NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    opened_at_ms     BIGINT   NOT NULL,
    resolved_at_ms   BIGINT,
    acked_at_ms      BIGINT,
    acked_by         TEXT     NOT NULL,
    in_maintenance   SMALLINT NOT NULL CHECK (in_maintenance IN (0, 1)),
    announced        SMALLINT NOT NULL CHECK (announced IN (0, 1)),
    reopens          INTEGER  NOT NULL CHECK (reopens >= 0),
    last_paged_at_ms BIGINT,
    version          INTEGER  NOT NULL CHECK (version >= 1),
    CHECK ((status = 'resolved' AND resolved_at_ms IS NOT NULL) OR (status <> 'resolved' AND resolved_at_ms IS NULL))
);

CREATE INDEX incidents_by_opened ON incidents (opened_at_ms);
CREATE INDEX incidents_by_resolved ON incidents (resolved_at_ms);

-- The components an incident covers.
CREATE TABLE incident_components (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component   TEXT NOT NULL,
    PRIMARY KEY (incident_id, component)
);

CREATE INDEX incident_components_by_component ON incident_components (component);

-- The timeline of an incident, numbered 1, 2, 3 …. Rows are only ever
-- inserted. notify marks the updates sent to customer subscribers.
CREATE TABLE incident_updates (
    incident_id TEXT     NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    seq         INTEGER  NOT NULL CHECK (seq >= 1),
    at_ms       BIGINT   NOT NULL,
    status      TEXT     NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    message     TEXT     NOT NULL,
    notify      SMALLINT NOT NULL CHECK (notify IN (0, 1)),
    PRIMARY KEY (incident_id, seq)
);
