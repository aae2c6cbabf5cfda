-- Staff side of bookings (modules/bookings/staff): the form keys that make creating an activity or
-- its sessions safe to retry, payments marked paid and refunded by staff, and the residency
-- requests residents send and staff approve or refuse.

-- A create form's random key: a double click or a retried POST finds the row it already made.
alter table activities add column created_key text check (length(created_key) between 16 and 100);
create unique index activities_created_key on activities (tenant_id, created_key) where created_key is not null;
alter table activity_sessions add column created_key text check (length(created_key) between 16 and 120);
create unique index activity_sessions_created_key on activity_sessions (tenant_id, created_key) where created_key is not null;

-- Payments: staff mark a counter payment paid, and refund a paid booking (through platform/payments.ts).
alter table bookings drop constraint bookings_payment_status_check;
alter table bookings add constraint bookings_payment_status_check check (payment_status in ('none', 'due', 'paid', 'refunded'));
alter table bookings add column paid_at timestamptz;
alter table bookings add column refunded_at timestamptz;
alter table bookings add column refunded_cents integer check (refunded_cents >= 0);
-- A staff member's changes: who cancelled (null: the resident), the session it was moved from.
alter table bookings add column cancelled_by uuid;
alter table bookings add column moved_from uuid;

-- A resident asks to be recognised as living in the town (address and the proof they hold); staff
-- approve (a residency_proofs row until a date) or refuse with a reason. One open request at a time.
create table residency_requests (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  resident_id uuid not null,
  address text not null check (char_length(address) between 5 and 300),
  -- What proof the resident has (a bill, a lease, a tax notice...), in their words.
  proof text not null check (char_length(proof) between 2 and 1000),
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
  idempotency_key text not null check (length(idempotency_key) between 16 and 100),
  valid_until date,
  reason text check (char_length(reason) between 1 and 1000),
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, resident_id) references residents (tenant_id, id) on delete cascade,
  check (status <> 'approved' or valid_until is not null),
  check (status <> 'refused' or reason is not null)
);
create unique index residency_requests_key on residency_requests (tenant_id, idempotency_key);
create unique index residency_requests_open on residency_requests (tenant_id, resident_id) where status = 'pending';
create index residency_requests_queue on residency_requests (tenant_id, status, created_at);

do $$
declare t text;
begin
  foreach t in array array['residency_requests'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
  end loop;
end
$$;
