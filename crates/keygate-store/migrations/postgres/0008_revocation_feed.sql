-- Every node keeps a view of revocations (keygate_core::revocation_watch); these triggers tell
-- them, whoever the writer is, by NOTIFY on commit. Payload: 't:<jti>' or 'g:<grant id>'.
CREATE FUNCTION kg_notify_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'revoked_tokens' THEN
        PERFORM pg_notify('keygate_revocations', 't:' || NEW.jti);
    ELSE
        PERFORM pg_notify('keygate_revocations', 'g:' || OLD.id);
    END IF;
    RETURN NULL;
END
$$;

-- Client assertion replay keys share the table but are not tokens.
CREATE TRIGGER revoked_tokens_notify AFTER INSERT ON revoked_tokens
    FOR EACH ROW WHEN (NEW.jti NOT LIKE 'assertion:%')
    EXECUTE FUNCTION kg_notify_revoked();

CREATE TRIGGER grants_revoked_notify AFTER UPDATE OF revoked_at ON grants
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION kg_notify_revoked();

-- A revoked grant was announced when it was revoked; deleting one that was not is announced now.
CREATE TRIGGER grants_deleted_notify AFTER DELETE ON grants
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL)
    EXECUTE FUNCTION kg_notify_revoked();
