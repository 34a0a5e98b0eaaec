-- Maintenance windows (SLA.md section 3).
--
-- Times are Unix milliseconds, UTC (BIGINT, the same in SQLite and
-- PostgreSQL). start_ms and end_ms are whole minutes.

-- One row per window, holding its current schedule. announced_at_ms is the
-- announcement the current schedule counts from: set by vigil when the
-- window is scheduled and again when a reschedule starts it earlier or ends
-- it later, never from a caller.
CREATE TABLE maintenance_windows (
    id              TEXT   NOT NULL PRIMARY KEY,
    title           TEXT   NOT NULL,
    start_ms        BIGINT NOT NULL,
    end_ms          BIGINT NOT NULL,
    announced_at_ms BIGINT NOT NULL,
    actual_end_ms   BIGINT,
    cancelled_at_ms BIGINT,
    created_at_ms   BIGINT NOT NULL,
    CHECK (end_ms > start_ms),
    CHECK (start_ms % 60000 = 0 AND end_ms % 60000 = 0),
    CHECK (actual_end_ms IS NULL OR cancelled_at_ms IS NULL)
);

CREATE INDEX maintenance_windows_by_start ON maintenance_windows (start_ms);

-- The components a window covers.
CREATE TABLE maintenance_components (
    window_id TEXT NOT NULL REFERENCES maintenance_windows (id) ON DELETE CASCADE,
    component TEXT NOT NULL,
    PRIMARY KEY (window_id, component)
);

CREATE INDEX maintenance_components_by_component ON maintenance_components (component);

-- Every schedule a window has had, for audits: revision 1 is the first
-- announcement; later ones are reschedules, kind 'reannounced' (started
-- earlier or ended later: a new announcement) or 'shortened' (kept the
-- previous announced_at_ms). recorded_at_ms is when the change was made.
-- Rows are only ever inserted.
CREATE TABLE maintenance_revisions (
    window_id       TEXT    NOT NULL REFERENCES maintenance_windows (id),
    revision        INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('announced', 'reannounced', 'shortened')),
    start_ms        BIGINT  NOT NULL,
    end_ms          BIGINT  NOT NULL,
    announced_at_ms BIGINT  NOT NULL,
    recorded_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (window_id, revision)
);
