-- Passkeys: WebAuthn credential records (WebAuthn L3 §4 "credential record"). The id is the
-- credential id; the public key is its COSE_Key. The counter and the backup flags are kept as
-- §7.2 checks them; uv_initialized says user verification was done with it.
CREATE TABLE passkeys (
    id BYTEA PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    public_key BYTEA NOT NULL,
    sign_count BIGINT NOT NULL,
    uv_initialized BIGINT NOT NULL,
    backup_eligible BIGINT NOT NULL,
    backup_state BIGINT NOT NULL,
    transports TEXT NOT NULL,
    aaguid BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE INDEX passkeys_user ON passkeys (user_id);

-- An administrator can require a second factor of one user (they add one at their next
-- sign-in, like `[mfa] policy = "required"` for everyone).
ALTER TABLE users ADD COLUMN require_mfa BIGINT NOT NULL DEFAULT 0;
