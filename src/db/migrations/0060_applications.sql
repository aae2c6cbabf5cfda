-- Online applications (modules/applications): permits, licences and programs. A town defines
-- services; each service has form versions (a JSON definition checked by the form engine in
-- TypeScript, immutable once published); residents fill applications against one version, with
-- their files, a timeline of events and a message thread with staff.
--
-- An application keeps the form version it was started with: publishing a new version never
-- changes an application already sent (published versions cannot be updated: see the trigger).

create table application_services (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  -- permit, licence or program: how the issued document and the pages name it.
  kind text not null default 'permit' check (kind in ('permit', 'licence', 'program')),
  name jsonb not null check (
    jsonb_typeof(name->'fr') = 'string' and jsonb_typeof(name->'en') = 'string'
    and char_length(name->>'fr') between 1 and 120 and char_length(name->>'en') between 1 and 120
  ),
  summary jsonb not null default '{"fr": "", "en": ""}'::jsonb check (
    jsonb_typeof(summary->'fr') = 'string' and jsonb_typeof(summary->'en') = 'string'
    and char_length(summary->>'fr') <= 1000 and char_length(summary->>'en') <= 1000
  ),
  department_id uuid,
  -- The town's target time to decide, in calendar days from submission.
  target_days integer not null default 30 check (target_days between 1 and 365),
  -- Residents see and start only active services with a published version.
  active boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, department_id) references departments (tenant_id, id)
);
create unique index application_services_slug on application_services (tenant_id, slug);
create index application_services_department on application_services (tenant_id, department_id);

create table application_form_versions (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  service_id uuid not null,
  -- 1, 2, 3...: the draft being edited has the next number; published ones never change.
  version integer not null check (version between 1 and 100000),
  -- The form: pages of questions, documents, fee rule, review steps, target time (engine/definition.ts).
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  published_at timestamptz,
  published_by uuid,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, service_id) references application_services (tenant_id, id) on delete cascade,
  foreign key (tenant_id, published_by) references staff_users (tenant_id, id) on delete set null (published_by),
  foreign key (tenant_id, created_by) references staff_users (tenant_id, id) on delete set null (created_by)
);
create unique index application_form_versions_number on application_form_versions (tenant_id, service_id, version);
-- At most one draft per service.
create unique index application_form_versions_draft on application_form_versions (tenant_id, service_id) where published_at is null;
create index application_form_versions_published on application_form_versions (tenant_id, service_id, published_at desc) where published_at is not null;

-- Second wall behind the application: a published version is never changed (only its
-- published_by may be cleared when the staff account goes) and never un-published.
create function application_form_versions_frozen() returns trigger language plpgsql as $$
begin
  if old.published_at is not null and (
    new.definition is distinct from old.definition or new.published_at is distinct from old.published_at
    or new.version <> old.version or new.service_id <> old.service_id
  ) then
    raise exception 'a published form version cannot change' using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger application_form_versions_frozen before update on application_form_versions
  for each row execute function application_form_versions_frozen();

