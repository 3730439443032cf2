-- Second factors: a user's authenticator app (its key sealed under the master key, and the
-- last accepted time step against replay), and single-use recovery codes stored hashed.
CREATE TABLE mfa_totp (
    user_id TEXT PRIMARY KEY,
    sealed_key BLOB NOT NULL,
    last_step BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE mfa_recovery_codes (
    user_id TEXT NOT NULL,
    code_hash BLOB NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
