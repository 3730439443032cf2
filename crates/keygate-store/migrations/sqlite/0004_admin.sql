-- Administration: client metadata and registration tokens, user roles and claims, APIs with
-- their scopes and client grants, the audit log, RFC 7591 initial access tokens.
ALTER TABLE clients ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN registration_token_hash BLOB;
ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN claims TEXT NOT NULL DEFAULT '{}';

CREATE TABLE apis (
    id TEXT PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    access_token_ttl BIGINT,
    signing_alg TEXT,
    client_grants TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    ip TEXT,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target);

CREATE TABLE initial_access_tokens (
    token_hash BLOB PRIMARY KEY,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);

CREATE INDEX consents_user ON consents (user_id);
