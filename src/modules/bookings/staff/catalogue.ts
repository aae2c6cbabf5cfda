/**
 * Staff use cases on the catalogue: facilities and activities (every rule of registration day),
 * their sessions (one, or a weekly series), a session's capacity (never below the places taken)
 * and its cancellation (everyone booked or waiting is told by email). Each starts with its
 * permission check and writes its audit event in the same transaction as the change.
 */
import type { Bilingual } from '../../../db/schema.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { ensure } from '../../../platform/permissions.ts';
import { residentForSession } from '../../residents/service.ts';
import { drawLottery, getDraw, verifyDraw, type Draw } from '../lottery.ts';
import * as repo from '../repo/staff-catalogue.ts';
import { staffActor, townOf, uuidOf, type StaffBookingCaller } from './caller.ts';
import { mailBookingChange } from './mail.ts';

export interface ActivityInput {
  slug: string;
  kind: 'facility' | 'activity';
  name: Bilingual;
  description: Bilingual;
  minAge: number | null;
  maxAge: number | null;
  residentPriceCents: number;
  nonresidentPriceCents: number;
  residentsOnly: boolean;
  mode: 'fcfs' | 'lottery';
  opensAt: Date;
  residentsOpenAt: Date | null;
  lotteryClosesAt: Date | null;
  cancelHoursBefore: number;
  holdMinutes: number;
  offerHours: number;
  published: boolean;
}

export interface StaffActivity extends ActivityInput {
  id: string;
  upcoming?: number;
}

export interface StaffSession {
  id: string;
  activityId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  taken: number;
  confirmed: number;
  waiting: number;
  entries: number;
  drawn: boolean;
  cancelled: boolean;
}

type ActivityRow = NonNullable<Awaited<ReturnType<typeof repo.findActivityById>>>;
type SessionRow = Awaited<ReturnType<typeof repo.listActivitySessions>>[number];

function toActivity(r: ActivityRow): StaffActivity {
  return {
    id: r.id,
    slug: r.slug,
    kind: r.kind,
    name: r.name,
    description: r.description,
    minAge: r.min_age,
    maxAge: r.max_age,
    residentPriceCents: r.resident_price_cents,
    nonresidentPriceCents: r.nonresident_price_cents,
    residentsOnly: r.residents_only,
    mode: r.booking_mode,
    opensAt: r.opens_at,
    residentsOpenAt: r.residents_open_at,
    lotteryClosesAt: r.lottery_closes_at,
    cancelHoursBefore: r.cancel_hours_before,
    holdMinutes: r.hold_minutes,
    offerHours: r.offer_hours,
    published: r.published,
  };
}

function toSession(s: SessionRow): StaffSession {
  return {
    id: s.id,
    activityId: s.activity_id,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    capacity: s.capacity,
    taken: s.taken,
    confirmed: s.confirmed,
    waiting: s.waiting,
    entries: s.entries,
    drawn: s.drawn,
    cancelled: s.cancelled_at !== null,
  };
}

/** Every facility and activity of the town, published or not, the latest first. */
export async function listActivitiesForStaff(c: StaffBookingCaller): Promise<StaffActivity[]> {
  await ensure(c, 'bookings.view');
  const rows = await c.db.withTenant(c.tenant.id, (trx) => repo.listAllActivities(trx, c.tenant.id));
  return rows.map((r) => ({ ...toActivity(r), upcoming: r.upcoming }));
}

/** One activity with its sessions (from 30 days ago on); null when the town has none with this id. */
export async function getActivityForStaff(c: StaffBookingCaller, id: string): Promise<{ activity: StaffActivity; sessions: StaffSession[] } | null> {
  await ensure(c, 'bookings.view');
  const activityId = uuidOf(id);
  if (!activityId) return null;
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const row = await repo.findActivityById(trx, c.tenant.id, activityId);
    if (!row) return null;
    const sessions = await repo.listActivitySessions(trx, c.tenant.id, activityId);
    return { activity: toActivity(row), sessions: sessions.map(toSession) };
  });
}

