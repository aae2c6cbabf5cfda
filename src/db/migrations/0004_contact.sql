-- Messages residents send the town through the "contact us" form (modules/contact).

create table contact_messages (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- A code people can read aloud (no 0/O/1/I), shown on the confirmation page and in the emails.
  reference text not null check (reference ~ '^[2-9A-HJ-NP-Z]{8}$'),
  -- The random key the form carries: a double click or a retried POST finds the first message.
  idempotency_key text not null check (length(idempotency_key) between 16 and 100),
  name text not null check (char_length(name) between 1 and 200),
  email text not null check (length(email) between 3 and 254),
  locale text not null check (locale in ('fr', 'en')),
  message text not null check (char_length(message) between 1 and 4000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index contact_messages_idempotency on contact_messages (tenant_id, idempotency_key);
create unique index contact_messages_reference on contact_messages (tenant_id, reference);
create index contact_messages_created on contact_messages (tenant_id, created_at desc);

alter table contact_messages enable row level security;
alter table contact_messages force row level security;
create policy tenant_isolation on contact_messages using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
