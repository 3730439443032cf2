-- Upstream identity providers (those of the configuration file are not stored), identities
-- linked to users, and short-lived federation states (sign-ins at an upstream, link tickets,
-- upstream logouts) keyed by the hash of their token.
CREATE TABLE upstream_providers (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    sealed_secret BYTEA,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE linked_identities (
    provider_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL,
    email TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (provider_id, subject)
);
CREATE INDEX linked_identities_user ON linked_identities (user_id);

CREATE TABLE federation_states (
    state_hash BYTEA PRIMARY KEY,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

ALTER TABLE sessions ADD COLUMN idp TEXT;
ALTER TABLE grants ADD COLUMN idp TEXT;
