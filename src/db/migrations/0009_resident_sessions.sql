-- Sessions (platform/auth) for residents as well as staff, and what the "your sessions" pages show.

-- A handle to name one session on the sessions pages (the token hash never leaves the server).
alter table sessions add column id uuid not null default gen_random_uuid();
alter table sessions add column resident_id uuid;
-- The browser's User-Agent at sign-in, trimmed: shown as "Firefox on Windows" on the sessions pages.
alter table sessions add column user_agent text check (char_length(user_agent) <= 300);
alter table sessions add constraint sessions_one_person check ((staff_id is null) <> (resident_id is null));
alter table sessions add constraint sessions_resident foreign key (tenant_id, resident_id)
  references residents (tenant_id, id) on delete cascade;
create unique index sessions_id on sessions (tenant_id, id);
create index sessions_resident on sessions (tenant_id, resident_id);
