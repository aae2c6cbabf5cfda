/** For tests of passes, calendars and the door scanner: confirmed bookings, signed-in browsers, passes made to order. */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/database.ts';
import { createResidentSession } from '../../../platform/auth/session.ts';
import type { ResidentPrincipal } from '../../../platform/http.ts';
import { browser, type Browser } from '../../residents/testing.ts';
import { InjectBrowser, signInCookie } from '../../staff/testing.ts';
import { createStaff } from '../../staff/service.ts';
import type { Tenant } from '../../tenants/service.ts';
import { confirmBooking, holdPlace } from '../service.ts';
import { callerFor, newKey } from '../testing.ts';
import { signingKeyIn } from './keys.ts';
import { signPass, type PassClaims } from './token.ts';

/** Holds then confirms a place (as the pages would); returns the booking id. */
export async function bookConfirmed(db: Database, tenant: Tenant, resident: ResidentPrincipal, sessionId: string, participant = 'self'): Promise<string> {
  const c = callerFor(db, tenant, resident);
  const { bookingId } = await holdPlace(c, { sessionId, participant, idempotencyKey: newKey() });
  await confirmBooking(c, bookingId);
  return bookingId;
}

/** A browser (residents/testing.ts) signed in as this resident. */
export async function residentBrowser(db: Database, town: { host: string; tenant: Tenant }, resident: ResidentPrincipal): Promise<Browser> {
  const token = await db.withTenant(town.tenant.id, (trx) => createResidentSession(trx, town.tenant.id, resident.id, 'test'));
  const b = browser(town.host);
  b.cookies.set('guichet-session', token);
  return b;
}

const PASSWORD = 'correct horse battery staple';

/** A new staff member of the town, signed in through the real form, in a browser of their own. */
export async function staffBrowser(app: FastifyInstance, town: { host: string; tenant: Tenant }, role: 'agent' | 'manager' = 'agent', lang: 'fr' | 'en' = 'fr'): Promise<InjectBrowser> {
  const email = `door-${crypto.randomBytes(4).toString('hex')}@${town.host}`;
  await createStaff(app.deps.db, town.tenant.id, { email, name: 'Portier Test', role, password: PASSWORD });
  const cookie = await signInCookie(app, town.host, email, PASSWORD, lang);
  const br = new InjectBrowser(app, town.host);
  const [name, value] = cookie.split('=') as [string, string];
  br.jar.set(name, value);
  return br;
}

/** A pass for a booking signed with the town's real key, with the claims given (dates, session...). */
export async function passWith(db: Database, sessionSecret: string, tenantId: string, claims: Omit<PassClaims, 'kid' | 'townId'> & { townId?: string }): Promise<string> {
  const key = await db.withTenant(tenantId, (trx) => signingKeyIn(trx, sessionSecret, tenantId));
  return signPass({ townId: tenantId, ...claims, kid: key.kid }, key.privateKey);
}
