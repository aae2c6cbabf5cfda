/**
 * Open311's read side: GET requests (filters, the spec's defaults of 90 days and 1,000 requests,
 * and paging beyond them as an extension: `page` and `page_size`, with a Link rel="next" header),
 * one request, and a token. Public facts only: never a name, an email or a phone number.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getPublicRequest, getPublicRequestById, listPublicRequests, PUBLIC_LIST_MAX, type PublicRequest } from '../requests/public.ts';
import { AppError } from '../../platform/errors.ts';
import { fail, isoWithOffset, parseDateTime, send } from './format.ts';
import { param, type Open311Context } from './context.ts';

export const REQUEST_ITEMS = { service_requests: 'request' };
const DAY_MS = 86_400_000;
const SPAN_DAYS = 90;

/** One request as Open311 shows it. */
export function requestOf(r: PublicRequest, ctx: Open311Context) {
  const when = (d: Date | null) => (d ? isoWithOffset(d, ctx.tenant.timeZone) : null);
  const note = r.mergedInto ? ctx.t('open311.mergedInto', { reference: r.mergedInto }) : r.note;
  return {
    service_request_id: r.reference,
    status: r.status === 'closed' ? ('closed' as const) : ('open' as const),
    status_notes: note,
    service_name: r.type.name[ctx.locale],
    service_code: r.type.code,
    description: r.description === '' ? null : r.description,
    agency_responsible: r.department ? r.department[ctx.locale] : null,
    service_notice: null,
    requested_datetime: isoWithOffset(r.requestedAt, ctx.tenant.timeZone),
    updated_datetime: when(r.closedAt ?? r.updatedAt),
    expected_datetime: when(r.expectedAt),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.location?.lat ?? null,
    long: r.location?.lng ?? null,
    media_url: r.photoId ? `${ctx.origin}/open311/v2/media/${r.photoId}?jurisdiction_id=${encodeURIComponent(ctx.tenant.slug)}` : null,
  };
}

function positiveInt(text: string | undefined, fallback: number, max: number): number | null {
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,7}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= max ? n : null;
}

export async function listRequests(req: FastifyRequest, reply: FastifyReply, ctx: Open311Context): Promise<FastifyReply> {
  const { t } = ctx;
  const page = positiveInt(param(req, 'page'), 1, 1_000_000);
  const pageSize = positiveInt(param(req, 'page_size'), PUBLIC_LIST_MAX, PUBLIC_LIST_MAX);
  if (page === null || pageSize === null) throw fail(400, t('open311.errors.page', { max: PUBLIC_LIST_MAX }));
  const ids = param(req, 'service_request_id');
  const offset = (page - 1) * pageSize;
  let rows: PublicRequest[];
  if (ids !== undefined && ids.trim() !== '') {
    const references = ids.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (references.length > PUBLIC_LIST_MAX) throw fail(400, t('open311.errors.tooManyIds', { max: PUBLIC_LIST_MAX }));
    rows = await listPublicRequests(ctx.caller, { references, limit: pageSize + 1, offset });
  } else {
    const startText = param(req, 'start_date');
    const endText = param(req, 'end_date');
    const start = startText ? parseDateTime(startText) : null;
    const end = endText ? parseDateTime(endText) : null;
    if ((startText && !start) || (endText && !end)) throw fail(400, t('open311.errors.date'));
    const to = end ?? (start ? new Date(start.getTime() + SPAN_DAYS * DAY_MS) : new Date());
    const from = start ?? new Date(to.getTime() - SPAN_DAYS * DAY_MS);
    if (from > to) throw fail(400, t('open311.errors.dateOrder'));
    if (to.getTime() - from.getTime() > SPAN_DAYS * DAY_MS) throw fail(400, t('open311.errors.dateSpan', { days: SPAN_DAYS }));
    const statusText = param(req, 'status');
    const status = statusText ? statusText.split(',').map((s) => s.trim().toLowerCase()) : undefined;
    if (status && !status.every((s) => s === 'open' || s === 'closed')) throw fail(400, t('open311.errors.status'));
    const code = param(req, 'service_code');
    rows = await listPublicRequests(ctx.caller, {
      typeCode: code && code.trim() !== '' ? code.trim() : undefined,
      from,
      to,
      status: status,
      limit: pageSize + 1,
      offset,
    });
  }
  if (rows.length > pageSize) {
    const next = new URL(req.url, ctx.origin);
    next.searchParams.set('page', String(page + 1));
    next.searchParams.set('page_size', String(pageSize));
    reply.header('link', `<${next.toString()}>; rel="next"`);
    rows = rows.slice(0, pageSize);
  }
  return send(reply, ctx.format, 200, rows.map((r) => requestOf(r, ctx)), 'service_requests', REQUEST_ITEMS);
}

export async function oneRequest(ctx: Open311Context, reference: string) {
  try {
    return [requestOf(await getPublicRequest(ctx.caller, reference), ctx)];
  } catch (err) {
    throw isNotFound(err) ? fail(404, ctx.t('open311.errors.requestNotFound')) : err;
  }
}

/** A token (the id POST requests answered with) → its service_request_id. */
export async function oneToken(ctx: Open311Context, token: string) {
  try {
    const r = await getPublicRequestById(ctx.caller, token);
    return [{ service_request_id: r.reference, token: r.id }];
  } catch (err) {
    throw isNotFound(err) ? fail(404, ctx.t('open311.errors.tokenNotFound')) : err;
  }
}

const isNotFound = (err: unknown) => err instanceof AppError && err.code === 'notFound';
