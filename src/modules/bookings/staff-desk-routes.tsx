/**
 * Staff booking pages at the desk, under /fr and /en:
 *   GET  /staff/bookings/bookings/:id            one booking
 *   POST /staff/bookings/bookings/:id/move       move it to another session of the activity
 *   POST /staff/bookings/bookings/:id/cancel     cancel it
 *   POST /staff/bookings/bookings/:id/paid       mark it paid at the counter
 *   POST /staff/bookings/bookings/:id/refund     refund it (cancelled and paid)
 *   GET  /staff/bookings/residency               residency requests to review
 *   GET  /staff/bookings/residency/:id           one request
 *   POST /staff/bookings/residency/:id/approve   approve until a date
 *   POST /staff/bookings/residency/:id/refuse    refuse with a reason
 * And the resident's side of residency:
 *   GET, POST /residency                         ask to be recognised as a resident
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireResident } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { can } from '../../platform/permissions.ts';
import { href, type PageContext } from '../../web/context.ts';
import { newIdempotencyKey, type BookingCaller } from './service.ts';
import { idOf, idParams, keyOf, staffBookingCaller } from './staff-routes.tsx';
import type { StaffBookingCaller } from './staff/caller.ts';
import { cancelBookingByStaff, getBookingForStaff, markBookingPaid, moveBooking, refundBooking, type DeskRefusal, type DeskResult } from './staff/desk.ts';
import { approveForm, buttonForm, moveForm, refuseForm, residencyForm, validDay } from './staff/forms.ts';
import { decideResidency, getResidencyRequest, listResidencyRequests, myResidency, requestResidency } from './staff/residency.ts';
import { StaffBookingPage } from './views/staff/booking.tsx';
import { doneQuery, doneCode, type DoneCode } from './views/staff/layout.tsx';
import { MyResidencyPage, ResidencyQueuePage, ResidencyReviewPage } from './views/staff/residency.tsx';

const done = (req: FastifyRequest) => doneCode((req.query as { done?: string }).done);

export async function bookingDeskRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;

  async function renderBooking(req: FastifyRequest, reply: FastifyReply, c: StaffBookingCaller, errors: Record<string, string> = {}, moveTo = '', status = 200) {
    const booking = await getBookingForStaff(c, idOf(req));
    if (!booking) throw new AppError('notFound');
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      <StaffBookingPage ctx={ctx} booking={booking} canManage={can(c.principal, 'bookings.manage')} errors={errors} moveTo={moveTo} done={status === 200 ? done(req) : undefined} />,
      status,
    );
  }

  app.get('/staff/bookings/bookings/:id', { schema: { params: idParams, querystring: doneQuery } }, async (req, reply) => {
    return renderBooking(req, reply, await staffBookingCaller(req));
  });

  /** After an action: back to the booking with its message, or the page again with why not (field `field`). */
  async function answer(req: FastifyRequest, reply: FastifyReply, c: StaffBookingCaller, result: DeskResult, code: DoneCode, field: string, moveTo = '') {
    const ctx = pageContext(req, reply);
    if (result.ok) return seeOther(reply, href(ctx, `/staff/bookings/bookings/${idOf(req).toLowerCase()}?done=${code}`));
    const status = result.code === 'full' || result.code === 'alreadyThere' || result.code === 'notLive' ? 409 : 422;
    return renderBooking(req, reply, c, { [field]: refusal(ctx, result.code) }, moveTo, status);
  }

  const refusal = (ctx: PageContext, code: DeskRefusal) => ctx.t(`staffBookings.refusals.${code}`);

  app.post('/staff/bookings/bookings/:id/move', { schema: { params: idParams, body: moveForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = moveForm.parse(req.body, ctx.t);
    if (!parsed.ok) return renderBooking(req, reply, c, parsed.errors, parsed.values.session, 422);
    const result = await moveBooking(c, idOf(req), parsed.values.session);
    return answer(req, reply, c, result, 'moved', 'session', parsed.values.session);
  });

  app.post('/staff/bookings/bookings/:id/cancel', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    return answer(req, reply, c, await cancelBookingByStaff(c, idOf(req)), 'cancelled', 'status');
  });

  app.post('/staff/bookings/bookings/:id/paid', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    return answer(req, reply, c, await markBookingPaid(c, idOf(req)), 'paid', 'status');
  });

  app.post('/staff/bookings/bookings/:id/refund', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    return answer(req, reply, c, await refundBooking(c, idOf(req)), 'refunded', 'status');
  });

  // ---- residency: staff review ------------------------------------------------------------------

  app.get('/staff/bookings/residency', { schema: { querystring: doneQuery } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const { pending, decided } = await listResidencyRequests(c);
    return sendPage(reply, <ResidencyQueuePage ctx={pageContext(req, reply)} pending={pending} decided={decided} done={done(req)} />);
  });

  async function renderReview(req: FastifyRequest, reply: FastifyReply, c: StaffBookingCaller, values = { validUntil: '', reason: '' }, errors: Record<string, string> = {}, status = 200) {
    const request = await getResidencyRequest(c, idOf(req));
    if (!request) throw new AppError('notFound');
    return sendPage(reply, <ResidencyReviewPage ctx={pageContext(req, reply)} request={request} values={values} errors={errors} />, status);
  }

  app.get('/staff/bookings/residency/:id', { schema: { params: idParams } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const year = new Date().getUTCFullYear() + 1;
    return renderReview(req, reply, c, { validUntil: `${year}-12-31`, reason: '' });
  });

  app.post('/staff/bookings/residency/:id/approve', { schema: { params: idParams, body: approveForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = approveForm.parse(req.body, ctx.t);
    const value = parsed.values.validUntil;
    const today = new Date().toISOString().slice(0, 10);
    let error = parsed.ok ? undefined : parsed.errors.validUntil;
    if (!error && !validDay(value)) error = ctx.t('staffBookings.errors.day', { label: ctx.t('staffBookings.fields.validUntil') });
    if (!error && value < today) error = ctx.t('staffBookings.errors.dayPast');
    if (!error) {
      await decideResidency(c, idOf(req), { status: 'approved', validUntil: value });
      return seeOther(reply, href(ctx, '/staff/bookings/residency?done=approved'));
    }
    return renderReview(req, reply, c, { validUntil: value, reason: '' }, { validUntil: error }, 422);
  });

  app.post('/staff/bookings/residency/:id/refuse', { schema: { params: idParams, body: refuseForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = refuseForm.parse(req.body, ctx.t);
    if (parsed.ok) {
      await decideResidency(c, idOf(req), { status: 'refused', reason: parsed.values.reason });
      return seeOther(reply, href(ctx, '/staff/bookings/residency?done=refused'));
    }
    return renderReview(req, reply, c, { validUntil: '', reason: parsed.values.reason }, parsed.errors, 422);
  });

  // ---- residency: the resident asks -------------------------------------------------------------

  const residentCaller = (req: FastifyRequest): BookingCaller => ({
    db,
    tenant: requireTenant(req),
    resident: requireResident(req),
    ip: req.ip,
    publicUrl: config.publicUrl,
  });

  app.get('/residency', { schema: { querystring: { type: 'object', properties: { sent: { type: 'string', maxLength: 3 } }, additionalProperties: false } } }, async (req, reply) => {
    const c = residentCaller(req);
    const status = await myResidency(c);
    const values = { address: status.request?.address ?? '', proof: '' };
    const sent = (req.query as { sent?: string }).sent === '1';
    return sendPage(reply, <MyResidencyPage ctx={pageContext(req, reply)} status={status} values={values} errors={{}} idempotencyKey={newIdempotencyKey()} sent={sent} />);
  });

  app.post('/residency', { schema: { body: residencyForm.bodySchema } }, async (req, reply) => {
    const c = residentCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = residencyForm.parse(req.body, ctx.t);
    const key = keyOf(req.body);
    if (parsed.ok && key) {
      await requestResidency(c, parsed.values, key);
      return seeOther(reply, href(ctx, '/residency?sent=1'));
    }
    const errors = parsed.ok ? { address: ctx.t('staffBookings.errors.resend') } : parsed.errors;
    const status = await myResidency(c);
    return sendPage(reply, <MyResidencyPage ctx={ctx} status={status} values={parsed.values} errors={errors} idempotencyKey={key ?? newIdempotencyKey()} />, 422);
  });
}
