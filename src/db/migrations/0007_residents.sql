-- Residents' accounts (modules/residents). No password: a resident signs in with a one-time code
-- sent to their email address; the account is made at the first code they enter correctly.

create table residents (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null check (length(email) between 3 and 254),
  -- What the resident tells us about themselves; empty until they fill in their profile.
  name text check (char_length(name) between 1 and 200),
  phone text check (char_length(phone) between 1 and 30),
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  address text check (char_length(address) between 1 and 300),
  -- Email notifications the resident wants: updates on what they asked the town for, reminders
  -- (bookings, deadlines), and the town's news.
  notify_updates boolean not null default true,
  notify_reminders boolean not null default true,
  notify_news boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
-- One account per address and town, whatever the case of the letters.
create unique index residents_email on residents (tenant_id, lower(email));

-- One-time codes: six digits sent by email, valid 10 minutes, once, at most 5 wrong tries.
create table resident_codes (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- signIn: sign in or sign up; changeEmail: a signed-in resident proves a new address is theirs.
  purpose text not null check (purpose in ('signIn', 'changeEmail')),
  email text not null check (length(email) between 3 and 254),
  resident_id uuid,
  -- The language of the page the code was asked from; the email went out in it.
  locale text not null check (locale in ('fr', 'en')),
  -- HMAC-SHA256 of the code with the server's secret: the table alone does not give the codes away.
  code_hash text not null check (length(code_hash) = 64),
  -- SHA-256 of the random token of the sign-in link sent with the code, if any.
  link_hash text check (length(link_hash) = 64),
  attempts integer not null default 0 check (attempts between 0 and 5),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_attempt_at timestamptz,
  used_at timestamptz,
  -- Replaced by a newer code for the same address, or worn out by wrong tries.
  voided_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  check ((purpose = 'changeEmail') = (resident_id is not null))
);
create index resident_codes_email on resident_codes (tenant_id, lower(email), created_at desc);
create unique index resident_codes_link on resident_codes (tenant_id, link_hash);
create index resident_codes_created on resident_codes (tenant_id, created_at);

alter table residents enable row level security;
alter table residents force row level security;
create policy tenant_isolation on residents using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
alter table resident_codes enable row level security;
alter table resident_codes force row level security;
create policy tenant_isolation on resident_codes using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
