-- Departments of a town (modules/departments) and which agents work in them. An agent sees only
-- the records of their departments; managers and administrators see every department of their town.

create table departments (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name jsonb not null check (
    jsonb_typeof(name->'fr') = 'string' and jsonb_typeof(name->'en') = 'string'
    and char_length(name->>'fr') between 1 and 120 and char_length(name->>'en') between 1 and 120
  ),
  -- A deactivated department keeps its history and members but takes no new ones.
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
-- One name per town in each language, whatever the case.
create unique index departments_name_fr on departments (tenant_id, lower(name->>'fr'));
create unique index departments_name_en on departments (tenant_id, lower(name->>'en'));

create table staff_departments (
  tenant_id uuid not null references tenants(id) on delete cascade,
  staff_id uuid not null,
  department_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, staff_id, department_id),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, department_id) references departments (tenant_id, id) on delete cascade
);
create index staff_departments_department on staff_departments (tenant_id, department_id);

do $$
declare t text;
begin
  foreach t in array array['departments', 'staff_departments'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
