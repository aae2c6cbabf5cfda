-- Counters for the tight rate limits (sign-in, submissions), shared by every process of a
-- deployment. Keys are SHA-256 hashes: no IP address or email is stored.
create table rate_limit_counters (
  key text primary key check (length(key) = 64),
  count integer not null,
  reset_at timestamptz not null
);
create index rate_limit_counters_reset on rate_limit_counters (reset_at);
-- Only the platform (owner connection) touches this table.
revoke all on rate_limit_counters from guichet_app;
