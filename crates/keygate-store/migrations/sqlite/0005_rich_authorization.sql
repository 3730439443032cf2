-- RFC 9396 Rich Authorization Requests: the types each API defines, and the authorization
-- details a user granted (a JSON array; NULL when the grant has none).
ALTER TABLE apis ADD COLUMN authorization_details_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE grants ADD COLUMN authorization_details TEXT;
