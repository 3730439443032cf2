-- DPoP (RFC 9449): the key thumbprint an authorization code (§10, `dpop_jkt`) or a public
-- client's refresh token (§5) is bound to; NULL when unbound.
ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT;
ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT;
