-- Clients that describe themselves with a Client ID Metadata Document and that users signed
-- in to (noted when a grant is made): what the console, the admin API and the CLI list. Kept
-- while a grant of theirs remains (revoked ones too, until they are purged), else 30 days
-- after the last grant.
CREATE TABLE document_clients (
    client_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    name TEXT,
    first_grant_at BIGINT NOT NULL,
    last_grant_at BIGINT NOT NULL
);

-- An operator's blocks: one document URL, every document on a host, or (`*.domain`) on a
-- domain and its subdomains.
CREATE TABLE document_blocks (
    target TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

-- Grants by client: revoking a client's grants (deleting or blocking it) and counting them.
CREATE INDEX grants_client ON grants (client_id);
