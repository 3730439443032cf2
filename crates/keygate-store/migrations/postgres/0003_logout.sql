-- Logout looks up the grants of a session.
CREATE INDEX grants_sid ON grants (sid);
