/** Rows to domain types: the one place row shapes turn into what the rest of the code sees. */
import { formatReference } from '../../platform/reference.ts';
import type * as catalogue from './repo/catalogue.ts';
import type { RequestRow } from './repo/requests.ts';
import type * as timeline from './repo/timeline.ts';
import type { PhotoInfo, Question, RequestEvent, RequestType, ServiceRequest, TownArea } from './types.ts';

type TypeRow = Awaited<ReturnType<typeof catalogue.listTypes>>[number];
type QuestionRow = Awaited<ReturnType<typeof catalogue.questionsOf>>[number];
type AreaRow = NonNullable<Awaited<ReturnType<typeof catalogue.findArea>>>;
type EventRow = Awaited<ReturnType<typeof timeline.eventsOf>>[number];
type PhotoRow = Awaited<ReturnType<typeof timeline.photosOf>>[number];

export const toType = (r: TypeRow): RequestType => ({
  id: r.id,
  code: r.service_code,
  name: r.name,
  description: r.description,
  group: r.group_name,
  keywords: r.keywords,
  departmentId: r.department_id,
  targetHours: r.target_hours,
  allowAnonymous: r.allow_anonymous,
  active: r.active,
  position: r.position,
});

export const toQuestion = (r: QuestionRow): Question => ({
  id: r.id,
  code: r.code,
  datatype: r.datatype,
  required: r.required,
  position: r.position,
  label: r.label,
  help: r.help,
  values: r.values,
});

export const toArea = (r: AreaRow): TownArea => ({
  minLat: r.min_lat,
  minLng: r.min_lng,
  maxLat: r.max_lat,
  maxLng: r.max_lng,
  polygon: r.polygon,
  center: { lat: r.center_lat, lng: r.center_lng },
  zoom: r.zoom,
});

export const toEvent = (r: EventRow, photos: readonly PhotoRow[]): RequestEvent => ({
  id: r.id,
  kind: r.kind,
  public: r.public,
  authorKind: r.author_kind,
  authorId: r.author_id,
  body: r.body,
  bodyLocale: r.body_locale,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  details: r.details,
  createdAt: r.created_at,
  photoIds: photos.filter((p) => p.event_id === r.id).map((p) => p.id),
});

export const toPhoto = (r: PhotoRow): PhotoInfo => ({
  id: r.id,
  contentType: r.content_type,
  size: r.size,
  width: r.width,
  height: r.height,
  public: r.public,
  eventId: r.event_id,
});

export const toRequest = (r: RequestRow): ServiceRequest => ({
  id: r.id,
  reference: formatReference(r.reference),
  type: { id: r.type_id, code: r.service_code, name: r.type_name, targetHours: r.target_hours },
  departmentId: r.department_id,
  status: r.status,
  location: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
  address: r.address,
  description: r.description,
  answers: r.answers,
  channel: r.channel,
  residentId: r.resident_id,
  contact: { email: r.contact_email, name: r.contact_name, phone: r.contact_phone },
  locale: r.locale,
  assigneeId: r.assignee_id,
  requestedAt: r.requested_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
  reopened: r.reopened,
  reopenedAt: r.reopened_at,
  mergedInto: r.merged_into && r.merged_reference ? { id: r.merged_into, reference: formatReference(r.merged_reference) } : null,
  createdBy: r.created_by,
  followers: Number(r.followers ?? 0),
});
