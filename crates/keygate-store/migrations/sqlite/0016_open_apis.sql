-- An open API: any application, including those that registered themselves (dynamic
-- registration, Client ID Metadata Documents), may ask users for tokens to it; the user's
-- consent is the only grant. 0: only the applications an operator gave it to.
ALTER TABLE apis ADD COLUMN open_to_all BIGINT NOT NULL DEFAULT 0;
