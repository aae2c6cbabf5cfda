-- "Do I need a permit?" (modules/applications): a few questions, each answer leading to another
-- question or to an outcome that says what to do and links to the right service's form.
-- The tree is a JSON definition checked by the application (precheck.ts).

create table application_prechecks (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  title jsonb not null check (
    jsonb_typeof(title->'fr') = 'string' and jsonb_typeof(title->'en') = 'string'
    and char_length(title->>'fr') between 1 and 200 and char_length(title->>'en') between 1 and 200
  ),
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index application_prechecks_slug on application_prechecks (tenant_id, slug);

do $$
declare t text;
begin
  foreach t in array array['application_prechecks'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;

-- The builder's "create a service" form key: a retried or double-clicked create finds the service it made.
alter table application_services add column create_key text check (length(create_key) between 16 and 100);
create unique index application_services_create_key on application_services (tenant_id, create_key) where create_key is not null;
