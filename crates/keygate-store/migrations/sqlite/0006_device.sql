-- RFC 8628 device authorizations, keyed by the hash of the device code; the user code is
-- unique while it lives.
CREATE TABLE device_codes (
    device_code_hash BLOB PRIMARY KEY,
    user_code TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    resources TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    poll_interval BIGINT NOT NULL,
    last_polled_at BIGINT,
    status TEXT NOT NULL,
    grant_id TEXT
);
