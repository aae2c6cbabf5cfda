-- The people a resident acts for (modules/residents): their children, their spouse, another
-- dependant. Later capabilities register or apply for them.

create table household_members (
  tenant_id uuid not null references tenants(id) on delete cascade,
  resident_id uuid not null,
  id uuid not null default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  birth_date date not null check (birth_date >= date '1900-01-01'),
  relationship text not null check (relationship in ('child', 'spouse', 'other')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade
);
create index household_members_resident on household_members (tenant_id, resident_id, birth_date);

alter table household_members enable row level security;
alter table household_members force row level security;
create policy tenant_isolation on household_members using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
