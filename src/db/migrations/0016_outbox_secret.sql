-- Messages that carry a secret (a sign-in code, an invitation link) lose their text once delivered
-- over SMTP: the outbox keeps who, what and when, never a live credential.
alter table outbox add column secret boolean not null default false;
alter table outbox add column body_removed_at timestamptz;
