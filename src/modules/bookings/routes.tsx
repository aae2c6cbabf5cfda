/**
 * Residents' booking pages, under /fr and /en:
 *   GET  /activities              browse by date and age
 *   GET  /activities/:slug        the activity, its sessions and places left, the booking form
 *   POST /activities/:slug        hold a place (→ /bookings/:id), join a waitlist, enter a lottery
 *   GET  /bookings                my bookings, waitlists and lottery entries
 *   GET  /bookings/:id            confirm a held place (expiry stated in text), or the booking
 *   POST /bookings/:id/confirm    confirm (free, or pay at the counter)
 *   POST /bookings/:id/cancel     release a hold or cancel under the activity's rule
 *   POST /waitlist/:id/leave      leave a waitlist
 * No booking route has the tight per-address limit: on registration day many families share one
 * address (a library, a workplace); the broad limit and the one-place-per-person rule apply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireResident } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { href, type PageContext } from '../../web/context.ts';
import { listHousehold } from '../residents/household.ts';
import { getActivity, browseActivities } from './catalogue.ts';
import './demo.ts';
import './file-source.ts';
import { getDrawRecord } from './lottery.ts';
import { paymentMethods } from '../../platform/payments.ts';
import { ageOn, dateIn, REFUSALS, type RefusalCode } from './rules.ts';
import { bookForm, buttonForm, confirmForm, drawParams, filterQuery, idParams, noticeQuery, parseAge, slugParams, validDate, type BookAction } from './schemas.ts';
import {
  BookingRefusal,
  cancelBooking,
  confirmBooking,
  enterLottery,
  getBooking,
  holdPlace,
  joinWaitlist,
  leaveWaitlist,
  listMyBookings,
  IDEMPOTENCY_KEY,
  newIdempotencyKey as newKey,
  type BookingCaller,
} from './service.ts';
// Registers the sweep of lapsed holds and due draws as a periodic job (platform/periodic.ts).
import './sweep.ts';
import { ActivitiesPage } from './views/activities.tsx';
import { ActivityPage, type BookValues } from './views/activity.tsx';
import { BookingPage } from './views/booking.tsx';
import { DrawPage } from './views/draw.tsx';
import { MyBookingsPage, RefusalPage } from './views/mine.tsx';
import { agesOf, when } from './views/parts.tsx';

/** Refusals about who the place is for are shown at the participant field; the others at the session. */
const PARTICIPANT_REFUSALS: ReadonlySet<RefusalCode> = new Set([
  'ineligibleAge',
  'ineligibleAgeSelf',
  'birthDateRequired',
  'memberRequired',
  'unknownMember',
  'alreadyBooked',
  'alreadyWaiting',
  'alreadyEntered',
]);

/** The refusal's values as the page says them: dates in the town's time, the age group in words. */
function refusalParams(ctx: PageContext, err: BookingRefusal): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err.params)) out[k] = v instanceof Date ? when(ctx, v) : v;
  if ('min' in err.params || 'max' in err.params) {
    const n = (v: unknown) => (typeof v === 'number' ? v : null);
    out.ages = agesOf(ctx, { minAge: n(err.params.min), maxAge: n(err.params.max) });
  }
  return out;
}

