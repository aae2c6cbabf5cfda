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
  /** Exactly one of staff_id and resident_id is set. */
  resident_id: string | null;
  id: Generated<string>;
  user_agent: string | null;
  // Timestamp's insert type already allows undefined (the column default); Generated<> would nest two ColumnTypes.
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

// platform/audit
export interface AuditEventsTable {
  tenant_id: string;
  id: Generated<string>;
  at: Timestamp;
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
  secret: Generated<boolean>;
  body_removed_at: Timestamp | null;
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

// modules/residents
export interface ResidentsTable {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  name: string | null;
  phone: string | null;
  locale: Generated<'fr' | 'en'>;
  address: string | null;
  notify_updates: Generated<boolean>;
  notify_reminders: Generated<boolean>;
  notify_news: Generated<boolean>;
  /** YYYY-MM-DD (date columns come back as text). */
  birth_date: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ResidentCodesTable {
  tenant_id: string;
  id: Generated<string>;
  purpose: 'signIn' | 'changeEmail';
  email: string;
  resident_id: string | null;
  locale: 'fr' | 'en';
  code_hash: string;
  link_hash: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_attempt_at: Timestamp | null;
  used_at: Timestamp | null;
  voided_at: Timestamp | null;
}
export interface HouseholdMembersTable {
  tenant_id: string;
  resident_id: string;
  id: Generated<string>;
  name: string;
  /** A calendar date as text, YYYY-MM-DD (dates are not turned into Date objects). */
  birth_date: string;
  relationship: 'child' | 'spouse' | 'other';
  created_at: Timestamp;
  updated_at: Timestamp;
}

// platform/rate-limit
export interface RateLimitCountersTable {
  key: string;
  count: number;
  reset_at: Timestamp;
}

// modules/departments
export interface DepartmentsTable {
  tenant_id: string;
  id: Generated<string>;
  name: Json<Bilingual>;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface StaffDepartmentsTable {
  tenant_id: string;
  staff_id: string;
  department_id: string;
  created_at: Timestamp;
}

// modules/admin
export interface StaffInvitationsTable {
  tenant_id: string;
  id: Generated<string>;
  staff_id: string;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

// modules/staff: two-step verification and single sign-on identities
export interface StaffMfaTable {
  tenant_id: string;
  staff_id: string;
  secret_sealed: string;
  confirmed_at: Timestamp | null;
  /** bigint comes back as text. */
  last_step: ColumnType<string, string | number | undefined, string | number>;
  failed_count: Generated<number>;
  locked_until: Timestamp | null;
  created_at: Timestamp;
}
export interface StaffRecoveryCodesTable {
  tenant_id: string;
  staff_id: string;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: Timestamp;
}
export interface StaffMfaPendingTable {
  tenant_id: string;
  token_hash: string;
  staff_id: string;
  purpose: 'verify' | 'enrol';
  next_path: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
}
export interface StaffIdentitiesTable {
  tenant_id: string;
  issuer: string;
  subject: string;
  staff_id: string;
  created_at: Timestamp;
  last_sign_in_at: Timestamp;
}

// modules/sso
export interface SsoConfigsTable {
  tenant_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  label: string;
  scopes: Generated<string>;
  role_claim: string;
  role_map: Json<Partial<Record<'agent' | 'manager' | 'admin', string[]>>>;
  allowed_domains: GeneratedJson<string[]>;
  password_sign_in: Generated<boolean>;
  updated_at: Timestamp;
}
export interface SsoAuthRequestsTable {
  tenant_id: string;
  state_hash: string;
  verifier_sealed: string;
  nonce: string;
  locale: 'fr' | 'en';
  next_path: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
}

// modules/bookings
export interface ActivitiesTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  kind: 'facility' | 'activity';
  name: Json<Bilingual>;
  description: GeneratedJson<Bilingual>;
  min_age: number | null;
  max_age: number | null;
  resident_price_cents: Generated<number>;
  nonresident_price_cents: Generated<number>;
  residents_only: Generated<boolean>;
  booking_mode: Generated<'fcfs' | 'lottery'>;
  opens_at: Timestamp;
  residents_open_at: Timestamp | null;
  lottery_closes_at: Timestamp | null;
  cancel_hours_before: Generated<number>;
  hold_minutes: Generated<number>;
  offer_hours: Generated<number>;
  published: Generated<boolean>;
  /** The staff form's key (0045): a retried create finds the activity it made. */
  created_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ActivitySessionsTable {
  tenant_id: string;
  id: Generated<string>;
  activity_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number;
  taken: Generated<number>;
  cancelled_at: Timestamp | null;
  created_at: Timestamp;
  /** The staff form's key (0045). */
  created_key: ColumnType<string | null, string | null | undefined, string | null>;
}
export type BookingStatus = 'held' | 'confirmed' | 'cancelled' | 'expired';
export interface BookingsTable {
  tenant_id: string;
  id: Generated<string>;
  session_id: string;
  resident_id: string;
  member_id: string | null;
  participant_name: string | null;
  status: BookingStatus;
  hold_expires_at: Timestamp | null;
  idempotency_key: string;
  source: Generated<'direct' | 'waitlist' | 'lottery'>;
  rate: 'resident' | 'nonresident';
  price_cents: number;
  payment_method: 'free' | 'counter' | null;
  payment_status: Generated<'none' | 'due' | 'paid' | 'refunded'>;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  // 0045: staff mark paid, refund, cancel and move.
  paid_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  refunded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  refunded_cents: ColumnType<number | null, number | null | undefined, number | null>;
  cancelled_by: ColumnType<string | null, string | null | undefined, string | null>;
  moved_from: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface WaitlistEntriesTable {
  tenant_id: string;
  id: Generated<string>;
  /** bigint comes back as text. */
  seq: ColumnType<string, never, never>;
  session_id: string;
  resident_id: string;
  member_id: string | null;
  participant_name: string | null;
  status: Generated<'waiting' | 'offered' | 'booked' | 'expired' | 'left'>;
  booking_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface LotteryEntriesTable {
  tenant_id: string;
  id: Generated<string>;
  session_id: string;
  resident_id: string;
  member_id: string | null;
  participant_name: string | null;
  status: Generated<'entered' | 'won' | 'lost' | 'withdrawn'>;
  created_at: Timestamp;
}
export interface LotteryDrawsTable {
  tenant_id: string;
  id: Generated<string>;
  session_id: string;
  algorithm: string;
  seed: string;
  entry_ids: Json<string[]>;
  drawn_order: Json<string[]>;
  places: number;
  winners: number;
  drawn_at: Timestamp;
  drawn_by: string | null;
}
export interface ResidencyProofsTable {
  tenant_id: string;
  resident_id: string;
  /** A calendar date as text, YYYY-MM-DD. */
  valid_until: string;
  checked_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/** A resident's request to be recognised as living in the town (0045), reviewed by staff. */
export interface ResidencyRequestsTable {
  tenant_id: string;
  id: Generated<string>;
  resident_id: string;
  address: string;
  proof: string;
  status: Generated<'pending' | 'approved' | 'refused'>;
  idempotency_key: string;
  /** A calendar date as text, YYYY-MM-DD. */
  valid_until: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
}

// modules/bookings: passes, door check-ins, calendar feeds (0040_passes.sql)
export interface PassSigningKeysTable {
  tenant_id: string;
  kid: string;
  /** Raw 32-byte Ed25519 public key, base64url. */
  public_key: string;
  private_key_sealed: string;
  created_at: Timestamp;
  replaced_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
export interface BookingCheckinsTable {
  tenant_id: string;
  id: Generated<string>;
  booking_id: string;
  session_id: string;
  /** A calendar date as text, YYYY-MM-DD. */
  day: string;
  client_id: string;
  checked_in_at: Timestamp;
  recorded_at: Timestamp;
  method: 'camera' | 'typed';
  offline: Generated<boolean>;
  staff_id: string | null;
}
export interface CalendarFeedsTable {
  tenant_id: string;
  resident_id: string;
  token_hash: string;
  token_sealed: string;
  created_at: Timestamp;
}

// modules/requests
export type RequestStatus = 'new' | 'acknowledged' | 'in_progress' | 'closed';
export type RequestChannel = 'web' | 'phone' | 'counter' | 'email' | 'api';
export type QuestionDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
export interface QuestionValue {
  key: string;
  name: Bilingual;
}
/** An answer by question code: text, a number, or the keys picked in a list. */
export type RequestAnswer = string | number | string[];
export type RequestEventKind =
  | 'created'
  | 'status_changed'
  | 'public_reply'
  | 'internal_note'
  | 'type_changed'
  | 'department_changed'
  | 'assigned'
  | 'merged'
  | 'closed'
  | 'reopened'
  | 'followed';
export interface RequestTypesTable {
  tenant_id: string;
  id: Generated<string>;
  service_code: string;
  name: Json<Bilingual>;
  description: GeneratedJson<Bilingual>;
  group_name: GeneratedJson<Bilingual>;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  department_id: string | null;
  target_hours: Generated<number>;
  allow_anonymous: Generated<boolean>;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface RequestTypeQuestionsTable {
  tenant_id: string;
  id: Generated<string>;
  type_id: string;
  code: string;
  datatype: QuestionDatatype;
  required: Generated<boolean>;
  position: Generated<number>;
  label: Json<Bilingual>;
  help: GeneratedJson<Bilingual>;
  values: GeneratedJson<QuestionValue[]>;
  active: Generated<boolean>;
}
export interface RequestsTable {
  tenant_id: string;
  id: Generated<string>;
  reference: string;
  type_id: string;
  department_id: string | null;
  status: Generated<RequestStatus>;
  lat: number | null;
  lng: number | null;
  address: string | null;
  description: Generated<string>;
  answers: GeneratedJson<Record<string, RequestAnswer>>;
  channel: Generated<RequestChannel>;
  resident_id: string | null;
  contact_email: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  locale: 'fr' | 'en';
  tracking_token_hash: string;
  assignee_id: string | null;
  requested_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  reopened: Generated<boolean>;
  reopened_at: Timestamp | null;
  merged_into: string | null;
  idempotency_key: string;
  created_by: string | null;
}
export interface RequestFollowersTable {
  tenant_id: string;
  id: Generated<string>;
  request_id: string;
  resident_id: string | null;
  email: string | null;
  locale: 'fr' | 'en';
  tracking_token_hash: string | null;
  created_at: Timestamp;
}
export interface RequestEventsTable {
  tenant_id: string;
  id: Generated<string>;
  request_id: string;
  kind: RequestEventKind;
  public: Generated<boolean>;
  author_kind: 'staff' | 'resident' | 'anonymous' | 'system' | 'api';
  author_id: string | null;
  body: string | null;
  body_locale: 'fr' | 'en' | null;
  from_status: RequestStatus | null;
  to_status: RequestStatus | null;
  details: GeneratedJson<Record<string, unknown>>;
  created_at: Timestamp;
}
export interface RequestPhotosTable {
  tenant_id: string;
  id: Generated<string>;
  request_id: string;
  event_id: string | null;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp';
  bytes: Buffer;
  size: number;
  width: number;
  height: number;
  public: Generated<boolean>;
  created_at: Timestamp;
}
export interface TownAreasTable {
  tenant_id: string;
  min_lat: number;
  min_lng: number;
  max_lat: number;
  max_lng: number;
  /** [[lat, lng], ...] inside the box, or null: the box is the area. */
  polygon: ColumnType<Array<[number, number]> | null, Array<[number, number]> | string | null | undefined, Array<[number, number]> | string | null>;
  center_lat: number;
  center_lng: number;
  zoom: Generated<number>;
  updated_at: Timestamp;
}

// modules/applications (review side): issued documents
export interface IssuedDocumentCountersTable {
  tenant_id: string;
  year: number;
  last_value: number;
}
export interface IssuedDocumentsTable {
  tenant_id: string;
  id: Generated<string>;
  number: string;
  application_id: string;
  resident_id: string;
  holder_name: string;
  holder_address: Generated<string>;
  locale: 'fr' | 'en';
  title: Json<Bilingual>;
  conditions: Generated<string>;
  valid_from: ColumnType<string, string, string>;
  valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  remind_days_before: number | null;
  reminded_at: Timestamp | null;
  issued_at: Timestamp;
  issued_by: string | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  verify_token: string;
  pdf: Buffer;
}
export interface ApplicationInterviewsTable {
  tenant_id: string;
  application_id: string;
  at: Timestamp;
  place: string;
  scheduled_by: string | null;
  updated_at: Timestamp;
}

// modules/applications
export type ApplicationStatus = 'draft' | 'submitted' | 'in_review' | 'info_requested' | 'approved' | 'refused' | 'issued' | 'withdrawn';
export type ApplicationPaymentStatus = 'none' | 'due' | 'paid' | 'refunded';
export type ApplicationServiceKind = 'permit' | 'licence' | 'program';
export type ApplicationFileType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp';
export interface ApplicationServicesTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  kind: Generated<ApplicationServiceKind>;
  name: Json<Bilingual>;
  summary: GeneratedJson<Bilingual>;
  department_id: string | null;
  target_days: Generated<number>;
  active: Generated<boolean>;
  position: Generated<number>;
  /** The builder's create form key (0061). */
  create_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ApplicationFormVersionsTable {
  tenant_id: string;
  id: Generated<string>;
  service_id: string;
  version: number;
  /** A FormDefinition (modules/applications/engine/definition.ts), checked by the engine. */
  definition: Json<unknown>;
  published_at: Timestamp | null;
  published_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ApplicationsTable {
  tenant_id: string;
  id: Generated<string>;
  reference: string;
  service_id: string;
  form_version_id: string;
  resident_id: string;
  department_id: string | null;
  status: Generated<ApplicationStatus>;
  /** By question code (modules/applications/engine: RawAnswers while a draft, CleanAnswers after). */
  answers: GeneratedJson<Record<string, unknown>>;
  current_page: Generated<number>;
  fee_cents: Generated<number>;
  payment_status: Generated<ApplicationPaymentStatus>;
  payment_method: 'counter' | null;
  locale: 'fr' | 'en';
  assignee_id: string | null;
  submitted_at: Timestamp | null;
  due_at: Timestamp | null;
  decided_at: Timestamp | null;
  idempotency_key: string;
  submit_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ApplicationFilesTable {
  tenant_id: string;
  id: Generated<string>;
  application_id: string;
  question_code: string | null;
  message_id: string | null;
  filename: string;
  content_type: ApplicationFileType;
  bytes: Buffer;
  size: number;
  uploaded_by_kind: 'resident' | 'staff';
  uploaded_by: string | null;
  created_at: Timestamp;
}
export interface ApplicationEventsTable {
  tenant_id: string;
  id: Generated<string>;
  application_id: string;
  kind: string;
  public: Generated<boolean>;
  author_kind: 'resident' | 'staff' | 'system';
  author_id: string | null;
  from_status: ApplicationStatus | null;
  to_status: ApplicationStatus | null;
  body: string | null;
  body_locale: 'fr' | 'en' | null;
  details: GeneratedJson<Record<string, unknown>>;
  created_at: Timestamp;
}
/** "Do I need a permit?" (0061): a PrecheckDefinition (modules/applications/precheck.ts). */
export interface ApplicationPrechecksTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  title: Json<Bilingual>;
  definition: Json<unknown>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ApplicationMessagesTable {
  tenant_id: string;
  id: Generated<string>;
  application_id: string;
  author_kind: 'resident' | 'staff';
  author_id: string | null;
  body: string;
  locale: 'fr' | 'en';
  idempotency_key: string | null;
  read_at: Timestamp | null;
  created_at: Timestamp;
}

/** Open311 API keys (modules/open311, migration 0035): only the key's sha256 is kept. */
export interface ApiKeysTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  idempotency_key: string | null;
}
export interface DB {
  api_keys: ApiKeysTable;
  rate_limit_counters: RateLimitCountersTable;
  tenants: TenantsTable;
  tenant_hosts: TenantHostsTable;
  staff_users: StaffUsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  outbox: OutboxTable;
  contact_messages: ContactMessagesTable;
  departments: DepartmentsTable;
  staff_departments: StaffDepartmentsTable;
  staff_invitations: StaffInvitationsTable;
  residents: ResidentsTable;
  resident_codes: ResidentCodesTable;
  household_members: HouseholdMembersTable;
  staff_mfa: StaffMfaTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  staff_mfa_pending: StaffMfaPendingTable;
  staff_identities: StaffIdentitiesTable;
  sso_configs: SsoConfigsTable;
  sso_auth_requests: SsoAuthRequestsTable;
  activities: ActivitiesTable;
  activity_sessions: ActivitySessionsTable;
  bookings: BookingsTable;
  waitlist_entries: WaitlistEntriesTable;
  lottery_entries: LotteryEntriesTable;
  lottery_draws: LotteryDrawsTable;
  residency_proofs: ResidencyProofsTable;
  residency_requests: ResidencyRequestsTable;
  pass_signing_keys: PassSigningKeysTable;
  booking_checkins: BookingCheckinsTable;
  calendar_feeds: CalendarFeedsTable;
  request_types: RequestTypesTable;
  request_type_questions: RequestTypeQuestionsTable;
  requests: RequestsTable;
  request_followers: RequestFollowersTable;
  request_events: RequestEventsTable;
  request_photos: RequestPhotosTable;
  town_areas: TownAreasTable;
  application_services: ApplicationServicesTable;
  application_form_versions: ApplicationFormVersionsTable;
  applications: ApplicationsTable;
  application_files: ApplicationFilesTable;
  application_events: ApplicationEventsTable;
  application_messages: ApplicationMessagesTable;
  application_prechecks: ApplicationPrechecksTable;
  issued_document_counters: IssuedDocumentCountersTable;
  issued_documents: IssuedDocumentsTable;
  application_interviews: ApplicationInterviewsTable;
}
