-- OpenID Connect single sign-on per town (owned by modules/sso), and the links between a staff
-- account and the identity that signed in through it (owned by modules/staff).

create table sso_configs (
  tenant_id uuid not null references tenants(id) on delete cascade,
  issuer text not null check (length(issuer) between 8 and 500),
  client_id text not null check (length(client_id) between 1 and 500),
  -- AES-256-GCM sealed (see modules/staff/secret-box.ts); never stored in clear.
  client_secret_sealed text not null check (length(client_secret_sealed) <= 4000),
  -- What the button says: "Sign in with <label>".
  label text not null check (length(label) between 1 and 100),
  scopes text not null default 'openid email profile' check (length(scopes) <= 500),
  -- The claim that carries the person's groups or roles, e.g. "groups" or "roles".
  role_claim text not null check (length(role_claim) between 1 and 200),
  -- {"admin": ["guichet-admins"], "manager": [...], "agent": [...]}: claim values per role.
  role_map jsonb not null check (jsonb_typeof(role_map) = 'object'),
  -- Email domains accepted even when the provider does not say the address is verified.
  allowed_domains jsonb not null default '[]'::jsonb check (jsonb_typeof(allowed_domains) = 'array'),
  password_sign_in boolean not null default true,
  updated_at timestamptz not null default now(),
  primary key (tenant_id)
);

-- One row per sign-in started: the state's hash, the sealed PKCE verifier and the nonce, single use.
create table sso_auth_requests (
  tenant_id uuid not null references tenants(id) on delete cascade,
  state_hash text not null check (length(state_hash) = 64),
  verifier_sealed text not null check (length(verifier_sealed) <= 500),
  nonce text not null check (length(nonce) <= 200),
  locale text not null check (locale in ('fr', 'en')),
  next_path text check (length(next_path) <= 600),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, state_hash)
);
create index sso_auth_requests_expiry on sso_auth_requests (tenant_id, expires_at);

create table staff_identities (
  tenant_id uuid not null references tenants(id) on delete cascade,
  issuer text not null check (length(issuer) <= 500),
  subject text not null check (length(subject) between 1 and 255),
  staff_id uuid not null,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz not null default now(),
  primary key (tenant_id, issuer, subject),
  foreign key (tenant_id, staff_id) references staff_users (tenant_id, id) on delete cascade
);
create index staff_identities_staff on staff_identities (tenant_id, staff_id);

do $$
declare t text;
begin
  foreach t in array array['sso_configs', 'sso_auth_requests', 'staff_identities'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
