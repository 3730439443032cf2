-- Pushed authorization requests (RFC 9126): the validated request behind a request_uri, keyed
-- by the hash of that URI, for the client that pushed it; taken once by /authorize.
CREATE TABLE pushed_requests (
    uri_hash BYTEA PRIMARY KEY,
    client_id TEXT NOT NULL,
    request TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
