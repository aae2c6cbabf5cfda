/**
 * Staff booking pages, under /fr and /en (staff sign-in; each use case checks bookings.view,
 * bookings.serve or bookings.manage):
 *   GET       /staff/bookings                           facilities and activities
 *   GET, POST /staff/bookings/new                       create one
 *   GET       /staff/bookings/activities/:id            its sessions, forms to add one or a weekly series
 *   GET, POST /staff/bookings/activities/:id/edit       change it
 *   POST      /staff/bookings/activities/:id/sessions   add a session
 *   POST      /staff/bookings/activities/:id/series     add a weekly series
 *   GET       /staff/bookings/sessions/:id              roster (printable), capacity, cancellation, draw
 *   GET       /staff/bookings/sessions/:id/roster.csv   the roster as CSV
 *   POST      /staff/bookings/sessions/:id/capacity     change the capacity (never below the places taken)
 *   POST      /staff/bookings/sessions/:id/cancel       cancel the session, everyone told by email
 *   POST      /staff/bookings/sessions/:id/draw         run the lottery draw
 * Bookings and residency: staff-desk-routes.tsx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff } from '../../platform/auth/session.ts';
import { csvSeparatorFor, toCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { can } from '../../platform/permissions.ts';
import { href } from '../../web/context.ts';
import { staffPrincipal } from '../departments/service.ts';
import { dayIn } from './format.ts';
import { formatMoney } from './rules.ts';
import { IDEMPOTENCY_KEY, newIdempotencyKey } from './service.ts';
import type { StaffBookingCaller } from './staff/caller.ts';
import {
  addSessionsByStaff,
  changeCapacity,
  cancelSessionByStaff,
  createActivityByStaff,
  ensureCanManage,
  getActivityForStaff,
  listActivitiesForStaff,
  runDrawByStaff,
  updateActivityByStaff,
} from './staff/catalogue.ts';
import { getRoster } from './staff/desk.ts';
import {
  activityForm,
  activityValues,
  blankActivity,
  buttonForm,
  capacityForm,
  parseActivity,
  parseSeries,
  parseSession,
  parseWhole,
  seriesForm,
  sessionForm,
  type SeriesValues,
  type SessionValues,
} from './staff/forms.ts';
import { ActivityFormPage, StaffActivitiesPage } from './views/staff/activities.tsx';
import { StaffActivityPage } from './views/staff/activity.tsx';
import { doneCode, doneQuery } from './views/staff/layout.tsx';
import { StaffSessionPage } from './views/staff/session.tsx';

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

/** The signed-in staff member as a caller (a sign-in redirect when nobody is signed in). */
export async function staffBookingCaller(req: FastifyRequest): Promise<StaffBookingCaller> {
  const tenant = requireTenant(req);
  const staff = requireStaff(req);
  const { db, config } = req.server.deps;
  const principal = await staffPrincipal(db, tenant.id, staff);
  return { db, principal, ip: req.ip, tenant, publicUrl: config.publicUrl };
}

export const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const done = (req: FastifyRequest) => doneCode((req.query as { done?: string }).done);

/** The form's key as posted, or a fresh one when it is missing or malformed (then the post is not a retry). */
export function keyOf(body: unknown): string | null {
  const key = (body as { _idem?: unknown } | undefined)?._idem;
  return typeof key === 'string' && IDEMPOTENCY_KEY.test(key) ? key : null;
}

const EMPTY_SESSION: SessionValues = { startsAt: '', endsAt: '', capacity: '' };
const EMPTY_SERIES: SeriesValues = { firstStartsAt: '', minutes: '60', weeks: '10', seriesCapacity: '' };

