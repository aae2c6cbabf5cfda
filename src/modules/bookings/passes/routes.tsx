/**
 * Residents' passes and calendars, under /fr and /en:
 *   GET  /bookings/:id/pass           the pass of a confirmed booking (owner only; 404 otherwise)
 *   GET  /bookings/:id/calendar.ics   the booking as an iCalendar file (owner only)
 *   GET  /bookings/calendar           the personal calendar feed's secret address
 *   POST /bookings/calendar/reset     a new address (the former one stops working)
 *   GET  /calendar/:token.ics         the feed itself, for calendar apps (the token is the proof)
 * And, without a language prefix, the town's public keys for checking passes:
 *   GET  /passes/keys.json            JWK Set (Ed25519), per town (by host name)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { requireResident } from '../../../platform/auth/session.ts';
import { AppError } from '../../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../../platform/http.ts';
import { href } from '../../../web/context.ts';
import { bookingCalendar, feedCalendar, feedToken, resetFeed } from '../calendar/service.ts';
import { FeedPage } from '../calendar/views/feed.tsx';
import { buttonForm, idParams, noticeQuery } from '../schemas.ts';
import './demo.ts';
import { publicKeySet } from './keys.ts';
import { getPass, type PassCaller } from './service.ts';
import { PassPage } from './views/pass.tsx';

const feedParams = {
  type: 'object',
  properties: { file: { type: 'string', maxLength: 80 } },
  required: ['file'],
} as const;

/** The QR code as inline SVG: about 4 cm wide on paper, crisp at any zoom. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 288 });
}

export async function passRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;

  const caller = (req: FastifyRequest): PassCaller => ({
    db,
    tenant: requireTenant(req),
    resident: requireResident(req),
    ip: req.ip,
    publicUrl: config.publicUrl,
    sessionSecret: config.sessionSecret,
  });

  app.get('/bookings/:id/pass', { schema: { params: idParams } }, async (req, reply) => {
    const pass = await getPass(caller(req), (req.params as { id: string }).id);
    if (!pass) throw new AppError('notFound');
    return sendPage(reply, <PassPage ctx={pageContext(req, reply)} pass={pass} qrSvg={await qrSvg(pass.token)} />);
  });

  app.get('/bookings/:id/calendar.ics', { schema: { params: idParams } }, async (req, reply) => {
    const ics = await bookingCalendar(caller(req), (req.params as { id: string }).id, req.locale);
    if (ics === null) throw new AppError('notFound');
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', 'attachment; filename="booking.ics"')
      .header('cache-control', 'no-store')
      .send(ics);
  });

  app.get('/bookings/calendar', { schema: { querystring: noticeQuery } }, async (req, reply) => {
    const c = caller(req);
    const token = await feedToken(c);
    const done = (['reset', 'created'] as const).find((d) => d === (req.query as { done?: string }).done);
    const address = token ? `${config.publicUrl}${href({ locale: req.locale }, `/calendar/${token}.ics`)}` : null;
    return sendPage(reply, <FeedPage ctx={pageContext(req, reply)} address={address} notice={done} />);
  });

  app.post('/bookings/calendar/reset', { schema: { body: buttonForm.bodySchema } }, async (req, reply) => {
    const c = caller(req);
    const had = (await feedToken(c)) !== null;
    await resetFeed(c);
    return seeOther(reply, href({ locale: req.locale }, `/bookings/calendar?done=${had ? 'reset' : 'created'}`));
  });

  app.get('/calendar/:file', { schema: { params: feedParams } }, async (req, reply) => {
    const file = (req.params as { file: string }).file;
    const ics = file.endsWith('.ics') ? await feedCalendar(db, requireTenant(req), config.publicUrl, file.slice(0, -'.ics'.length), req.locale) : null;
    if (ics === null) throw new AppError('notFound');
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      // The address is the secret: never sent on to another site.
      .header('referrer-policy', 'no-referrer')
      .send(ics);
  });
}

/** The town's public keys (no language prefix): what anyone needs to check a pass offline. */
export async function passKeyRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  app.get('/passes/keys.json', async (req, reply) => {
    const keys = await publicKeySet(db, config.sessionSecret, requireTenant(req).id);
    return reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(keys);
  });
}
