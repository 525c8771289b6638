-- The CA certificate (PEM) a connection trusts, for a database behind a private CA: sealed like
-- the URL and with the same key (key_id), so a key rotation re-seals both at once.
ALTER TABLE connections ADD COLUMN ca_certificate_ciphertext bytea;
