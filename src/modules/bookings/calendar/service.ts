/**
 * Bookings in people's calendars: an .ics file per confirmed booking, and a personal feed at a
 * secret address listing the resident's confirmed bookings (a calendar app subscribes to it). The
 * feed's token is looked up by its SHA-256 and kept sealed so the resident's page can show the
 * address again; resetting it gives a new address and the former one answers "not found".
 */
import crypto from 'node:crypto';
import type { Database } from '../../../db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { translator, type Locale } from '../../../platform/i18n.ts';
import { ensure } from '../../../platform/permissions.ts';
import { residentPrincipal } from '../../residents/service.ts';
import { secretBox } from '../../staff/secret-box.ts';
import type { Tenant } from '../../tenants/service.ts';
import { getBooking } from '../service.ts';
import type { PassCaller } from '../passes/service.ts';
import * as repo from '../passes/repo.ts';
import { calendarFile, type CalendarEvent } from './ics.ts';

/** 32 random bytes, base64url. */
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** The feed lists bookings that ended in the last 30 days and those to come. */
const FEED_PAST_MS = 30 * 24 * 3_600_000;

const hashOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const contextOf = (tenantId: string, residentId: string) => `calendar-feed:${tenantId}:${residentId}`;

interface EventSource {
  id: string;
  startsAt: Date;
  endsAt: Date;
  confirmedAt: Date | null;
  activityName: { fr: string; en: string };
  slug: string;
  participant: string | null;
}

function eventOf(tenant: Tenant, publicUrl: string, locale: Locale, b: EventSource): CalendarEvent {
  const t = translator(locale);
  const name = b.activityName[locale];
  return {
    uid: `booking-${b.id}@${tenant.slug}.guichet`,
    stamp: b.confirmedAt ?? b.startsAt,
    start: b.startsAt,
    end: b.endsAt,
    summary: b.participant ? t('passes.calendar.summaryFor', { activity: name, name: b.participant }) : name,
    description: t('passes.calendar.description', { town: tenant.name[locale] }),
    location: tenant.name[locale],
    url: `${publicUrl}/${locale}/bookings/${b.id}`,
  };
}

/** The .ics file of one of the resident's confirmed bookings; null for any other booking. */
export async function bookingCalendar(c: PassCaller, bookingId: string, locale: Locale): Promise<string | null> {
  const booking = await getBooking(c, bookingId);
  if (!booking || booking.status !== 'confirmed') return null;
  const event = eventOf(c.tenant, c.publicUrl, locale, {
    id: booking.id,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    confirmedAt: booking.confirmedAt,
    activityName: booking.activity.name,
    slug: booking.activity.slug,
    participant: booking.participant,
  });
  return calendarFile({ name: booking.activity.name[locale], language: locale, events: [event] });
}

const profileOf = (c: PassCaller) => ({ kind: 'residentProfile' as const, tenantId: c.tenant.id, residentId: c.resident.id });
const callerOf = (c: PassCaller) => ({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip });

/** The resident's feed token, or null when they have not asked for one yet. */
export async function feedToken(c: PassCaller): Promise<string | null> {
  await ensure(callerOf(c), 'resident.viewProfile', profileOf(c));
  const row = await c.db.withTenant(c.tenant.id, (trx) => repo.findFeedOf(trx, c.tenant.id, c.resident.id));
  return row ? secretBox(c.sessionSecret).open(row.token_sealed, contextOf(c.tenant.id, c.resident.id)) : null;
}

/** Gives the resident a new feed address (the first one, or a new one: the former stops working). Audited. */
export async function resetFeed(c: PassCaller): Promise<string> {
  await ensure(callerOf(c), 'resident.updateProfile', profileOf(c));
  const token = crypto.randomBytes(32).toString('base64url');
  const tenantId = c.tenant.id;
  await c.db.withTenant(tenantId, async (trx) => {
    const first = !(await repo.findFeedOf(trx, tenantId, c.resident.id));
    await repo.upsertFeed(trx, tenantId, c.resident.id, hashOf(token), secretBox(c.sessionSecret).seal(token, contextOf(tenantId, c.resident.id)));
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'resident', id: c.resident.id },
      action: 'calendar.feedReset',
      subject: { kind: 'resident', id: c.resident.id },
      ip: c.ip,
      details: { first },
    });
  });
  return token;
}

/**
 * The feed behind a secret address: the resident's confirmed bookings, in the address's language.
 * The token is the proof (calendar apps send no cookie); an unknown token is null ("not found").
 */
export async function feedCalendar(db: Database, tenant: Tenant, publicUrl: string, token: string, locale: Locale): Promise<string | null> {
  await ensure({ db, principal: { kind: 'anonymous', tenantId: tenant.id }, ip: null }, 'bookings.calendarFeed');
  if (!FEED_TOKEN.test(token)) return null;
  const rows = await db.withTenant(tenant.id, async (trx) => {
    const feed = await repo.findFeedByHash(trx, tenant.id, hashOf(token));
    return feed ? repo.confirmedBookingsOf(trx, tenant.id, feed.resident_id, new Date(Date.now() - FEED_PAST_MS)) : null;
  });
  if (!rows) return null;
  const events = rows.map((r) =>
    eventOf(tenant, publicUrl, locale, {
      id: r.id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      confirmedAt: r.confirmed_at,
      activityName: r.name,
      slug: r.slug,
      participant: r.participant_name,
    }),
  );
  return calendarFile({ name: translator(locale)('passes.calendar.feedName', { town: tenant.name[locale] }), language: locale, events });
}
