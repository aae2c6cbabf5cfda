-- Contactless passes, door check-ins and personal calendar feeds (modules/bookings/passes,
-- scanner, calendar).
--
-- Each town signs its passes with an Ed25519 key of its own. The private key is kept sealed
-- (AES-256-GCM under a key derived from SESSION_SECRET, bound to the town and key id); the public
-- key is published so a door scanner can check a pass without the server. One key signs at a
-- time; a replaced key still verifies the passes it signed until it is revoked.
create table pass_signing_keys (
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- The key id carried in every pass it signs: 4 random bytes in hex.
  kid text not null check (kid ~ '^[0-9a-f]{8}$'),
  -- The raw 32-byte Ed25519 public key, base64url.
  public_key text not null check (public_key ~ '^[A-Za-z0-9_-]{43}$'),
  -- The PKCS#8 private key, sealed (secret-box v1, context "pass-key:<town>:<kid>").
  private_key_sealed text not null,
  created_at timestamptz not null default now(),
  -- Set when a newer key takes over the signing: passes signed before still verify.
  replaced_at timestamptz,
  -- Set when the key must no longer be trusted at all (its passes stop verifying).
  revoked_at timestamptz,
  primary key (tenant_id, kid)
);
-- One signing key per town at a time: two first requests at the same moment keep the same key.
create unique index pass_signing_keys_signer on pass_signing_keys (tenant_id) where replaced_at is null and revoked_at is null;

-- A pass scanned (or typed) at the door. At most one arrival per booking, session and day, and
-- one per scanner-made id: a scan recorded offline and sent twice is entered once.
create table booking_checkins (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  booking_id uuid not null,
  session_id uuid not null,
  -- The day of the arrival in the town's time zone (a session may run over several days).
  day date not null,
  -- The id the scanner gave the check-in when it recorded it (online or offline).
  client_id text not null check (client_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  -- When the pass was scanned (the scanner's clock, kept within the pass's validity), and when the
  -- server received it.
  checked_in_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  -- camera: scanned; typed: the code typed or pasted.
  method text not null check (method in ('camera', 'typed')),
  -- True when the scanner had no network at the time and sent it later.
  offline boolean not null default false,
  staff_id uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, booking_id) references bookings (tenant_id, id) on delete cascade,
  foreign key (tenant_id, session_id) references activity_sessions (tenant_id, id) on delete cascade
);
create unique index booking_checkins_once on booking_checkins (tenant_id, booking_id, session_id, day);
create unique index booking_checkins_client on booking_checkins (tenant_id, client_id);
create index booking_checkins_session on booking_checkins (tenant_id, session_id, day);

-- A resident's personal calendar feed: a secret address that lists their confirmed bookings. The
-- token is looked up by its SHA-256; it is also kept sealed so that the resident's page can show
-- the address again. Resetting it makes the former address answer "not found".
create table calendar_feeds (
  tenant_id uuid not null references tenants(id) on delete cascade,
  resident_id uuid not null,
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  token_sealed text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, resident_id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade
);
create unique index calendar_feeds_token on calendar_feeds (tenant_id, token_hash);

do $$
declare t text;
begin
  foreach t in array array['pass_signing_keys', 'booking_checkins', 'calendar_feeds'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
-- A check-in is a record: the application writes it once and never changes it.
revoke update on booking_checkins from guichet_app;