create table applications (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- A code people can read aloud (no 0/O/1/I), shown XXXX-XXXX.
  reference text not null check (reference ~ '^[2-9A-HJ-NP-Z]{8}$'),
  service_id uuid not null,
  form_version_id uuid not null,
  resident_id uuid not null,
  -- Copied from the service when the application starts (staff of that department review it).
  department_id uuid,
  status text not null default 'draft' check (status in
    ('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'refused', 'issued', 'withdrawn')),
  -- By question code. Drafts hold what was typed (strings, lists of strings, {address, lot});
  -- from submission on, only the visible questions' answers, as the engine cleaned them.
  answers jsonb not null default '{}'::jsonb check (jsonb_typeof(answers) = 'object'),
  -- The page the resident was last on (resume there).
  current_page integer not null default 0 check (current_page between 0 and 200),
  -- Computed by the server from the form's fee rule and the answers, at submission.
  fee_cents integer not null default 0 check (fee_cents between 0 and 100000000),
  payment_status text not null default 'none' check (payment_status in ('none', 'due', 'paid', 'refunded')),
  payment_method text check (payment_method in ('counter')),
  -- The applicant's language: every message to them goes out in it.
  locale text not null check (locale in ('fr', 'en')),
  assignee_id uuid,
  submitted_at timestamptz,
  -- The target date to decide (submission + the service's target days; the review may move it).
  due_at timestamptz,
  decided_at timestamptz,
  -- The form's random key: one application per key and town (a double click starts one).
  idempotency_key text not null check (length(idempotency_key) between 16 and 100),
  -- The submit form's key: the same key submits once.
  submit_key text check (length(submit_key) between 16 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, service_id) references application_services (tenant_id, id),
  foreign key (tenant_id, form_version_id) references application_form_versions (tenant_id, id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  foreign key (tenant_id, department_id) references departments (tenant_id, id),
  foreign key (tenant_id, assignee_id) references staff_users (tenant_id, id) on delete set null (assignee_id),
  check ((status = 'draft') = (submitted_at is null) or status = 'withdrawn')
);
create unique index applications_reference on applications (tenant_id, reference);
create unique index applications_idempotency on applications (tenant_id, idempotency_key);
create index applications_resident on applications (tenant_id, resident_id, created_at desc);
-- The staff queue: by service and status, by department, by assignee, by time left.
create index applications_queue on applications (tenant_id, service_id, status, submitted_at);
create index applications_department on applications (tenant_id, department_id, status, due_at);
create index applications_assignee on applications (tenant_id, assignee_id, status);
create index applications_due on applications (tenant_id, status, due_at);
create index applications_version on applications (tenant_id, form_version_id);

create table application_files (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  application_id uuid not null,
  -- The file question it answers; null for a file sent with a message (e.g. more information).
  question_code text check (question_code ~ '^[a-z][a-z0-9_]{0,62}$'),
  message_id uuid,
  filename text not null check (char_length(filename) between 1 and 200),
  content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
  bytes bytea not null,
  size integer not null check (size between 1 and 26214400),
  uploaded_by_kind text not null check (uploaded_by_kind in ('resident', 'staff')),
  uploaded_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade,
  check (octet_length(bytes) = size)
);
create index application_files_application on application_files (tenant_id, application_id, question_code, created_at);
create index application_files_message on application_files (tenant_id, message_id) where message_id is not null;

-- The timeline: what happened, shown to the resident when public, to staff always.
create table application_events (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  application_id uuid not null,
  kind text not null check (kind ~ '^[a-z][a-z_]{1,40}$'),
  public boolean not null default true,
  author_kind text not null check (author_kind in ('resident', 'staff', 'system')),
  author_id uuid,
  from_status text,
  to_status text,
  -- Free text written by its author (reasons, conditions, internal note), in body_locale.
  body text check (char_length(body) <= 8000),
  body_locale text check (body_locale in ('fr', 'en')),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade
);
create index application_events_application on application_events (tenant_id, application_id, created_at);

-- The message thread between the applicant and staff.
create table application_messages (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  application_id uuid not null,
  author_kind text not null check (author_kind in ('resident', 'staff')),
  author_id uuid,
  body text not null check (char_length(body) between 1 and 8000),
  locale text not null check (locale in ('fr', 'en')),
  -- The form's random key: a retried post adds one message.
  idempotency_key text check (length(idempotency_key) between 16 and 100),
  read_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, application_id) references applications (tenant_id, id) on delete cascade
);
create index application_messages_application on application_messages (tenant_id, application_id, created_at);
create unique index application_messages_idempotency on application_messages (tenant_id, idempotency_key) where idempotency_key is not null;
alter table application_files add foreign key (tenant_id, message_id) references application_messages (tenant_id, id) on delete cascade;

do $$
declare t text;
begin
  foreach t in array array['application_services', 'application_form_versions', 'applications', 'application_files', 'application_events', 'application_messages'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
