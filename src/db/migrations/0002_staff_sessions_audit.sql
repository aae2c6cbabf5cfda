-- Staff accounts, server-side sessions and the append-only audit trail.

create table staff_users (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null check (length(email) between 3 and 254),
  name text not null check (length(name) between 1 and 200),
  role text not null check (role in ('agent', 'manager', 'admin')),
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  password_hash text,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index staff_users_email on staff_users (tenant_id, lower(email));

create table sessions (
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- SHA-256 of the cookie's random token: a database leak does not hand out live sessions.
  token_hash text not null,
  staff_id uuid,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (tenant_id, token_hash),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade
);
create index sessions_staff on sessions (tenant_id, staff_id);

create table audit_events (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('staff', 'resident', 'system', 'anonymous')),
  actor_id uuid,
  action text not null check (length(action) <= 100),
  subject_kind text,
  subject_id text,
  ip text,
  details jsonb not null default '{}'::jsonb,
  primary key (tenant_id, id)
);
create index audit_events_at on audit_events (tenant_id, at desc);
-- Append-only: the application may write and read the trail, never change or remove it.
revoke update, delete, truncate on audit_events from guichet_app;

do $$
declare t text;
begin
  foreach t in array array['staff_users', 'sessions', 'audit_events'] loop
    execute format('alter table %I enable row level security', t);
    -- Forced: even the owner role (when it is not a superuser) only sees the current town.
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
