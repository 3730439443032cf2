-- Every node keeps a view of revocations (keygate_core::revocation_watch). SQLite has one writer
-- at a time, so a log's sequence follows commit order and the server polls it for what other
-- processes (the CLI) revoked. Kept an hour (cleanup), far longer than a poll interval.
CREATE TABLE revocation_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    logged_at INTEGER NOT NULL
);

-- Client assertion replay keys share the table but are not tokens.
CREATE TRIGGER revoked_tokens_log AFTER INSERT ON revoked_tokens
    WHEN NEW.jti NOT LIKE 'assertion:%'
BEGIN
    INSERT INTO revocation_log (kind, id, logged_at)
    VALUES ('t', NEW.jti, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER grants_revoked_log AFTER UPDATE OF revoked_at ON grants
    WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
BEGIN
    INSERT INTO revocation_log (kind, id, logged_at)
    VALUES ('g', NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- A revoked grant was logged when it was revoked; deleting one that was not is logged now.
CREATE TRIGGER grants_deleted_log AFTER DELETE ON grants
    WHEN OLD.revoked_at IS NULL
BEGIN
    INSERT INTO revocation_log (kind, id, logged_at)
    VALUES ('g', OLD.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
