/**
 * What can be booked: activities and facility slots with their sessions, as residents browse them,
 * and the operator acts that create them (demo seed, command line, benchmark, tests; the staff
 * pages that manage activities will call these behind their own permission check).
 */
import type { Database } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import * as repo from './repo.ts';
import { dateIn, type WindowRules } from './rules.ts';

export interface Activity {
  id: string;
  slug: string;
  kind: 'facility' | 'activity';
  name: Bilingual;
  description: Bilingual;
  minAge: number | null;
  maxAge: number | null;
  residentPriceCents: number;
  nonresidentPriceCents: number;
  window: WindowRules;
  cancelHoursBefore: number;
  holdMinutes: number;
  offerHours: number;
}

export interface ActivitySummary extends Activity {
  /** The first session in the period asked for. */
  nextStart: Date;
}

export interface Session {
  id: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  /** Places anyone may take now (holds that ran out count as free unless people wait for them). */
  placesLeft: number;
  /** People on the waitlist. */
  waiting: number;
  cancelled: boolean;
  /** A lottery session whose draw ran. */
  drawn: boolean;
}

type ActivityRow = NonNullable<Awaited<ReturnType<typeof repo.findActivityBySlug>>>;

export function toActivity(row: ActivityRow): Activity {
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    name: row.name,
    description: row.description,
    minAge: row.min_age,
    maxAge: row.max_age,
    residentPriceCents: row.resident_price_cents,
    nonresidentPriceCents: row.nonresident_price_cents,
    window: {
      mode: row.booking_mode,
      opensAt: row.opens_at,
      residentsOpenAt: row.residents_open_at,
      lotteryClosesAt: row.lottery_closes_at,
      residentsOnly: row.residents_only,
    },
    cancelHoursBefore: row.cancel_hours_before,
    holdMinutes: row.hold_minutes,
    offerHours: row.offer_hours,
  };
}

export interface ActivityFilter {
  /** Only activities with a session on this day (YYYY-MM-DD, town time), else from now on. */
  date: string | null;
  /** Only activities open to a participant of this age. */
  age: number | null;
}

/** Midnight of a calendar day in a time zone, as an instant. */
export function startOfDay(day: string, timeZone: string): Date {
  const guess = new Date(`${day}T00:00:00Z`);
  // The zone's offset at that moment, from how the instant reads there.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(guess);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return new Date(guess.getTime() - (asLocal - guess.getTime()));
}