export async function bookingRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;

  // A refusal explains itself on a page of its own, in the page's language, with the right status.
  app.setErrorHandler((err, req, reply) => {
    if (!(err instanceof BookingRefusal)) throw err;
    const ctx = pageContext(req, reply);
    return sendPage(reply, <RefusalPage ctx={ctx} code={err.code} params={refusalParams(ctx, err)} activitySlug={err.activitySlug} />, err.status);
  });

  const caller = (req: FastifyRequest): BookingCaller => ({
    db,
    tenant: requireTenant(req),
    resident: requireResident(req),
    ip: req.ip,
    publicUrl: config.publicUrl,
  });

  app.get('/activities', { schema: { querystring: filterQuery } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const query = req.query as { date?: string; age?: string };
    const values = { date: (query.date ?? '').trim(), age: (query.age ?? '').trim() };
    const errors: Record<string, string> = {};
    if (values.date !== '' && !validDate(values.date)) errors.date = ctx.t('bookings.list.invalidDate');
    const age = values.age === '' ? null : parseAge(values.age);
    if (values.age !== '' && age === null) errors.age = ctx.t('bookings.list.invalidAge');
    const hasErrors = Object.keys(errors).length > 0;
    const activities = await browseActivities(db, ctx.tenant, {
      date: values.date !== '' && !errors.date ? values.date : null,
      age: errors.age ? null : age,
    });
    return sendPage(reply, <ActivitiesPage ctx={ctx} activities={activities} values={values} errors={errors} now={new Date()} />, hasErrors ? 422 : 200);
  });

  async function renderActivity(req: FastifyRequest, reply: FastifyReply, values: BookValues | null, errors: Record<string, string>, status: number, idem?: string) {
    const ctx = pageContext(req, reply);
    const found = await getActivity(db, ctx.tenant, (req.params as { slug: string }).slug, req.resident ? { residentId: req.resident.id } : undefined);
    if (!found) throw new AppError('notFound');
    let members = null;
    if (req.resident) {
      const today = dateIn(ctx.tenant.timeZone, found.now);
      members = (await listHousehold(caller(req))).map((m) => ({ id: m.id, name: m.name, age: ageOn(m.birthDate, today) }));
    }
    const isResident = found.viewerIsResident;
    const chosen = values ?? { session: '', participant: members && members.length === 0 ? 'self' : '' };
    return sendPage(
      reply,
      <ActivityPage
        ctx={ctx}
        activity={found.activity}
        sessions={found.sessions}
        now={found.now}
        members={members}
        isResident={isResident}
        values={chosen}
        errors={errors}
        idempotencyKey={idem ?? newKey()}
      />,
      status,
    );
  }

  app.get('/activities/:slug', { schema: { params: slugParams } }, async (req, reply) => renderActivity(req, reply, null, {}, 200));

  app.post('/activities/:slug', { schema: { params: slugParams, body: bookForm.bodySchema } }, async (req, reply) => {
    const c = caller(req);
    const t = pageContext(req, reply).t;
    const body = req.body as Record<string, unknown>;
    const sentKey = typeof body._idem === 'string' && IDEMPOTENCY_KEY.test(body._idem) ? body._idem : undefined;
    // A form that lost its key still works; it only loses the protection against a second send.
    const idempotencyKey = sentKey ?? newKey();
    const parsed = bookForm.parse(body, t);
    const values = { session: parsed.values.session, participant: parsed.values.participant };
    if (!parsed.ok) {
      const errors: Record<string, string> = {};
      if (parsed.errors.session) errors.session = t('bookings.activity.chooseSession');
      if (parsed.errors.participant) errors.participant = t('bookings.activity.chooseParticipant');
      return renderActivity(req, reply, values, Object.keys(errors).length > 0 ? errors : parsed.errors, 422, idempotencyKey);
    }
    const action = (parsed.values.action || 'hold') as BookAction;
    const input = { sessionId: values.session, participant: values.participant };
    try {
      if (action === 'waitlist') {
        await joinWaitlist(c, input);
        return seeOther(reply, href({ locale: req.locale }, '/bookings?done=joined'));
      }
      if (action === 'lottery') {
        await enterLottery(c, input);
        return seeOther(reply, href({ locale: req.locale }, '/bookings?done=entered'));
      }
      const held = await holdPlace(c, { ...input, idempotencyKey });
      return seeOther(reply, href({ locale: req.locale }, `/bookings/${held.bookingId}`));
    } catch (err) {
      if (!(err instanceof BookingRefusal)) {
        // An unknown session id is a wrong choice in the form, not a missing page.
        if (err instanceof AppError && err.code === 'notFound') {
          return renderActivity(req, reply, values, { session: t('bookings.activity.chooseSession') }, 422, idempotencyKey);
        }
        throw err;
      }
      const ctx = pageContext(req, reply);
      const field = PARTICIPANT_REFUSALS.has(err.code) ? 'participant' : 'session';
      const message = t(`bookings.refusals.${err.code}.body`, refusalParams(ctx, err));
      return renderActivity(req, reply, values, { [field]: message }, REFUSALS[err.code], idempotencyKey);
    }
  });

  // A draw's public record: the page, or the same as JSON for anyone who wants to re-run it.
  app.get('/activities/:slug/draws/:session', { schema: { params: drawParams } }, async (req, reply) => {
    const { slug, session } = req.params as { slug: string; session: string };
    const json = session.endsWith('.json');
    const record = await getDrawRecord(db, requireTenant(req).id, slug, json ? session.slice(0, -'.json'.length) : session);
    if (!record) throw new AppError('notFound');
    if (json) {
      const { draw } = record;
      return reply.header('cache-control', 'no-store').send({
        activity: record.activity.slug,
        session: { id: record.session.id, startsAt: record.session.startsAt.toISOString(), endsAt: record.session.endsAt.toISOString() },
        algorithm: draw.algorithm,
        seed: draw.seed,
        entryIds: draw.entryIds,
        order: draw.order,
        places: draw.places,
        winners: draw.winners,
        drawnAt: draw.drawnAt.toISOString(),
        verified: record.verified,
      });
    }
    return sendPage(reply, <DrawPage ctx={pageContext(req, reply)} activity={record.activity} session={record.session} draw={record.draw} verified={record.verified} />);
  });

  app.get('/bookings', { schema: { querystring: noticeQuery } }, async (req, reply) => {
    const mine = await listMyBookings(caller(req));
    const done = (['left', 'joined', 'entered'] as const).find((d) => d === (req.query as { done?: string }).done);
    return sendPage(reply, <MyBookingsPage ctx={pageContext(req, reply)} mine={mine} notice={done} />);
  });

  app.get('/bookings/:id', { schema: { params: idParams, querystring: noticeQuery } }, async (req, reply) => {
    const booking = await getBooking(caller(req), (req.params as { id: string }).id);
    if (!booking) throw new AppError('notFound');
    const done = (['confirmed', 'cancelled', 'released'] as const).find((d) => d === (req.query as { done?: string }).done);
    return sendPage(reply, <BookingPage ctx={pageContext(req, reply)} booking={booking} notice={done} methods={paymentMethods()} />);
  });

  app.post('/bookings/:id/confirm', { schema: { params: idParams, body: confirmForm.bodySchema } }, async (req, reply) => {
    const c = caller(req);
    const id = (req.params as { id: string }).id;
    const payment = (req.body as { payment?: string }).payment || 'counter';
    if (!(paymentMethods() as string[]).includes(payment)) throw new AppError('badRequest');
    await confirmBooking(c, id, payment);
    return seeOther(reply, href({ locale: req.locale }, `/bookings/${id}?done=confirmed`));
  });

  app.post('/bookings/:id/cancel', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const { was } = await cancelBooking(caller(req), id);
    return seeOther(reply, href({ locale: req.locale }, `/bookings/${id}?done=${was === 'held' ? 'released' : 'cancelled'}`));
  });

  app.post('/waitlist/:id/leave', { schema: { params: idParams, body: buttonForm.bodySchema } }, async (req, reply) => {
    const left = await leaveWaitlist(caller(req), (req.params as { id: string }).id);
    if (!left) throw new AppError('notFound');
    return seeOther(reply, href({ locale: req.locale }, '/bookings?done=left'));
  });
}
