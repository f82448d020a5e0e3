-- API tokens expire; tokens issued before expiry existed end now.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- Failed sign-ins, shared by every instance. `key` is a hash of what is
-- counted (an account, a source address, or both), so rows are small
-- whatever was typed; `failed_at` is Unix seconds (compared as numbers);
-- rows older than the window are deleted.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);

-- A school is a current member of a network once (checked in the store too;
-- this makes it hold under concurrent requests on PostgreSQL).
CREATE UNIQUE INDEX network_schools_current ON network_schools (network_id, school_id) WHERE left_on IS NULL;
