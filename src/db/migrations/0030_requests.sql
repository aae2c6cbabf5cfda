-- Service requests (311) (modules/requests): the town's catalogue of request types and their
-- questions, the requests residents (or staff on their behalf, or Open311 clients) file, who
-- follows them, their timeline, their photos, and the town's area (where a request may be placed).
--
-- Geography without PostGIS: points are latitude/longitude in degrees (WGS 84) as two double
-- precision columns; "nearby" and "inside an area" are a bounding-box prefilter on a btree index
-- led by (tenant_id, type_id, lat), refined in the application. Works the same on PGlite and
-- PostgreSQL.

create table request_types (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- Open311 service_code: stable, used in URLs and by API clients.
  service_code text not null check (service_code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name jsonb not null check (
    jsonb_typeof(name->'fr') = 'string' and jsonb_typeof(name->'en') = 'string'
    and char_length(name->>'fr') between 1 and 120 and char_length(name->>'en') between 1 and 120
  ),
  description jsonb not null default '{"fr": "", "en": ""}'::jsonb
    check (jsonb_typeof(description->'fr') = 'string' and jsonb_typeof(description->'en') = 'string'),
  -- Open311 "group": the heading the type is listed under (e.g. Roads, Waste).
  group_name jsonb not null default '{"fr": "", "en": ""}'::jsonb
    check (jsonb_typeof(group_name->'fr') = 'string' and jsonb_typeof(group_name->'en') = 'string'),
  -- Words residents may search for, in either language (e.g. "nid-de-poule", "pothole", "trou").
  keywords text[] not null default '{}',
  department_id uuid,
  -- The town's target time to resolve, in hours (the expected date falls back to it).
  target_hours integer not null default 120 check (target_hours between 1 and 8760),
  -- Whether a report may be filed without an account (an email to follow it is then required).
  allow_anonymous boolean not null default true,
  active boolean not null default true,
  -- Order in the catalogue, within its group.
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, department_id) references departments (tenant_id, id)
);
create unique index request_types_code on request_types (tenant_id, service_code);
create index request_types_department on request_types (tenant_id, department_id);

