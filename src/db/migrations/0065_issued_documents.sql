-- Issued documents (modules/applications/documents): the permit, licence or program letter a
-- town issues at the end of an application's review, as a PDF in the holder's language with a QR
-- code to a public verification page (/{fr,en}/verify/{token}, no sign-in).
--
-- The verification page shows only what a person checking the document needs: what it is, its
-- number, the holder's name, its validity and whether it was revoked. Everything else (address,
-- conditions) stays in the PDF the holder carries.

-- Numbers people can read aloud, one sequence per town and year: 2026-00042.
create table issued_document_counters (
  tenant_id uuid not null references tenants(id) on delete cascade,
  year integer not null check (year between 2000 and 9999),
  last_value integer not null check (last_value between 1 and 99999999),
  primary key (tenant_id, year)
);

create table issued_documents (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  number text not null check (number ~ '^[0-9]{4}-[0-9]{5,8}$'),
  -- The application it ends (modules/applications); one live document per application.
  application_id uuid not null,
  -- Whose it is: the resident who applied (for their file and the renewal reminder).
  resident_id uuid not null,
  holder_name text not null check (char_length(holder_name) between 1 and 200),
  holder_address text not null default '' check (char_length(holder_address) <= 500),
  -- The language of the PDF (the holder's).
  locale text not null check (locale in ('fr', 'en')),
  -- What it is: the service's name in both languages, as it was at issue.
  title jsonb not null check (jsonb_typeof(title->'fr') = 'string' and jsonb_typeof(title->'en') = 'string'),
  -- Conditions written by the reviewer when approving (may be empty).
  conditions text not null default '' check (char_length(conditions) <= 4000),
  valid_from date not null,
  -- null: no end (a program's decision letter).
  valid_until date,
  -- Days before valid_until the holder is reminded to renew (the dog licence's yearly renewal); null: no reminder.
  remind_days_before integer check (remind_days_before between 1 and 365),
  reminded_at timestamptz,
  issued_at timestamptz not null default now(),
  issued_by uuid,
  revoked_at timestamptz,
  revoked_reason text check (char_length(revoked_reason) <= 1000),
  -- The random token of the verification link in the QR code (32 bytes, base64url).
  verify_token text not null check (verify_token ~ '^[A-Za-z0-9_-]{43}$'),
  pdf bytea not null,
  primary key (tenant_id, id),
  check (valid_until is null or valid_until >= valid_from),
  check ((revoked_at is null) = (revoked_reason is null))
);
create unique index issued_documents_number on issued_documents (tenant_id, number);
create unique index issued_documents_token on issued_documents (tenant_id, verify_token);
create unique index issued_documents_live on issued_documents (tenant_id, application_id) where revoked_at is null;
create index issued_documents_resident on issued_documents (tenant_id, resident_id);
create index issued_documents_expiry on issued_documents (tenant_id, valid_until) where revoked_at is null and reminded_at is null;

do $$
declare t text;
begin
  foreach t in array array['issued_document_counters', 'issued_documents'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
-- An issued document is a record: it may be revoked or marked reminded, never removed.
revoke delete on issued_documents from guichet_app;
