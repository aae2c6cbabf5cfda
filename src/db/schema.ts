/**
 * Row types of every table, as Kysely sees them. Row types stop at the service: views and routes
 * get domain types. Each section names the module that owns the tables.
 */
import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export interface Bilingual {
  fr: string;
  en: string;
}
export type Json<T> = ColumnType<T, T | string, T | string>;
/** A JSON column with a default: may be left out on insert. (Generated<Json<T>> would not unwrap.) */
export type GeneratedJson<T> = ColumnType<T, T | string | undefined, T | string>;

// platform/tenancy (modules/tenants)
export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: Json<Bilingual>;
  time_zone: Generated<string>;
  default_locale: Generated<'fr' | 'en'>;
  branding: GeneratedJson<Record<string, string>>;
  contact_email: string | null;
  created_at: Generated<Timestamp>;
}
export interface TenantHostsTable {
  host: string;
  tenant_id: string;
}

// modules/staff
export interface StaffUsersTable {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  name: string;
  role: 'agent' | 'manager' | 'admin';
  locale: Generated<'fr' | 'en'>;
  password_hash: string | null;
  disabled_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

// platform/auth
export interface SessionsTable {
  tenant_id: string;
  token_hash: string;
  staff_id: string | null;
  // Timestamp's insert type already allows undefined (the column default); Generated<> would nest two ColumnTypes.
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

// platform/audit
export interface AuditEventsTable {
  tenant_id: string;
  id: Generated<string>;
  at: Generated<Timestamp>;
  actor_kind: 'staff' | 'resident' | 'system' | 'anonymous';
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  ip: string | null;
  details: GeneratedJson<Record<string, unknown>>;
}

// platform/outbox
export interface OutboxTable {
  tenant_id: string;
  id: Generated<string>;
  dedupe_key: string;
  channel: Generated<'email'>;
  recipient: string;
  locale: 'fr' | 'en';
  subject: string;
  body_text: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  reply_to: string | null;
  delivered_via: 'smtp' | 'devMailbox' | null;
  last_attempt_at: Timestamp | null;
}

// modules/contact
export interface ContactMessagesTable {
  tenant_id: string;
  id: Generated<string>;
  reference: string;
  idempotency_key: string;
  name: string;
  email: string;
  locale: 'fr' | 'en';
  message: string;
  created_at: Timestamp;
}

// platform/rate-limit
export interface RateLimitCountersTable {
  key: string;
  count: number;
  reset_at: Timestamp;
}

export interface DB {
  rate_limit_counters: RateLimitCountersTable;
  tenants: TenantsTable;
  tenant_hosts: TenantHostsTable;
  staff_users: StaffUsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  outbox: OutboxTable;
  contact_messages: ContactMessagesTable;
}
