/**
 * The demo town's door: an evening skating session today, so that the door scanner has a session
 * to open whenever the demo starts (book it as the demo resident, show the pass, scan it as staff).
 * Safe to run again: a session is added only when the activity has none left today.
 */
import type { Database } from '../../../db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { DEMO_STEPS } from '../../demo/seed.ts';
import type { Tenant } from '../../tenants/service.ts';
import { createActivity, startOfDay } from '../catalogue.ts';
import { dayIn } from '../format.ts';
import * as repo from '../repo.ts';

export const DOOR_DEMO_SLUG = 'patinage-du-soir';
const MINUTE = 60_000;

/** 20:00 today in the town, or in ten minutes when it is later than that (then possibly past midnight). */
function tonight(tenant: Tenant, now: Date): { startsAt: Date; endsAt: Date } {
  const eight = new Date(startOfDay(dayIn(tenant.timeZone, now), tenant.timeZone).getTime() + 20 * 60 * MINUTE);
  const startsAt = eight.getTime() > now.getTime() + 10 * MINUTE ? eight : new Date(now.getTime() + 10 * MINUTE);
  return { startsAt, endsAt: new Date(startsAt.getTime() + 90 * MINUTE) };
}

/** Makes the activity, or gives it a session today; returns whether a session was added. */
export async function seedDoorDemo(db: Database, tenant: Tenant, now = new Date()): Promise<boolean> {
  const session = { ...tonight(tenant, now), capacity: 40 };
  const created = await createActivity(db, tenant.id, {
    slug: DOOR_DEMO_SLUG,
    kind: 'facility',
    name: { fr: 'Patinage du soir à l’aréna (essai du lecteur à l’entrée)', en: 'Evening skating at the arena (try the door scanner)' },
    description: {
      fr: 'Une séance ce soir : réservez-la, ouvrez votre laissez-passer, puis validez-le dans l’espace du personnel, au lecteur à l’entrée.',
      en: 'A session tonight: book it, open your pass, then check it in from the staff area, at the door scanner.',
    },
    opensAt: new Date(now.getTime() - 24 * 60 * MINUTE),
    cancelHoursBefore: 0,
    sessions: [session],
  });
  if (created) return true;
  return db.withTenant(tenant.id, async (trx) => {
    const activity = await repo.findActivityBySlug(trx, tenant.id, DOOR_DEMO_SLUG);
    if (!activity) return false;
    const today = dayIn(tenant.timeZone, now);
    const left = await repo.listSessions(trx, tenant.id, activity.id, now);
    if (left.some((s) => dayIn(tenant.timeZone, s.starts_at) === today || s.starts_at > now)) return false;
    const [row] = await repo.insertSessions(trx, tenant.id, activity.id, [session]);
    await recordAudit(trx, { tenantId: tenant.id, actor: { kind: 'system' }, action: 'activity.sessionAdded', subject: { kind: 'activity', id: activity.id }, details: { sessionId: row?.id, demo: true } });
    return true;
  });
}

DEMO_STEPS.push(async (db, tenant) => {
  await seedDoorDemo(db, tenant);
});
