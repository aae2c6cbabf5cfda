-- Facility bookings and activity registration (modules/bookings): what can be booked, its
-- sessions with their capacity, bookings (held, then confirmed), waitlists, lottery entries and
-- draws, and the residency proofs that open the residents' earlier window and price.
--
-- The one rule that matters on registration day: activity_sessions.taken counts the places held or
-- confirmed, and a place is only ever taken by the conditional update
--   update activity_sessions set taken = taken + 1 where ... and taken < capacity
-- in the transaction that inserts the booking. The check (taken <= capacity) is a second wall.

create table activities (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  -- facility: a time slot of a rink, pool lane, gym, room or field; activity: lessons, day camps.
  kind text not null check (kind in ('facility', 'activity')),
  name jsonb not null check (jsonb_typeof(name->'fr') = 'string' and jsonb_typeof(name->'en') = 'string'),
  description jsonb not null default '{"fr": "", "en": ""}'::jsonb
    check (jsonb_typeof(description->'fr') = 'string' and jsonb_typeof(description->'en') = 'string'),
  -- Age of the participant on the first day of the session, in whole years; null: no limit.
  min_age integer check (min_age between 0 and 120),
  max_age integer check (max_age between 0 and 120),
  -- Prices in cents (CAD): town residents (a residency proof on file) and everyone else.
  resident_price_cents integer not null default 0 check (resident_price_cents between 0 and 100000000),
  nonresident_price_cents integer not null default 0 check (nonresident_price_cents between 0 and 100000000),
  residents_only boolean not null default false,
  -- fcfs: first come, first served; lottery: entries until lottery_closes_at, then a seeded draw.
  booking_mode text not null default 'fcfs' check (booking_mode in ('fcfs', 'lottery')),
  -- Registration opens for everyone at opens_at; residents may start earlier, at residents_open_at.
  opens_at timestamptz not null,
  residents_open_at timestamptz,
  lottery_closes_at timestamptz,
  -- Cancellation rule: a confirmed booking may be cancelled until this many hours before it starts.
  cancel_hours_before integer not null default 24 check (cancel_hours_before between 0 and 8760),
  -- How long a place is held while the resident confirms, and how long a waitlist offer lasts.
  hold_minutes integer not null default 10 check (hold_minutes between 1 and 60),
  offer_hours integer not null default 24 check (offer_hours between 1 and 168),
  published boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (min_age is null or max_age is null or min_age <= max_age),
  check (residents_open_at is null or residents_open_at <= opens_at),
  check ((booking_mode = 'lottery') = (lottery_closes_at is not null)),
  check (lottery_closes_at is null or lottery_closes_at > opens_at)
);
create unique index activities_slug on activities (tenant_id, slug);
create index activities_opens on activities (tenant_id, opens_at);

create table activity_sessions (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  activity_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  capacity integer not null check (capacity between 0 and 100000),
  -- Places held or confirmed. Never more than the capacity: the database refuses an oversell.
  taken integer not null default 0 check (taken >= 0 and taken <= capacity),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, activity_id) references activities (tenant_id, id) on delete cascade,
  check (ends_at > starts_at)
);
create index activity_sessions_activity on activity_sessions (tenant_id, activity_id, starts_at);
create index activity_sessions_starts on activity_sessions (tenant_id, starts_at);

create table bookings (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  session_id uuid not null,
  resident_id uuid not null,
  -- The household member the place is for; null: the account holder.
  member_id uuid,
  -- The member's name as it was when the place was taken (what the roster and the emails show).
  participant_name text check (char_length(participant_name) between 1 and 200),
  status text not null check (status in ('held', 'confirmed', 'cancelled', 'expired')),
  -- While held: the place goes back to the session (or the waitlist) at this time unless confirmed.
  hold_expires_at timestamptz,
  -- The form's random key (or a key derived from a waitlist offer or a draw): one booking per key.
  idempotency_key text not null check (length(idempotency_key) between 16 and 100),
  -- direct: booked from the activity page; waitlist: a freed place offered; lottery: won in the draw.
  source text not null default 'direct' check (source in ('direct', 'waitlist', 'lottery')),
  rate text not null check (rate in ('resident', 'nonresident')),
  price_cents integer not null check (price_cents >= 0),
  -- free, or counter (pay at the counter or by invoice); set at confirmation.
  payment_method text check (payment_method in ('free', 'counter')),
  payment_status text not null default 'none' check (payment_status in ('none', 'due', 'paid')),
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, session_id) references activity_sessions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  foreign key (tenant_id, member_id) references household_members (tenant_id, id) on delete cascade,
  check (status <> 'held' or hold_expires_at is not null)
);
create unique index bookings_idempotency on bookings (tenant_id, idempotency_key);
-- One live place per person and session: nobody holds the whole session for themselves.
create unique index bookings_live on bookings (tenant_id, session_id, resident_id, coalesce(member_id, '00000000-0000-0000-0000-000000000000'::uuid))
  where status in ('held', 'confirmed');