export async function bookingStaffRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/bookings', { schema: { querystring: doneQuery } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const activities = await listActivitiesForStaff(c);
    return sendPage(reply, <StaffActivitiesPage ctx={pageContext(req, reply)} activities={activities} canManage={can(c.principal, 'bookings.manage')} done={done(req)} />);
  });

  app.get('/staff/bookings/new', async (req, reply) => {
    const c = await staffBookingCaller(req);
    await ensureCanManage(c);
    const ctx = pageContext(req, reply);
    return sendPage(reply, <ActivityFormPage ctx={ctx} activity={null} values={blankActivity(c.tenant.timeZone, new Date())} errors={{}} idempotencyKey={newIdempotencyKey()} />);
  });

  app.post('/staff/bookings/new', { schema: { body: activityForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    await ensureCanManage(c);
    const ctx = pageContext(req, reply);
    const parsed = parseActivity(req.body, ctx.t, c.tenant.timeZone);
    const key = keyOf(req.body) ?? newIdempotencyKey();
    if (parsed.ok) {
      const saved = await createActivityByStaff(c, parsed.input, key);
      if (saved.ok) return seeOther(reply, href(ctx, `/staff/bookings/activities/${saved.id}?done=created`));
    }
    const errors = parsed.ok ? { slug: ctx.t('staffBookings.errors.slugTaken') } : parsed.errors;
    return sendPage(reply, <ActivityFormPage ctx={ctx} activity={null} values={parsed.values} errors={errors} idempotencyKey={key} />, 422);
  });

  async function renderActivity(
    req: FastifyRequest,
    reply: FastifyReply,
    c: StaffBookingCaller,
    forms: { session?: { values: SessionValues; errors: Record<string, string> }; series?: { values: SeriesValues; errors: Record<string, string> } },
    status = 200,
  ) {
    const found = await getActivityForStaff(c, idOf(req));
    if (!found) throw new AppError('notFound');
    const body = req.body as { _idem?: string } | undefined;
    return sendPage(
      reply,
      <StaffActivityPage
        ctx={pageContext(req, reply)}
        activity={found.activity}
        sessions={found.sessions}
        canManage={can(c.principal, 'bookings.manage')}
        session={{ values: EMPTY_SESSION, errors: {}, ...forms.session, key: (forms.session && keyOf(body)) || newIdempotencyKey() }}
        series={{ values: EMPTY_SERIES, errors: {}, ...forms.series, key: (forms.series && keyOf(body)) || newIdempotencyKey() }}
        done={status === 200 ? done(req) : undefined}
      />,
      status,
    );
  }

  app.get('/staff/bookings/activities/:id', { schema: { params: idParams, querystring: doneQuery } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    return renderActivity(req, reply, c, {});
  });

  app.get('/staff/bookings/activities/:id/edit', { schema: { params: idParams } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    await ensureCanManage(c);
    const found = await getActivityForStaff(c, idOf(req));
    if (!found) throw new AppError('notFound');
    return sendPage(reply, <ActivityFormPage ctx={pageContext(req, reply)} activity={found.activity} values={activityValues(found.activity, c.tenant.timeZone)} errors={{}} />);
  });

  app.post('/staff/bookings/activities/:id/edit', { schema: { params: idParams, body: activityForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    await ensureCanManage(c);
    const ctx = pageContext(req, reply);
    const found = await getActivityForStaff(c, idOf(req));
    if (!found) throw new AppError('notFound');
    const parsed = parseActivity(req.body, ctx.t, c.tenant.timeZone);
    if (parsed.ok) {
      const saved = await updateActivityByStaff(c, found.activity.id, parsed.input);
      if (saved.ok) return seeOther(reply, href(ctx, `/staff/bookings/activities/${saved.id}?done=saved`));
    }
    const errors = parsed.ok ? { slug: ctx.t('staffBookings.errors.slugTaken') } : parsed.errors;
    return sendPage(reply, <ActivityFormPage ctx={ctx} activity={found.activity} values={parsed.values} errors={errors} />, 422);
  });

  app.post('/staff/bookings/activities/:id/sessions', { schema: { params: idParams, body: sessionForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = parseSession(req.body, ctx.t, c.tenant.timeZone);
    const key = keyOf(req.body);
    if (parsed.ok && key) {
      await addSessionsByStaff(c, idOf(req), [parsed.input], key);
      return seeOther(reply, href(ctx, `/staff/bookings/activities/${idOf(req).toLowerCase()}?done=sessionAdded`));
    }
    await ensureCanManage(c);
    return renderActivity(req, reply, c, { session: { values: parsed.values, errors: parsed.ok ? { startsAt: ctx.t('staffBookings.errors.resend') } : parsed.errors } }, 422);
  });

  app.post('/staff/bookings/activities/:id/series', { schema: { params: idParams, body: seriesForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = parseSeries(req.body, ctx.t, c.tenant.timeZone);
    const key = keyOf(req.body);
    if (parsed.ok && key) {
      await addSessionsByStaff(c, idOf(req), parsed.input, key);
      return seeOther(reply, href(ctx, `/staff/bookings/activities/${idOf(req).toLowerCase()}?done=seriesAdded`));
    }
    await ensureCanManage(c);
    return renderActivity(req, reply, c, { series: { values: parsed.values, errors: parsed.ok ? { firstStartsAt: ctx.t('staffBookings.errors.resend') } : parsed.errors } }, 422);
  });

  async function renderSession(req: FastifyRequest, reply: FastifyReply, c: StaffBookingCaller, capacity?: { value: string; errors: Record<string, string> }, status = 200, problem?: string) {
    const detail = await getRoster(c, idOf(req));
    if (!detail) throw new AppError('notFound');
    return sendPage(
      reply,
      <StaffSessionPage
        ctx={pageContext(req, reply)}
        detail={detail}
        canManage={can(c.principal, 'bookings.manage')}
        capacity={capacity ?? { value: String(detail.session.capacity), errors: {} }}
        done={status === 200 ? done(req) : undefined}
        problem={problem}
      />,
      status,
    );
  }

  app.get('/staff/bookings/sessions/:id', { schema: { params: idParams, querystring: doneQuery } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    return renderSession(req, reply, c);
  });

  app.get('/staff/bookings/sessions/:id/roster.csv', { schema: { params: idParams } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const detail = await getRoster(c, idOf(req));
    if (!detail) throw new AppError('notFound');
    const { t, locale } = ctx;
    const header = ['participant', 'bookedBy', 'email', 'phone', 'status', 'payment', 'amount', 'rate'].map((k) => t(`staffBookings.csv.${k}`));
    const rows = detail.lines.map((l) => [
      l.participant,
      l.bookedBy ?? '',
      l.email,
      l.phone ?? '',
      t(`bookings.status.${l.status}`),
      t(`staffBookings.csv.payments.${l.priceCents === 0 ? 'free' : l.payment}`),
      formatMoney(locale, l.priceCents),
      t(`staffBookings.rates.${l.rate}`),
    ]);
    const day = dayIn(c.tenant.timeZone, detail.session.startsAt);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="roster-${detail.activity.slug}-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(toCsv(header, rows, csvSeparatorFor(locale)));
  });

  app.post('/staff/bookings/sessions/:id/capacity', { schema: { params: idParams, body: capacityForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const parsed = capacityForm.parse(req.body, ctx.t);
    const value = parsed.values.capacity;
    const capacity = parseWhole(value, 0, 100_000);
    let error = parsed.ok ? undefined : parsed.errors.capacity;
    if (!error && capacity === null) error = ctx.t('staffBookings.errors.whole', { label: ctx.t('staffBookings.fields.capacity'), min: 0, max: 100_000 });
    if (!error && capacity !== null) {
      const result = await changeCapacity(c, idOf(req), capacity);
      if (result.ok) return seeOther(reply, href(ctx, `/staff/bookings/sessions/${idOf(req).toLowerCase()}?done=capacity`));
      error = ctx.t('staffBookings.errors.belowTaken', { taken: result.taken });
    }
    await ensureCanManage(c);
    return renderSession(req, reply, c, { value, errors: { capacity: error! } }, 422);
  });

  app.post('/staff/bookings/sessions/:id/cancel', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    await cancelSessionByStaff(c, idOf(req));
    return seeOther(reply, href(pageContext(req, reply), `/staff/bookings/sessions/${idOf(req).toLowerCase()}?done=sessionCancelled`));
  });

  app.post('/staff/bookings/sessions/:id/draw', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const c = await staffBookingCaller(req);
    const ctx = pageContext(req, reply);
    const detail = await getRoster(c, idOf(req));
    if (!detail) throw new AppError('notFound');
    const { activity, session } = detail;
    if (activity.mode !== 'lottery' || !activity.lotteryClosesAt || activity.lotteryClosesAt > detail.now || session.cancelled) {
      await ensureCanManage(c);
      return renderSession(req, reply, c, undefined, 409, ctx.t(activity.mode === 'lottery' ? 'staffBookings.draw.tooEarly' : 'staffBookings.draw.notLottery'));
    }
    await runDrawByStaff(c, session.id);
    return seeOther(reply, href(ctx, `/staff/bookings/sessions/${session.id}?done=drawn`));
  });
}
