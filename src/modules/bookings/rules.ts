/**
 * The rules of registration, as pure functions: when an activity opens for whom, who may take a
 * place (age on the first day, residency), what it costs, and until when a booking may be cancelled.
 * No database here: the use cases pass in what they read.
 */
import { dayIn } from './format.ts';

/** Why a booking, an entry or a cancellation is refused; each has a title and a body in both languages. */
export const REFUSALS = {
  notOpen: 409,
  residentsWindow: 409,
  residentsOnly: 403,
  sessionPast: 409,
  sessionCancelled: 409,
  full: 409,
  ineligibleAge: 422,
  ineligibleAgeSelf: 422,
  birthDateRequired: 422,
  memberRequired: 422,
  unknownMember: 422,
  alreadyBooked: 409,
  holdExpired: 410,
  lotteryOnly: 409,
  lotteryClosed: 409,
  notLottery: 409,
  alreadyEntered: 409,
  notFull: 409,
  alreadyWaiting: 409,
  cancelTooLate: 409,
  notCancellable: 409,
} as const;
export type RefusalCode = keyof typeof REFUSALS;

/** A refusal the resident reads: the use case throws it (its transaction rolls back), the page explains it. */
export class BookingRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: RefusalCode,
    /** Values for the message's placeholders; the page formats dates in its language. */
    readonly params: Record<string, string | number | Date> = {},
    /** The activity the refusal is about, for the "back" link. */
    readonly activitySlug?: string,
  ) {
    super(code);
    this.name = 'BookingRefusal';
    this.status = REFUSALS[code];
  }
}

export interface WindowRules {
  mode: 'fcfs' | 'lottery';
  opensAt: Date;
  residentsOpenAt: Date | null;
  lotteryClosesAt: Date | null;
  residentsOnly: boolean;
}

/** Where registration stands for one person at one moment. */
export type Phase =
  /** Not open yet for this person; it opens for them at `opensAt`. `residentsEarlier`: residents start at that time. */
  | { phase: 'upcoming'; opensAt: Date; residentsEarlier: Date | null }
  /** Residents' earlier window: open to residents with a proof on file, not to this person. */
  | { phase: 'residentsWindow'; opensAt: Date }
  | { phase: 'residentsOnly' }
  /** First come, first served (also a lottery activity's leftover places once its draw ran). */
  | { phase: 'open' }
  /** Lottery entries are taken until `closesAt`. */
  | { phase: 'lottery'; closesAt: Date }
  /** Entries closed; the draw has not run yet (or ran, and places are offered to the winners). */
  | { phase: 'drawing' };

/** The phase of registration for a person who is (or is not) a town resident with a proof on file. */
export function registrationPhase(rules: WindowRules, isResident: boolean, now: Date, drawn = false): Phase {
  if (rules.residentsOnly && !isResident) return { phase: 'residentsOnly' };
  const personalOpen = isResident && rules.residentsOpenAt ? rules.residentsOpenAt : rules.opensAt;
  if (now < personalOpen) {
    if (!isResident && rules.residentsOpenAt && now >= rules.residentsOpenAt) return { phase: 'residentsWindow', opensAt: rules.opensAt };
    return { phase: 'upcoming', opensAt: personalOpen, residentsEarlier: !isResident ? rules.residentsOpenAt : null };
  }
  if (rules.mode === 'lottery' && rules.lotteryClosesAt) {
    if (now < rules.lotteryClosesAt) return { phase: 'lottery', closesAt: rules.lotteryClosesAt };
    return drawn ? { phase: 'open' } : { phase: 'drawing' };
  }
  return { phase: 'open' };
}

/** A calendar date (YYYY-MM-DD) of an instant in a time zone. */
export const dateIn = dayIn;

/** Age in whole years on a day, both YYYY-MM-DD. Someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

export interface AgeLimits {
  minAge: number | null;
  maxAge: number | null;
}

/** The account holder is an adult: an account is an adult's. */
export const ADULT_AGE = 18;

export type Eligibility = { ok: true } | { ok: false; code: 'ineligibleAge' | 'ineligibleAgeSelf' | 'birthDateRequired' | 'memberRequired'; age?: number };

/**
 * May this participant take a place? A household member's age on the session's first day (in the
 * town's time zone) must be within the limits. So must the account holder's, when their profile has
 * their date of birth; without it, they count as an adult of unknown age: fine for an activity open
 * to every adult, asked for their date of birth for one with a higher minimum (50 and over), sent
 * to their household for one for young people.
 */
export function eligibility(limits: AgeLimits, participant: { birthDate: string; self?: boolean } | 'self', sessionDay: string): Eligibility {
  if (participant === 'self') {
    if (limits.maxAge !== null && limits.maxAge < ADULT_AGE) return { ok: false, code: 'memberRequired' };
    if (limits.minAge !== null && limits.minAge > ADULT_AGE) return { ok: false, code: 'birthDateRequired' };
    return { ok: true };
  }
  const age = ageOn(participant.birthDate, sessionDay);
  if ((limits.minAge !== null && age < limits.minAge) || (limits.maxAge !== null && age > limits.maxAge)) {
    if (participant.self && limits.maxAge !== null && limits.maxAge < ADULT_AGE) return { ok: false, code: 'memberRequired' };
    return { ok: false, code: participant.self ? 'ineligibleAgeSelf' : 'ineligibleAge', age };
  }
  return { ok: true };
}

/** Residents with a proof on file pay the resident price. */
export function priceFor(prices: { residentCents: number; nonresidentCents: number }, isResident: boolean) {
  return isResident
    ? { rate: 'resident' as const, cents: prices.residentCents }
    : { rate: 'nonresident' as const, cents: prices.nonresidentCents };
}

/** A held place may always be let go; a confirmed one until `hoursBefore` hours before the start. */
export function cancellable(status: 'held' | 'confirmed', startsAt: Date, hoursBefore: number, now: Date): boolean {
  if (status === 'held') return true;
  return now.getTime() <= startsAt.getTime() - hoursBefore * 3_600_000;
}

/** Formats cents as Canadian dollars in the page's language. */
export function formatMoney(locale: 'fr' | 'en', cents: number): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { style: 'currency', currency: 'CAD' }).format(cents / 100);
}
