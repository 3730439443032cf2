-- Refresh tokens form one chain per grant (RFC 9700 §4.14.2): a rotated token names its
-- successor, and a token retired by a reuse inside the grace window is marked superseded.
ALTER TABLE refresh_tokens ADD COLUMN successor_hash BYTEA;
ALTER TABLE refresh_tokens ADD COLUMN superseded_at BIGINT;

-- The clients an API (resource server) authenticates as at the introspection endpoint
-- (RFC 7662 §4): a JSON list of client ids.
ALTER TABLE apis ADD COLUMN introspection_clients TEXT NOT NULL DEFAULT '[]';
