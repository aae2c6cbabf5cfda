-- Searching the audit trail (modules/admin): by actor, by action, by subject, newest first.
create index audit_events_actor on audit_events (tenant_id, actor_id, at desc);
create index audit_events_action on audit_events (tenant_id, action, at desc);
create index audit_events_subject on audit_events (tenant_id, subject_id, at desc);
