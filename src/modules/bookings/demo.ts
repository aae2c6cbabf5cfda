/**
 * The demo town's bookings: a free facility slot open now, day-camp weeks whose registration opens
 * in two days (a day earlier for residents: the countdown shows), skating, and swimming lessons
 * drawn by lottery. Safe to run again: an activity whose slug exists is left as it is.
 */
import type { Database } from '../../db/database.ts';
import { DEMO_STEPS } from '../demo/seed.ts';
import type { Tenant } from '../tenants/service.ts';
import { createActivity, startOfDay, type NewActivity } from './catalogue.ts';
import { dateIn } from './rules.ts';

const DAY = 24 * 3_600_000;

/** `hour`:00 in the town, `days` days from today. */
function at(tenant: Tenant, days: number, hour: number): Date {
  const today = dateIn(tenant.timeZone, new Date());
  const midnight = startOfDay(today, tenant.timeZone);
  // Noon of the target day gives its date whatever the clock changes; then that day's midnight.
  const target = dateIn(tenant.timeZone, new Date(midnight.getTime() + days * DAY + 12 * 3_600_000));
  return new Date(startOfDay(target, tenant.timeZone).getTime() + hour * 3_600_000);
}

function demoActivities(tenant: Tenant): NewActivity[] {
  const slots = (from: number, count: number, hour: number, minutes: number, capacity: number) =>
    Array.from({ length: count }, (_, i) => ({ startsAt: at(tenant, from + i, hour), endsAt: new Date(at(tenant, from + i, hour).getTime() + minutes * 60_000), capacity }));
  return [
    {
      slug: 'bain-libre',
      kind: 'facility',
      name: { fr: 'Bain libre à la piscine municipale', en: 'Public swim at the town pool' },
      description: { fr: 'Couloirs libres pour tous, sans réservation de groupe.', en: 'Open lanes for everyone, no group bookings.' },
      opensAt: new Date(Date.now() - DAY),
      holdMinutes: 10,
      cancelHoursBefore: 2,
      sessions: slots(1, 7, 18, 90, 30),
    },
    {
      slug: 'camp-de-jour',
      kind: 'activity',
      name: { fr: 'Camp de jour d’été', en: 'Summer day camp' },
      description: {
        fr: 'Une semaine d’activités au parc du Lac-Vert, de 8 h à 16 h. Repas non fournis.',
        en: 'A week of activities at Lac-Vert park, 8 a.m. to 4 p.m. Meals not included.',
      },
      minAge: 5,
      maxAge: 12,
      residentPriceCents: 9500,
      nonresidentPriceCents: 14000,
      opensAt: at(tenant, 2, 19),
      residentsOpenAt: at(tenant, 1, 19),
      cancelHoursBefore: 72,
      offerHours: 24,
      sessions: [0, 1, 2, 3].map((week) => ({ startsAt: at(tenant, 30 + week * 7, 8), endsAt: at(tenant, 34 + week * 7, 16), capacity: 24 })),
    },
    {
      slug: 'patinage-libre',
      kind: 'facility',
      name: { fr: 'Patinage libre à l’aréna', en: 'Public skating at the arena' },
      description: { fr: 'Casque recommandé pour les enfants.', en: 'Helmets recommended for children.' },
      opensAt: new Date(Date.now() - DAY),
      residentPriceCents: 300,
      nonresidentPriceCents: 500,
      cancelHoursBefore: 1,
      sessions: slots(1, 5, 13, 60, 60),
    },
    {
      slug: 'cours-de-natation',
      kind: 'activity',
      name: { fr: 'Cours de natation (tirage au sort)', en: 'Swimming lessons (lottery)' },
      description: {
        fr: 'Dix cours le samedi matin. Les places sont tirées au sort parmi les inscriptions.',
        en: 'Ten Saturday-morning lessons. Places are drawn at random among the entries.',
      },
      minAge: 4,
      maxAge: 10,
      residentPriceCents: 6000,
      nonresidentPriceCents: 9000,
      mode: 'lottery',
      opensAt: new Date(Date.now() - DAY),
      lotteryClosesAt: at(tenant, 3, 20),
      sessions: [{ startsAt: at(tenant, 14, 9), endsAt: at(tenant, 14, 10), capacity: 8 }],
    },
  ];
}

/** Adds the demo activities to a town (those whose slug is free). */
export async function seedBookingsDemo(db: Database, tenant: Tenant): Promise<number> {
  let created = 0;
  for (const activity of demoActivities(tenant)) if (await createActivity(db, tenant.id, activity)) created += 1;
  return created;
}

DEMO_STEPS.push(async (db, tenant) => {
  await seedBookingsDemo(db, tenant);
});
