/** The domain types of service requests: what views, routes and other helpers get (never rows). */
import type { Bilingual, QuestionDatatype, QuestionValue, RequestAnswer, RequestChannel, RequestEventKind, RequestStatus } from '../../db/schema.ts';
import type { Locale } from '../../platform/i18n.ts';
import type { Caller } from '../../platform/permissions.ts';
import type { Tenant } from '../tenants/service.ts';

export type { QuestionDatatype, QuestionValue, RequestAnswer, RequestChannel, RequestEventKind, RequestStatus };

export const REQUEST_STATUSES: readonly RequestStatus[] = ['new', 'acknowledged', 'in_progress', 'closed'];
export const REQUEST_CHANNELS: readonly RequestChannel[] = ['web', 'phone', 'counter', 'email', 'api'];
export const QUESTION_DATATYPES: readonly QuestionDatatype[] = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];

/** Open311's two statuses: every status but closed is open. */
export const open311Status = (s: RequestStatus): 'open' | 'closed' => (s === 'closed' ? 'closed' : 'open');

/** Who calls a request use case: the permission check's caller, the town, and where links point. */
export interface RequestsCaller extends Caller {
  tenant: Tenant;
  /** Absolute base URL for links in emails, e.g. https://services.example.ca */
  publicUrl: string;
}

export interface Question {
  id: string;
  code: string;
  datatype: QuestionDatatype;
  required: boolean;
  position: number;
  label: Bilingual;
  help: Bilingual;
  values: QuestionValue[];
}

export interface RequestType {
  id: string;
  /** Open311 service_code. */
  code: string;
  name: Bilingual;
  description: Bilingual;
  group: Bilingual;
  keywords: string[];
  departmentId: string | null;
  targetHours: number;
  allowAnonymous: boolean;
  active: boolean;
  position: number;
}

export interface RequestTypeWithQuestions extends RequestType {
  questions: Question[];
}

export interface Point {
  lat: number;
  lng: number;
}

export interface TownArea {
  minLat: number;
  minLng: number;
  maxLat: number;
  maxLng: number;
  /** [[lat, lng], ...] or null: the box is the area. */
  polygon: Array<[number, number]> | null;
  center: Point;
  zoom: number;
}

export interface PhotoInfo {
  id: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  public: boolean;
  /** The event it illustrates (e.g. the closure), or null: part of the report. */
  eventId: string | null;
}

/** An image already checked and re-encoded (platform/uploads.ts) and ready to store. */
export interface NewPhoto {
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  bytes: Buffer;
  width: number;
  height: number;
}

export interface RequestEvent {
  id: string;
  kind: RequestEventKind;
  public: boolean;
  authorKind: 'staff' | 'resident' | 'anonymous' | 'system' | 'api';
  authorId: string | null;
  /** What a person wrote, in the language they wrote it in. */
  body: string | null;
  bodyLocale: Locale | null;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  details: Record<string, unknown>;
  createdAt: Date;
  photoIds: string[];
}

/** A request as staff see it (contact included). Residents get `TrackedRequest`. */
export interface ServiceRequest {
  id: string;
  /** As people read it: XXXX-XXXX (also the Open311 service_request_id). */
  reference: string;
  type: { id: string; code: string; name: Bilingual; targetHours: number };
  departmentId: string | null;
  status: RequestStatus;
  location: Point | null;
  address: string | null;
  description: string;
  answers: Record<string, RequestAnswer>;
  channel: RequestChannel;
  residentId: string | null;
  contact: { email: string | null; name: string | null; phone: string | null };
  locale: Locale;
  assigneeId: string | null;
  requestedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  reopened: boolean;
  reopenedAt: Date | null;
  /** The kept request this duplicate was merged into (its reference), or null. */
  mergedInto: { id: string; reference: string } | null;
  createdBy: string | null;
  followers: number;
}

/** When the request is expected to be done, from how long this type actually took recently. */
export interface Expectation {
  /** Whole days ("usually done within 4 days"). */
  days: number;
  at: Date;
  /** history: the median of recent closures; target: the town's target (too few closures yet). */
  basis: 'history' | 'target';
}

/** What the requester or a follower sees on the tracking page: public facts only. */
export interface TrackedRequest {
  id: string;
  reference: string;
  type: { code: string; name: Bilingual };
  status: RequestStatus;
  location: Point | null;
  address: string | null;
  description: string;
  /** The answers, for the requester only (empty for a follower). */
  answers: Array<{ label: Bilingual; value: string | Bilingual[] }>;
  requestedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  reopened: boolean;
  mergedInto: string | null;
  events: RequestEvent[];
  photos: PhotoInfo[];
  expected: Expectation | null;
  viewer: 'requester' | 'follower';
  /** The requester may still say "not fixed" until this date (null: not closed, too late, or not theirs). */
  reopenUntil: Date | null;
}

/** An open request near a point, shown before a resident files a duplicate. */
export interface NearbyRequest {
  reference: string;
  address: string | null;
  location: Point | null;
  status: RequestStatus;
  description: string;
  requestedAt: Date;
  /** Metres from the point given. */
  distance: number;
  followers: number;
}

/** A resident's request or followed request, for their account. */
export interface MyRequest {
  id: string;
  reference: string;
  type: { code: string; name: Bilingual };
  status: RequestStatus;
  address: string | null;
  requestedAt: Date;
  updatedAt: Date;
  relation: 'requester' | 'follower';
}