export type SaveResult = { ok: true; id: string } | { ok: false; slugTaken: true };

const rowOf = (input: ActivityInput): repo.StaffActivityRow => ({ ...input });

/** Creates a facility or activity; the form's key makes a retry return the same one. */
export async function createActivityByStaff(c: StaffBookingCaller, input: ActivityInput, key: string): Promise<SaveResult> {
  await ensure(c, 'bookings.manage');
  return c.db.withTenant(c.tenant.id, async (trx): Promise<SaveResult> => {
    const made = await repo.insertStaffActivity(trx, c.tenant.id, rowOf(input), key);
    if (!made) return { ok: false, slugTaken: true };
    if (made.created) {
      await recordAudit(trx, {
        tenantId: c.tenant.id,
        actor: staffActor(c),
        action: 'activity.created',
        subject: { kind: 'activity', id: made.id },
        ip: c.ip,
        details: { slug: input.slug, kind: input.kind, published: input.published },
      });
    }
    return { ok: true, id: made.id };
  });
}

/** Changes an activity's description, prices and rules. Bookings already made keep their price. */
export async function updateActivityByStaff(c: StaffBookingCaller, id: string, input: ActivityInput): Promise<SaveResult> {
  await ensure(c, 'bookings.manage');
  const activityId = uuidOf(id);
  if (!activityId) throw new AppError('notFound');
  return c.db.withTenant(c.tenant.id, async (trx): Promise<SaveResult> => {
    if (!(await repo.findActivityById(trx, c.tenant.id, activityId))) throw new AppError('notFound');
    if (!(await repo.updateStaffActivity(trx, c.tenant.id, activityId, rowOf(input)))) return { ok: false, slugTaken: true };
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: staffActor(c),
      action: 'activity.updated',
      subject: { kind: 'activity', id: activityId },
      ip: c.ip,
      details: { slug: input.slug, published: input.published },
    });
    return { ok: true, id: activityId };
  });
}

export interface NewSession {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

/** Adds sessions (one, or a weekly series) to an activity; returns how many were added (0 on a retry). */
export async function addSessionsByStaff(c: StaffBookingCaller, activityId: string, sessions: NewSession[], key: string): Promise<number> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(activityId);
  if (!id) throw new AppError('notFound');
  if (sessions.length === 0 || sessions.length > 104) throw new AppError('badRequest');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    if (!(await repo.findActivityById(trx, c.tenant.id, id))) throw new AppError('notFound');
    const made = await repo.insertKeyedSessions(
      trx,
      c.tenant.id,
      id,
      sessions.map((s, i) => ({ ...s, key: sessions.length === 1 ? key : `${key}:${i}` })),
    );
    if (made.length > 0) {
      await recordAudit(trx, {
        tenantId: c.tenant.id,
        actor: staffActor(c),
        action: 'activity.sessionAdded',
        subject: { kind: 'activity', id },
        ip: c.ip,
        details: { sessions: made.length, first: sessions[0]!.startsAt.toISOString() },
      });
    }
    return made.length;
  });
}

export interface SessionDetail {
  activity: StaffActivity;
  session: StaffSession;
  draw: (Draw & { verified: boolean }) | null;
  /** Lottery entries by id: who each is for and how the draw went for them. */
  entries: Map<string, { participant: string; status: 'entered' | 'won' | 'lost' | 'withdrawn' }>;
  now: Date;
}

