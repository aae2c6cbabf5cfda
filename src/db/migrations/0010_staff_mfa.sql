-- Staff two-step verification (TOTP): the sealed secret, the replay guard and the lockout counter,
-- single-use recovery codes (hashed), and the short-lived state between the password step and the
-- code step (no session exists until the code is right). Owned by modules/staff.

create table staff_mfa (
  tenant_id uuid not null references tenants(id) on delete cascade,
  staff_id uuid not null,
  -- AES-256-GCM sealed base32 secret (see modules/staff/secret-box.ts); never stored in clear.
  secret_sealed text not null check (length(secret_sealed) between 20 and 500),
  -- Null while the person has not yet confirmed a first code.
  confirmed_at timestamptz,
  -- The last 30-second time step accepted: a code of this step or an earlier one is refused.
  last_step bigint not null default 0,
  failed_count integer not null default 0 check (failed_count >= 0),
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, staff_id),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade
);

create table staff_recovery_codes (
  tenant_id uuid not null references tenants(id) on delete cascade,
  staff_id uuid not null,
  -- SHA-256 of the normalized code (80 random bits each); the code itself is shown once.
  code_hash text not null check (length(code_hash) = 64),
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, staff_id, code_hash),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade
);

create table staff_mfa_pending (
  tenant_id uuid not null references tenants(id) on delete cascade,
  -- SHA-256 of the random token in the browser's short-lived cookie.
  token_hash text not null check (length(token_hash) = 64),
  staff_id uuid not null,
  -- verify: the password was right, the code is next; enrol: an administrator must set up TOTP first.
  purpose text not null check (purpose in ('verify', 'enrol')),
  next_path text check (length(next_path) <= 600),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, token_hash),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade
);
create index staff_mfa_pending_staff on staff_mfa_pending (tenant_id, staff_id);

do $$
declare t text;
begin
  foreach t in array array['staff_mfa', 'staff_recovery_codes', 'staff_mfa_pending'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
