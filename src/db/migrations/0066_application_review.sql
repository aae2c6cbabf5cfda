-- The staff review of applications (modules/applications/review): an interview scheduled with
-- the applicant (the teleworker program's review), and issued documents tied to their application.
-- Everything else the review writes lives in the applications' own tables: the status and the
-- assignee on applications, each step on application_events (internal notes with public = false),
-- the thread on application_messages, new documents on application_files.

create table application_interviews (
  tenant_id uuid not null references tenants(id) on delete cascade,
  application_id uuid not null,
  at timestamptz not null,
  place text not null check (char_length(place) between 1 and 300),
  scheduled_by uuid,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, application_id),
  foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade
);

alter table issued_documents
  add foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade;

do $$
declare t text;
begin
  foreach t in array array['application_interviews'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
