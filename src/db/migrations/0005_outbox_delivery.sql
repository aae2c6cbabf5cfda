-- Delivery details of outbox messages (platform/outbox).

alter table outbox
  -- Where replies go (e.g. the resident who wrote to the town), when not to the sender.
  add column reply_to text check (reply_to is null or length(reply_to) between 3 and 254),
  -- How the message left: through SMTP, or kept in the development mailbox when no SMTP server is set.
  add column delivered_via text check (delivered_via in ('smtp', 'devMailbox')),
  add column last_attempt_at timestamptz;
