-- Refresh tokens form one chain per grant (RFC 9700 §4.14.2): a rotated token names its
-- successor, and a token retired by a reuse inside the grace window is marked superseded.
ALTER TABLE refresh_tokens ADD COLUMN successor_hash BYTEA;
ALTER TABLE refresh_tokens ADD COLUMN superseded_at BIGINT;

-- The clients an API (resource server) authenticates as at the introspection endpoint
-- (RFC 7662 §4): a JSON list of client ids.
ALTER TABLE apis ADD COLUMN introspection_clients TEXT NOT NULL DEFAULT '[]';

-- An openly registered client (RFC 7591 without an initial access token) that gets no token by
-- this time is deleted (RFC 9700 §4.11.2); NULL once it has been used, and for other clients.
ALTER TABLE clients ADD COLUMN unused_until BIGINT;
CREATE INDEX clients_unused_until ON clients (unused_until) WHERE unused_until IS NOT NULL;