/** Published activities with a session coming (or on the day asked), soonest first. Public. */
export async function browseActivities(db: Database, tenant: { id: string; timeZone: string }, filter: ActivityFilter): Promise<ActivitySummary[]> {
  const from = filter.date ? startOfDay(filter.date, tenant.timeZone) : new Date();
  // A day ends at the next midnight in the town (23 to 25 hours later around clock changes).
  const to = filter.date ? startOfDay(nextDay(filter.date), tenant.timeZone) : null;
  const rows = await db.withTenant(tenant.id, (trx) => repo.listActivities(trx, tenant.id, { from, to, age: filter.age, limit: 100 }));
  return rows.map((row) => ({ ...toActivity(row), nextStart: row.next_start as Date }));
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * An activity and its coming sessions with the places left. Public; undefined when unknown. With
 * `viewer` (the signed-in resident looking at it), also whether they have a residency proof valid
 * today, which decides when registration opens for them (same transaction: one less round trip).
 */
export async function getActivity(
  db: Database,
  tenant: { id: string; timeZone: string },
  slug: string,
  viewer?: { residentId: string },
): Promise<{ activity: Activity; sessions: Session[]; now: Date; viewerIsResident: boolean } | undefined> {
  const tenantId = tenant.id;
  return db.withTenant(tenantId, async (trx) => {
    const row = await repo.findActivityBySlug(trx, tenantId, slug);
    if (!row) return undefined;
    const now = new Date();
    const sessions = await repo.listSessions(trx, tenantId, row.id, now);
    const viewerIsResident = viewer ? await repo.hasResidency(trx, tenantId, viewer.residentId, dateIn(tenant.timeZone, now)) : false;
    return {
      activity: toActivity(row),
      now,
      viewerIsResident,
      sessions: sessions.map((s) => ({
        id: s.id,
        startsAt: s.starts_at,
        endsAt: s.ends_at,
        capacity: s.capacity,
        placesLeft: Math.max(0, s.capacity - s.taken + Math.max(0, s.lapsed_holds - s.waiting)),
        waiting: s.waiting,
        cancelled: s.cancelled_at !== null,
        drawn: s.drawn,
      })),
    };
  });
}

export interface NewActivity {
  slug: string;
  kind: 'facility' | 'activity';
  name: Bilingual;
  description?: Bilingual;
  minAge?: number | null;
  maxAge?: number | null;
  residentPriceCents?: number;
  nonresidentPriceCents?: number;
  residentsOnly?: boolean;
  mode?: 'fcfs' | 'lottery';
  opensAt: Date;
  residentsOpenAt?: Date | null;
  lotteryClosesAt?: Date | null;
  cancelHoursBefore?: number;
  holdMinutes?: number;
  offerHours?: number;
  sessions: Array<{ startsAt: Date; endsAt: Date; capacity: number }>;
}

export interface Actor {
  kind: 'staff' | 'system';
  id?: string | null;
}

export class ActivityInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/**
 * Creates an activity with its sessions. Operator act (demo seed, benchmark, tests), or staff
 * behind their permission check. Returns undefined when the slug is taken in the town.
 */
export async function createActivity(db: Database, tenantId: string, input: NewActivity, actor: Actor = { kind: 'system' }): Promise<{ id: string; sessionIds: string[] } | undefined> {
  for (const lang of ['fr', 'en'] as const) {
    if (!input.name[lang]?.trim()) throw new ActivityInputError(`name-${lang}`, 'is required');
  }
  if ((input.mode ?? 'fcfs') === 'lottery' && !input.lotteryClosesAt) throw new ActivityInputError('lotteryClosesAt', 'a lottery needs a closing time');
  for (const s of input.sessions) {
    if (!(s.endsAt > s.startsAt)) throw new ActivityInputError('sessions', 'a session ends after it starts');
    if (!Number.isInteger(s.capacity) || s.capacity < 0) throw new ActivityInputError('sessions', 'capacity is a whole number');
  }
  return db.withTenant(tenantId, async (trx) => {
    const created = await repo.insertActivity(trx, tenantId, {
      slug: input.slug,
      kind: input.kind,
      name: input.name,
      description: input.description ?? { fr: '', en: '' },
      minAge: input.minAge ?? null,
      maxAge: input.maxAge ?? null,
      residentPriceCents: input.residentPriceCents ?? 0,
      nonresidentPriceCents: input.nonresidentPriceCents ?? input.residentPriceCents ?? 0,
      residentsOnly: input.residentsOnly ?? false,
      mode: input.mode ?? 'fcfs',
      opensAt: input.opensAt,
      residentsOpenAt: input.residentsOpenAt ?? null,
      lotteryClosesAt: input.lotteryClosesAt ?? null,
      cancelHoursBefore: input.cancelHoursBefore ?? 24,
      holdMinutes: input.holdMinutes ?? 10,
      offerHours: input.offerHours ?? 24,
    });
    if (!created) return undefined;
    const sessionIds: string[] = [];
    for (let i = 0; i < input.sessions.length; i += 500) {
      const rows = await repo.insertSessions(trx, tenantId, created.id, input.sessions.slice(i, i + 500));
      sessionIds.push(...rows.map((r) => r.id));
    }
    await recordAudit(trx, {
      tenantId,
      actor,
      action: 'activity.created',
      subject: { kind: 'activity', id: created.id },
      details: { slug: input.slug, sessions: sessionIds.length },
    });
    return { id: created.id, sessionIds };
  });
}

/**
 * Records that a resident lives in the town until a date (proof checked by staff): opens the
 * residents' earlier window, residents-only activities and the resident price.
 */
export async function recordResidency(db: Database, tenantId: string, residentId: string, validUntil: string, actor: Actor = { kind: 'system' }): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(validUntil)) throw new ActivityInputError('validUntil', 'is a date YYYY-MM-DD');
  await db.withTenant(tenantId, async (trx) => {
    await repo.upsertResidency(trx, tenantId, residentId, validUntil, actor.kind === 'staff' ? (actor.id ?? null) : null);
    await recordAudit(trx, { tenantId, actor, action: 'residency.recorded', subject: { kind: 'resident', id: residentId }, details: { validUntil } });
  });
}
