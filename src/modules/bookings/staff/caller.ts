/** The staff member at work on bookings: who, in which town, and where links in emails point. */
import type { Database } from '../../../db/database.ts';
import type { Caller, StaffPrincipalOf } from '../../../platform/permissions.ts';
import type { Tenant } from '../../tenants/service.ts';
import type { TownContext } from '../mail.ts';

export interface StaffBookingCaller extends Caller {
  db: Database;
  principal: StaffPrincipalOf;
  tenant: Tenant;
  /** Absolute base URL of the site, for links in emails. */
  publicUrl: string;
}

export const townOf = (c: StaffBookingCaller): TownContext => ({ tenant: c.tenant, publicUrl: c.publicUrl });
export const staffActor = (c: StaffBookingCaller) => ({ kind: 'staff' as const, id: c.principal.id });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id from a path or a form: a UUID in lower case, or null. */
export function uuidOf(value: string): string | null {
  return UUID.test(value) ? value.toLowerCase() : null;
}
