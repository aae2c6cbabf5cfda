-- Platform: extensions, the application role, towns, and the helper every row-level policy uses.

create extension if not exists pg_trgm;
create extension if not exists unaccent;
create extension if not exists btree_gist;

-- The application runs every transaction as this role (set_config('role', ...)): not a superuser,
-- not the owner of the tables, so row-level security always applies to it.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'guichet_app') then
    begin
      create role guichet_app nologin noinherit;
    exception when duplicate_object then null; -- created meanwhile by another database's migration
    end;
  end if;
end
$$;
grant guichet_app to current_user;
grant usage on schema public to guichet_app;
alter default privileges in schema public grant select, insert, update, delete on tables to guichet_app;
alter default privileges in schema public grant usage, select on sequences to guichet_app;

-- The current town of the transaction, or null when none is set (then town-owned rows are invisible).
create or replace function app_tenant() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- An immutable unaccent for indexes and accent-insensitive search.
create or replace function f_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name jsonb not null check (jsonb_typeof(name->'fr') = 'string' and jsonb_typeof(name->'en') = 'string'),
  time_zone text not null default 'America/Toronto',
  default_locale text not null default 'fr' check (default_locale in ('fr', 'en')),
  branding jsonb not null default '{}'::jsonb,
  contact_email text,
  created_at timestamptz not null default now()
);
-- Towns are public facts (name, branding): the application may read them, never change them.
revoke insert, update, delete on tenants from guichet_app;

create table tenant_hosts (
  host text primary key check (host = lower(host) and length(host) between 1 and 253),
  tenant_id uuid not null references tenants(id) on delete cascade
);
create index tenant_hosts_tenant on tenant_hosts (tenant_id);
revoke insert, update, delete on tenant_hosts from guichet_app;
