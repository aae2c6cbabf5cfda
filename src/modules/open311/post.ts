/**
 * POST requests: an API client files a service request with its key. Answers to the type's
 * questions come as `attribute[code]=value` (repeated, or `attribute[code][]`, for a multi-value
 * list). Contact fields (email, first_name, last_name, phone) are kept for staff and never shown.
 *
 * Retries create one request. A client may send an `Idempotency-Key` header (16 to 100 letters,
 * digits, - or _): the same key from the same API key always gives back the first request. Without
 * it, the same API key sending the same parameters again within RETRY_WINDOW_MINUTES gets the
 * first request back instead of a new one.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { submitRequest, type RawAnswers, type ReportContact, type ReportError, type ReportField } from '../requests/service.ts';
import { findApiRequest } from '../requests/public.ts';
import { param, type Open311Context } from './context.ts';
import { fail, Open311Failure, send, type Open311Error } from './format.ts';
import { authenticateApiKey } from './keys.ts';
import { REQUEST_ITEMS } from './read.ts';

export const RETRY_WINDOW_MINUTES = 10;
const WINDOW_MS = RETRY_WINDOW_MINUTES * 60_000;
const IDEMPOTENCY_HEADER = /^[A-Za-z0-9_-]{16,100}$/;
const NUMBER = /^[-+]?\d{1,3}(\.\d{1,15})?$/;

const digest = (...parts: string[]) => crypto.createHash('sha256').update(parts.join('\u0000')).digest('base64url');

/** Every parameter of the body (and query) as lists of strings, sorted, for the retry fingerprint. */
function allParams(req: FastifyRequest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of [req.query, req.body] as unknown[]) {
    if (!source || typeof source !== 'object') continue;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
      out.set(k, [...(out.get(k) ?? []), ...list]);
    }
  }
  return out;
}

/** attribute[code]=v and attribute[code][]=v → { code: v | [v, ...] }. */
function attributesOf(params: Map<string, string[]>): RawAnswers {
  const out: Record<string, string | string[]> = {};
  for (const [k, values] of params) {
    const m = /^attribute\[([^\]]{1,64})\](\[\])?$/.exec(k);
    if (!m) continue;
    const code = m[1]!;
    const list = [...(Array.isArray(out[code]) ? (out[code]) : out[code] !== undefined ? [out[code]] : []), ...values];
    out[code] = m[2] || list.length > 1 ? list : (list[0] ?? '');
  }
  return out;
}

function describe(ctx: Open311Context, field: ReportField, error: ReportError): Open311Error {
  if (field.startsWith('answer.')) return { code: 400, description: ctx.t(`open311.errors.answer.${error}`, { code: field.slice('answer.'.length) }) };
  return { code: 400, description: ctx.t(`open311.errors.field.${field}.${error}`) };
}

export async function fileRequest(req: FastifyRequest, reply: FastifyReply, ctx: Open311Context): Promise<FastifyReply> {
  const { t } = ctx;
  const apiKey = param(req, 'api_key');
  if (!apiKey) throw fail(403, t('open311.errors.apiKeyRequired'));
  const client = await authenticateApiKey(ctx.caller.db, ctx.tenant.id, apiKey);
  if (!client) throw fail(403, t('open311.errors.apiKeyInvalid'));

  const params = allParams(req);
  const code = (param(req, 'service_code') ?? '').trim();
  if (!code) throw fail(400, t('open311.errors.serviceCodeRequired'));
  const latText = (param(req, 'lat') ?? '').trim();
  const longText = (param(req, 'long') ?? '').trim();
  if ((latText === '') !== (longText === '') || (latText !== '' && !(NUMBER.test(latText) && NUMBER.test(longText)))) {
    throw fail(400, t('open311.errors.latLong'));
  }
  const location = latText ? { lat: Number(latText), lng: Number(longText) } : null;
  const email = (param(req, 'email') ?? '').trim();
  const name = [param(req, 'first_name'), param(req, 'last_name')].map((s) => (s ?? '').trim()).filter((s) => s !== '').join(' ') || null;
  const phone = (param(req, 'phone') ?? '').trim() || null;
  const contact: ReportContact = email ? { kind: 'email', email, name, phone } : { kind: 'none', name, phone };

  // One request per retry: the client's Idempotency-Key, else the same parameters within the window.
  const header = req.headers['idempotency-key'];
  const given = typeof header === 'string' ? header.trim() : undefined;
  if (given !== undefined && !IDEMPOTENCY_HEADER.test(given)) throw fail(400, t('open311.errors.idempotencyKey'));
  let keys: string[];
  if (given) {
    keys = [digest('open311', client.id, 'header', given)];
  } else {
    const fingerprint = [...params]
      .filter(([k]) => k !== 'api_key')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v.join('\u0001')}`)
      .join('\u0002');
    const bucket = Math.floor(Date.now() / WINDOW_MS);
    keys = [digest('open311', client.id, fingerprint, String(bucket)), digest('open311', client.id, fingerprint, String(bucket - 1))];
  }
  const earlier = await findApiRequest(ctx.caller, keys);
  if (earlier && (given || Date.now() - earlier.requestedAt.getTime() <= WINDOW_MS)) return answer(reply, ctx, earlier.reference, earlier.id);

  const result = await submitRequest(ctx.caller, {
    typeCode: code,
    location,
    address: param(req, 'address_string') ?? null,
    description: param(req, 'description') ?? '',
    answers: attributesOf(params),
    photos: [],
    contact,
    locale: ctx.locale,
    channel: 'api',
    idempotencyKey: keys[0]!,
  });
  if (!result.ok) {
    const entries = Object.entries(result.errors) as Array<[ReportField, ReportError]>;
    if (result.errors.type) throw fail(404, t('open311.errors.serviceNotFound'));
    throw new Open311Failure(400, entries.map(([field, error]) => describe(ctx, field, error)));
  }
  return answer(reply, ctx, result.request.reference, result.request.id);
}

function answer(reply: FastifyReply, ctx: Open311Context, reference: string, id: string): FastifyReply {
  const body = [{ service_request_id: reference, token: id, service_notice: ctx.t('open311.serviceNotice'), account_id: null }];
  return send(reply, ctx.format, 200, body, 'service_requests', REQUEST_ITEMS);
}

