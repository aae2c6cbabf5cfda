/**
 * The door scanner, for staff, under /fr and /en:
 *   GET  /staff/scanner                 choose a session of today; with ?session=, the door for it
 *   POST /staff/scanner                 a typed or pasted code, checked on the server (works without JavaScript)
 *   GET  /staff/scanner/day.json        the day's list and the town's public keys, for working offline
 *   POST /staff/scanner/sync            arrivals the page recorded (online or offline), JSON, each entered once
 *   GET  /staff/scanner-sw.js           the service worker that keeps the page working offline
 *   GET  /staff/scanner/jsqr.js         the QR decoder used where the browser has no BarcodeDetector
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff } from '../../../platform/auth/session.ts';
import { AppError } from '../../../platform/errors.ts';
import { defineForm } from '../../../platform/forms.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../../platform/http.ts';
import { href, type PageContext } from '../../../web/context.ts';
import { staffPrincipal } from '../../departments/service.ts';
import { checkIn, CLIENT_ID, dayPack, getCheckin, sessionsOfDay, syncCheckins, type CheckInResult, type StaffCaller, type SyncItem } from './service.ts';
import { ScannerPage, type ShownResult } from './views/scanner.tsx';
import { validDays } from '../passes/views/pass.tsx';

const STATIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/static');
const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');

const checkForm = defineForm({
  session: { kind: 'text', required: true, max: 36, label: 'passes.scanner.session' },
  code: { kind: 'multiline', required: true, max: 400, label: 'passes.scanner.code' },
});

const scannerQuery = {
  type: 'object',
  properties: {
    session: { type: 'string', maxLength: 64 },
    checkin: { type: 'string', maxLength: 64 },
    again: { type: 'string', maxLength: 4 },
  },
  additionalProperties: false,
} as const;

const syncBody = {
  type: 'object',
  required: ['items'],
  properties: {
    _csrf: { type: 'string', maxLength: 200 },
    items: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        required: ['clientId', 'code', 'sessionId', 'scannedAt', 'method'],
        additionalProperties: false,
        properties: {
          clientId: { type: 'string', pattern: CLIENT_ID.source },
          code: { type: 'string', maxLength: 400 },
          sessionId: { type: 'string', maxLength: 36 },
          scannedAt: { type: 'string', maxLength: 40 },
          method: { type: 'string', enum: ['camera', 'typed'] },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refusal in words, with the pass's days when it was for another day. */
export function problemMessage(ctx: PageContext, result: Extract<CheckInResult, { status: 'refused' }>): string {
  const base = ctx.t(`passes.problems.${result.problem}`);
  if ((result.problem === 'notYet' || result.problem === 'expired') && result.validFrom && result.validUntil) {
    return `${base} ${ctx.t('passes.scanner.validOn', { days: validDays(ctx, result.validFrom, result.validUntil) })}`;
  }
  return base;
}

export async function scannerRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;

  const caller = async (req: FastifyRequest): Promise<StaffCaller> => {
    const tenant = requireTenant(req);
    const staff = requireStaff(req);
    return { db, tenant, principal: await staffPrincipal(db, tenant.id, staff), ip: req.ip, sessionSecret: config.sessionSecret };
  };

  async function render(req: FastifyRequest, reply: FastifyReply, c: StaffCaller, opts: { sessionId: string; result: ShownResult | null; code?: string; errors?: Record<string, string> }, status = 200) {
    const { day, sessions } = await sessionsOfDay(c);
    const session = sessions.find((s) => s.id === opts.sessionId.toLowerCase()) ?? null;
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      <ScannerPage
        ctx={ctx}
        day={day}
        sessions={sessions}
        session={session}
        result={opts.result}
        code={opts.code ?? ''}
        errors={opts.errors ?? {}}
        clientId={crypto.randomBytes(18).toString('base64url')}
      />,
      status,
    );
  }

  app.get('/staff/scanner', { schema: { querystring: scannerQuery } }, async (req, reply) => {
    const c = await caller(req);
    const q = req.query as { session?: string; again?: string; checkin?: string };
    // After a check (POST then redirect): the arrival the server recorded.
    const checkin = q.checkin ? await getCheckin(c, q.checkin) : null;
    const result: ShownResult | null = checkin
      ? { kind: q.again === '1' ? 'already' : 'valid', name: checkin.name, activity: checkin.activity[req.locale], at: checkin.checkedInAt }
      : null;
    return render(req, reply, c, { sessionId: q.session ?? checkin?.sessionId ?? '', result });
  });

  app.post('/staff/scanner', { schema: { body: checkForm.bodySchema } }, async (req, reply) => {
    const c = await caller(req);
    const ctx = pageContext(req, reply);
    const body = req.body as Record<string, string | undefined>;
    const parsed = checkForm.parse(body, ctx.t);
    const sessionId = parsed.values.session;
    if (!UUID.test(sessionId)) throw new AppError('badRequest');
    if (!parsed.ok) return render(req, reply, c, { sessionId, result: null, code: parsed.values.code, errors: { code: ctx.t('passes.scanner.codeMissing') } }, 422);
    // A form that lost its key still works; it only loses the protection against a second send.
    const clientId = body._idem && CLIENT_ID.test(body._idem) ? body._idem : crypto.randomBytes(18).toString('base64url');
    const result = await checkIn(c, { code: parsed.values.code, sessionId, clientId, method: 'typed' });
    if (result.status === 'refused') {
      const message = problemMessage(ctx, result);
      return render(req, reply, c, { sessionId, result: { kind: 'refused', message, name: result.name }, code: parsed.values.code, errors: { code: message } }, 422);
    }
    const query = new URLSearchParams({
      session: sessionId,
      checkin: result.checkinId,
      ...(result.status === 'already' ? { again: '1' } : {}),
    });
    return seeOther(reply, `${href(ctx, '/staff/scanner')}?${query.toString()}`);
  });

  app.get('/staff/scanner/day.json', async (req, reply) => {
    const pack = await dayPack(await caller(req));
    return reply.header('cache-control', 'no-store').send(pack);
  });

  app.post('/staff/scanner/sync', { schema: { body: syncBody } }, async (req, reply) => {
    const c = await caller(req);
    const items = (req.body as { items: SyncItem[] }).items;
    const results = await syncCheckins(c, items);
    const ctx = pageContext(req, reply);
    return reply.header('cache-control', 'no-store').send({
      results: results.map(({ clientId, result }) =>
        result.status === 'refused'
          ? { clientId, status: result.status, problem: result.problem, name: result.name, message: problemMessage(ctx, result) }
          : { clientId, status: result.status, bookingId: result.bookingId, name: result.name, checkedInAt: result.checkedInAt.toISOString() },
      ),
    });
  });

  // Nothing secret in it: served to anyone, so that an update check never meets a sign-in redirect.
  app.get('/staff/scanner-sw.js', async (_req, reply) => {
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await fs.promises.readFile(path.join(STATIC, 'scanner-sw.js'), 'utf8'));
  });

  app.get('/staff/scanner/jsqr.js', async (_req, reply) => {
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(await fs.promises.readFile(JSQR, 'utf8'));
  });
}
