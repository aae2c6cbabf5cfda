-- Everything sent to the outside world is first written here, in the transaction that causes it.

create table outbox (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- What caused the message, unique per town: the same event never sends twice.
  dedupe_key text not null check (length(dedupe_key) between 1 and 300),
  channel text not null default 'email' check (channel in ('email')),
  recipient text not null check (length(recipient) between 3 and 254),
  locale text not null check (locale in ('fr', 'en')),
  subject text not null,
  body_text text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (tenant_id, id)
);
create unique index outbox_dedupe on outbox (tenant_id, dedupe_key);
create index outbox_status on outbox (tenant_id, status, created_at);

alter table outbox enable row level security;
alter table outbox force row level security;
create policy tenant_isolation on outbox using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
