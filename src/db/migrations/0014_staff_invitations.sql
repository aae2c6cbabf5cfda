-- Invitations to the staff area (modules/admin). An administrator invites someone by email: their
-- account exists at once, without a password, and the email carries a single-use link valid for
-- seven days. Only the SHA-256 of the link's token is stored: a database leak opens no account.

create table staff_invitations (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  staff_id uuid not null,
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by uuid,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade
);
create unique index staff_invitations_token on staff_invitations (tenant_id, token_hash);
create index staff_invitations_staff on staff_invitations (tenant_id, staff_id);

alter table staff_invitations enable row level security;
alter table staff_invitations force row level security;
create policy tenant_isolation on staff_invitations using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