create index bookings_resident on bookings (tenant_id, resident_id, created_at desc);
-- The holds to give back when they run out (only live holds: a small index).
create index bookings_holds on bookings (tenant_id, session_id, hold_expires_at) where status = 'held';

-- A booking row that disappears (its resident, household member or session was deleted) while it
-- still counts gives its place back: no place leaks, whoever deletes.
create or replace function bookings_give_back_place() returns trigger
  language plpgsql
  as $$
begin
  update activity_sessions set taken = taken - 1
    where tenant_id = old.tenant_id and id = old.session_id and taken > 0;
  return null;
end
$$;
create trigger bookings_give_back_place after delete on bookings
  for each row when (old.status in ('held', 'confirmed')) execute function bookings_give_back_place();

create table waitlist_entries (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- The order of the list: who joined first (or, after a draw, the draw's order).
  seq bigint generated always as identity,
  session_id uuid not null,
  resident_id uuid not null,
  member_id uuid,
  participant_name text check (char_length(participant_name) between 1 and 200),
  -- waiting; offered: a freed place is held for them (booking_id) until it is confirmed or runs out;
  -- booked: they confirmed it; expired: the offer ran out; left: they left the list.
  status text not null default 'waiting' check (status in ('waiting', 'offered', 'booked', 'expired', 'left')),
  booking_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, session_id) references activity_sessions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  foreign key (tenant_id, member_id) references household_members (tenant_id, id) on delete cascade,
  foreign key (tenant_id, booking_id) references bookings (tenant_id, id) on delete set null (booking_id)
);
create unique index waitlist_live on waitlist_entries (tenant_id, session_id, resident_id, coalesce(member_id, '00000000-0000-0000-0000-000000000000'::uuid))
  where status in ('waiting', 'offered');
create index waitlist_queue on waitlist_entries (tenant_id, session_id, seq) where status = 'waiting';
create index waitlist_resident on waitlist_entries (tenant_id, resident_id, created_at desc);
create index waitlist_booking on waitlist_entries (tenant_id, booking_id);

create table lottery_entries (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  session_id uuid not null,
  resident_id uuid not null,
  member_id uuid,
  participant_name text check (char_length(participant_name) between 1 and 200),
  -- entered; won (a place is held for them); lost (they are on the waitlist); withdrawn.
  status text not null default 'entered' check (status in ('entered', 'won', 'lost', 'withdrawn')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, session_id) references activity_sessions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  foreign key (tenant_id, member_id) references household_members (tenant_id, id) on delete cascade
);
create unique index lottery_entries_once on lottery_entries (tenant_id, session_id, resident_id, coalesce(member_id, '00000000-0000-0000-0000-000000000000'::uuid))
  where status <> 'withdrawn';
create index lottery_entries_resident on lottery_entries (tenant_id, resident_id, created_at desc);

-- One draw per session, kept for anyone to check: the seed, the entries in their canonical order
-- (sorted by id), and the order the seeded shuffle gave. Re-running the algorithm on the same seed
-- and entries gives the same order.
create table lottery_draws (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  session_id uuid not null,
  algorithm text not null,
  seed text not null check (seed ~ '^[0-9a-f]{64}$'),
  entry_ids jsonb not null,
  drawn_order jsonb not null,
  places integer not null check (places >= 0),
  winners integer not null check (winners >= 0),
  drawn_at timestamptz not null default now(),
  -- The staff member who ran the draw; null when the scheduled draw ran it.
  drawn_by uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, session_id) references activity_sessions (tenant_id, id) on delete cascade
);
create unique index lottery_draws_session on lottery_draws (tenant_id, session_id);

-- Proof that a resident lives in the town (checked by staff), until a date: opens the residents'
-- earlier window, residents-only activities and the resident price.
create table residency_proofs (
  tenant_id uuid not null references tenants(id) on delete cascade,
  resident_id uuid not null,
  valid_until date not null,
  checked_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, resident_id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade
);

do $$
declare t text;
begin
  foreach t in array array['activities', 'activity_sessions', 'bookings', 'waitlist_entries', 'lottery_entries', 'lottery_draws', 'residency_proofs'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
-- A draw is a record: the application writes it once and never changes or removes it.
revoke update, delete on lottery_draws from guichet_app;