create table request_type_questions (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  type_id uuid not null,
  -- Open311 attribute code: the key of the answer in requests.answers.
  code text not null check (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  datatype text not null check (datatype in ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
  required boolean not null default false,
  position integer not null default 0,
  label jsonb not null check (
    jsonb_typeof(label->'fr') = 'string' and jsonb_typeof(label->'en') = 'string'
    and char_length(label->>'fr') between 1 and 300 and char_length(label->>'en') between 1 and 300
  ),
  help jsonb not null default '{"fr": "", "en": ""}'::jsonb
    check (jsonb_typeof(help->'fr') = 'string' and jsonb_typeof(help->'en') = 'string'),
  -- For the list datatypes: [{"key": "...", "name": {"fr": "...", "en": "..."}}, ...] in order.
  "values" jsonb not null default '[]'::jsonb check (jsonb_typeof("values") = 'array'),
  active boolean not null default true,
  primary key (tenant_id, id),
  foreign key (tenant_id, type_id) references request_types (tenant_id, id) on delete cascade,
  check (datatype not in ('singlevaluelist', 'multivaluelist') or jsonb_array_length("values") > 0)
);
create unique index request_type_questions_code on request_type_questions (tenant_id, type_id, code);

create table requests (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- A code people can read aloud (no 0/O/1/I); also the Open311 service_request_id (shown XXXX-XXXX).
  reference text not null check (reference ~ '^[2-9A-HJ-NP-Z]{8}$'),
  type_id uuid not null,
  department_id uuid,
  -- new, acknowledged, in_progress: Open311 "open"; closed: Open311 "closed".
  status text not null default 'new' check (status in ('new', 'acknowledged', 'in_progress', 'closed')),
  -- Where: a point, an address typed in, or both (at least one).
  lat double precision check (lat between -90 and 90),
  lng double precision check (lng between -180 and 180),
  address text check (char_length(address) between 1 and 300),
  description text not null default '' check (char_length(description) <= 4000),
  -- The answers to the type's questions, by question code: string, number, or array of keys.
  answers jsonb not null default '{}'::jsonb check (jsonb_typeof(answers) = 'object'),
  channel text not null default 'web' check (channel in ('web', 'phone', 'counter', 'email', 'api')),
  -- Who asked: a resident's account, or an email address (anonymous report, phone call, API).
  resident_id uuid,
  contact_email text check (length(contact_email) between 3 and 254),
  contact_name text check (char_length(contact_name) between 1 and 200),
  contact_phone text check (char_length(contact_phone) between 1 and 40),
  -- The requester's language: every message to them goes out in it.
  locale text not null check (locale in ('fr', 'en')),
  -- sha256 of the private tracking token (the link works without signing in); the token is never stored.
  tracking_token_hash text not null check (tracking_token_hash ~ '^[0-9a-f]{64}$'),
  assignee_id uuid,
  requested_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  -- Set when the requester answered "not fixed" after a closure: the case stands out in the queue.
  reopened boolean not null default false,
  reopened_at timestamptz,
  -- A duplicate merged into another request: it is closed and points to the kept one.
  merged_into uuid,
  -- The form's random key (or the API client's): one request per key and town.
  idempotency_key text not null check (length(idempotency_key) between 16 and 100),
  -- A staff member who entered it on the requester's behalf (phone, counter, email).
  created_by uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, type_id) references request_types (tenant_id, id),
  foreign key (tenant_id, department_id) references departments (tenant_id, id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete set null (resident_id),
  foreign key (tenant_id, assignee_id) references staff_users (tenant_id, id) on delete set null (assignee_id),
  foreign key (tenant_id, created_by) references staff_users (tenant_id, id) on delete set null (created_by),
  foreign key (tenant_id, merged_into) references requests (tenant_id, id),
  check ((lat is null) = (lng is null)),
  check (lat is not null or address is not null),
  check ((status = 'closed') = (closed_at is not null)),
  check (merged_into is null or status = 'closed')
);
create unique index requests_reference on requests (tenant_id, reference);
create unique index requests_idempotency on requests (tenant_id, idempotency_key);
-- The queue: by status and age; by department; by assignee; the resident's own.
create index requests_status on requests (tenant_id, status, requested_at);
create index requests_department on requests (tenant_id, department_id, status, requested_at);
create index requests_assignee on requests (tenant_id, assignee_id, status);
create index requests_type on requests (tenant_id, type_id, status, requested_at);
create index requests_resident on requests (tenant_id, resident_id, requested_at desc);
create index requests_updated on requests (tenant_id, updated_at desc);
-- Duplicates nearby: open requests of one type in a latitude band (the longitude is refined on the rows).
create index requests_open_geo on requests (tenant_id, type_id, lat, lng) where status <> 'closed';
-- Any request in an area (the staff queue's area filter, Open311 lists).
create index requests_geo on requests (tenant_id, lat, lng);
-- How long this type actually took recently (the expected date).
create index requests_closed on requests (tenant_id, type_id, closed_at desc) where closed_at is not null and merged_into is null;
create index requests_merged on requests (tenant_id, merged_into) where merged_into is not null;

-- "Me too": people who follow a request and get its public updates. The requester is not listed here.
create table request_followers (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  request_id uuid not null,
  resident_id uuid,
  email text check (length(email) between 3 and 254),
  locale text not null check (locale in ('fr', 'en')),
  -- An email follower's own private tracking link (sha256 of the token); null for a resident.
  tracking_token_hash text check (tracking_token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, request_id) references requests (tenant_id, id) on delete cascade,
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  check ((resident_id is null) <> (email is null))
);
create unique index request_followers_resident on request_followers (tenant_id, request_id, resident_id) where resident_id is not null;
create unique index request_followers_email on request_followers (tenant_id, request_id, lower(email)) where email is not null;
create index request_followers_of_resident on request_followers (tenant_id, resident_id) where resident_id is not null;

-- The timeline of a request. Public events are shown to the requester and followers (and in
-- Open311 status_notes); internal notes never leave the staff pages.
create table request_events (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  request_id uuid not null,
  kind text not null check (kind in (
    'created', 'status_changed', 'public_reply', 'internal_note', 'type_changed', 'department_changed',
    'assigned', 'merged', 'closed', 'reopened', 'followed'
  )),
  public boolean not null default false,
  author_kind text not null check (author_kind in ('staff', 'resident', 'anonymous', 'system', 'api')),
  author_id uuid,
  -- What a person wrote, in the language they wrote it in (text_locale); not translated.
  body text check (char_length(body) between 1 and 4000),
  body_locale text check (body_locale in ('fr', 'en')),
  from_status text check (from_status in ('new', 'acknowledged', 'in_progress', 'closed')),
  to_status text check (to_status in ('new', 'acknowledged', 'in_progress', 'closed')),
  -- Kind-specific facts: old and new type or department ids, assignee, merged request, etc.
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, request_id) references requests (tenant_id, id) on delete cascade,
  check (kind <> 'internal_note' or not public),
  check (kind not in ('public_reply', 'closed', 'internal_note') or body is not null),
  check ((body is null) = (body_locale is null))
);
create index request_events_request on request_events (tenant_id, request_id, created_at);

-- Photos, re-encoded and stripped of metadata before they are stored (platform/uploads.ts). A
-- photo belongs to a request (the report) or to one of its events (e.g. the closure).
create table request_photos (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  request_id uuid not null,
  event_id uuid,
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  bytes bytea not null,
  size integer not null check (size between 1 and 10485760),
  width integer not null check (width between 1 and 10000),
  height integer not null check (height between 1 and 10000),
  -- Shown on the public tracking page and as the Open311 media_url; staff may hide one.
  public boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, request_id) references requests (tenant_id, id) on delete cascade,
  foreign key (tenant_id, event_id) references request_events (tenant_id, id) on delete cascade,
  check (octet_length(bytes) = size)
);
create index request_photos_request on request_photos (tenant_id, request_id, created_at);
create index request_photos_event on request_photos (tenant_id, event_id) where event_id is not null;

-- Where the town is: a bounding box (always) and optionally a polygon inside it
-- ([[lat, lng], ...], not closed). A request's point must fall inside; the map starts at the centre.
create table town_areas (
  tenant_id uuid not null references tenants(id) on delete cascade,
  min_lat double precision not null check (min_lat between -90 and 90),
  min_lng double precision not null check (min_lng between -180 and 180),
  max_lat double precision not null check (max_lat between -90 and 90),
  max_lng double precision not null check (max_lng between -180 and 180),
  polygon jsonb check (polygon is null or (jsonb_typeof(polygon) = 'array' and jsonb_array_length(polygon) >= 3)),
  center_lat double precision not null,
  center_lng double precision not null,
  zoom integer not null default 14 check (zoom between 1 and 19),
  updated_at timestamptz not null default now(),
  primary key (tenant_id),
  check (min_lat < max_lat and min_lng < max_lng),
  check (center_lat between min_lat and max_lat and center_lng between min_lng and max_lng)
);

do $$
declare t text;
begin
  foreach t in array array['request_types', 'request_type_questions', 'requests', 'request_followers', 'request_events', 'request_photos', 'town_areas'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
