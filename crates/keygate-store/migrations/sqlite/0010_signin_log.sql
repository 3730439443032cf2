-- The sign-in log: interactive sign-ins and refused token uses, kept for a configured number of
-- days (`[login] signin_log_days`).
CREATE TABLE signin_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    user_id TEXT,
    client_id TEXT,
    ip TEXT,
    user_agent TEXT,
    detail TEXT
);
CREATE INDEX signin_events_at ON signin_events (at);
CREATE INDEX signin_events_user ON signin_events (user_id, seq);
CREATE INDEX signin_events_client ON signin_events (client_id, seq);