/** One session with its activity and its draw, if any; null when the town has no such session. */
export async function getSessionForStaff(c: StaffBookingCaller, sessionId: string): Promise<SessionDetail | null> {
  await ensure(c, 'bookings.view');
  const id = uuidOf(sessionId);
  if (!id) return null;
  const found = await c.db.withTenant(c.tenant.id, async (trx) => {
    const s = await repo.findStaffSession(trx, c.tenant.id, id);
    if (!s) return null;
    const a = await repo.findActivityById(trx, c.tenant.id, s.activity_id);
    if (!a) return null;
    const rows = a.booking_mode === 'lottery' ? await repo.lotteryEntriesOf(trx, c.tenant.id, id) : [];
    const entries = new Map(rows.map((e) => [e.id, { participant: e.participant_name ?? e.resident_name ?? e.resident_email, status: e.status }]));
    return { activity: toActivity(a), session: toSession(s), entries, now: s.now };
  });
  if (!found) return null;
  const draw = found.activity.mode === 'lottery' ? await getDraw(c.db, c.tenant.id, id) : null;
  return { ...found, draw: draw ? { ...draw, verified: verifyDraw(draw) } : null };
}

/** Changes a session's capacity; refused (with the places taken) below what is taken. */
export async function changeCapacity(c: StaffBookingCaller, sessionId: string, capacity: number): Promise<{ ok: true } | { ok: false; taken: number }> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(sessionId);
  if (!id) throw new AppError('notFound');
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 100000) throw new AppError('badRequest');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const changed = await repo.setCapacity(trx, c.tenant.id, id, capacity);
    if (!changed) {
      const s = await repo.findStaffSession(trx, c.tenant.id, id);
      if (!s) throw new AppError('notFound');
      return { ok: false as const, taken: s.taken };
    }
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: staffActor(c),
      action: 'session.capacityChanged',
      subject: { kind: 'activitySession', id },
      ip: c.ip,
      details: { from: changed.from, to: capacity },
    });
    return { ok: true as const };
  });
}

/**
 * Cancels a session: every booking held or confirmed is cancelled, the waitlist closed, lottery
 * entries withdrawn, and everyone booked or waiting is emailed in their language. Once.
 */
export async function cancelSessionByStaff(c: StaffBookingCaller, sessionId: string): Promise<{ cancelled: boolean; told: number }> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(sessionId);
  if (!id) throw new AppError('notFound');
  const town = townOf(c);
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const s = await repo.findStaffSession(trx, c.tenant.id, id);
    if (!s) throw new AppError('notFound');
    const a = (await repo.findActivityById(trx, c.tenant.id, s.activity_id))!;
    const result = await repo.cancelSession(trx, c.tenant.id, id, c.principal.id);
    if (!result) return { cancelled: false, told: 0 };
    let told = 0;
    const people = [
      ...result.bookings.map((b) => ({ ref: b.id, residentId: b.resident_id, participant: b.participant_name, price: b.price_cents })),
      ...result.waiting.map((w) => ({ ref: `waitlist-${w.id}`, residentId: w.resident_id, participant: w.participant_name, price: 0 })),
    ];
    for (const p of people) {
      const person = await residentForSession(trx, c.tenant.id, p.residentId);
      if (!person) continue;
      await mailBookingChange(
        trx,
        town,
        { email: person.email, locale: person.locale },
        'sessionCancelled',
        { bookingId: p.ref.startsWith('waitlist-') ? '' : p.ref, activity: a.name, startsAt: s.starts_at, participant: p.participant, priceCents: p.price },
        `session:${id}:cancelled:${p.ref}`,
      );
      told += 1;
    }
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: staffActor(c),
      action: 'session.cancelled',
      subject: { kind: 'activitySession', id },
      ip: c.ip,
      details: { bookings: result.bookings.length, waiting: result.waiting.length },
    });
    return { cancelled: true, told };
  });
}

/** Runs a lottery session's draw from the staff page (once its entries have closed); returns the record. */
export async function runDrawByStaff(c: StaffBookingCaller, sessionId: string): Promise<Draw> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(sessionId);
  if (!id) throw new AppError('notFound');
  return drawLottery(c.db, townOf(c), id, { drawnBy: c.principal.id });
}

/** For pages that only lead to managing (the empty create form): refused, and recorded, for others. */
export async function ensureCanManage(c: StaffBookingCaller): Promise<void> {
  await ensure(c, 'bookings.manage');
}
