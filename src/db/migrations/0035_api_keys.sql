-- Open311 API keys (modules/open311): a client (a partner app, a citizen app, a regional 311)
-- needs one to POST service requests. Administrators create and revoke them; the key itself is
-- shown once and only its sha256 is kept. Reading (GET) needs no key.
create table api_keys (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 120),
  -- The first characters of the key (e.g. "g311_ab12cd"), shown in lists so people can tell keys apart.
  prefix text not null check (char_length(prefix) between 4 and 20),
  -- sha256 (hex) of the whole key.
  key_hash text not null check (key_hash ~ '^[0-9a-f]{64}$'),
  -- The administrator who created it (null: the command line).
  created_by uuid,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid,
  -- The creating form's random key: a double click creates one key.
  idempotency_key text check (length(idempotency_key) between 16 and 100),
  primary key (tenant_id, id),
  foreign key (tenant_id, created_by) references staff_users (tenant_id, id) on delete set null (created_by),
  foreign key (tenant_id, revoked_by) references staff_users (tenant_id, id) on delete set null (revoked_by)
);
create unique index api_keys_hash on api_keys (tenant_id, key_hash);
create unique index api_keys_idempotency on api_keys (tenant_id, idempotency_key) where idempotency_key is not null;
create index api_keys_created on api_keys (tenant_id, created_at desc);

-- The staff queue: open cases of a town ordered by their target (requested_at + type's target) is
-- computed per type; these help the queue's most common filters (assignee and status, area box).
create index requests_open_queue on requests (tenant_id, requested_at) where status <> 'closed';
create index requests_assignee_open on requests (tenant_id, assignee_id, requested_at) where status <> 'closed';

do $$
declare t text;
begin
  foreach t in array array['api_keys'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
