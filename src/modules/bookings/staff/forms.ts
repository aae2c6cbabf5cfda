/**
 * The staff booking forms: each field's limits, then the rules between fields, with a translated
 * message at each field. Parsing gives the use case's typed input, or the values and errors the
 * page shows again (status 422).
 */
import { defineForm, type FormValues } from '../../../platform/forms.ts';
import type { Translate } from '../../../platform/i18n.ts';
import type { ActivityInput, NewSession } from './catalogue.ts';
import { addDaysLocal, instantToLocal, localToInstant } from './time.ts';

export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 2000;
export const PRICE_MAX_CENTS = 100_000_000;

const text = (label: string, max: number, required = true, min?: number) =>
  ({ kind: 'text' as const, required, max, label: `staffBookings.fields.${label}`, ...(min ? { min } : {}) });

export const activityForm = defineForm({
  kind: { kind: 'choice', required: true, max: 10, choices: ['facility', 'activity'], label: 'staffBookings.fields.kind' },
  slug: text('slug', 63, true, 2),
  nameFr: text('nameFr', NAME_MAX),
  nameEn: text('nameEn', NAME_MAX),
  descriptionFr: { kind: 'multiline', required: false, max: DESCRIPTION_MAX, label: 'staffBookings.fields.descriptionFr' },
  descriptionEn: { kind: 'multiline', required: false, max: DESCRIPTION_MAX, label: 'staffBookings.fields.descriptionEn' },
  minAge: text('minAge', 3, false),
  maxAge: text('maxAge', 3, false),
  residentPrice: text('residentPrice', 12),
  nonresidentPrice: text('nonresidentPrice', 12),
  residentsOnly: { kind: 'choice', required: false, max: 3, choices: ['yes'], label: 'staffBookings.fields.residentsOnly' },
  mode: { kind: 'choice', required: true, max: 10, choices: ['fcfs', 'lottery'], label: 'staffBookings.fields.mode' },
  opensAt: text('opensAt', 20),
  residentsOpenAt: text('residentsOpenAt', 20, false),
  lotteryClosesAt: text('lotteryClosesAt', 20, false),
  cancelHours: text('cancelHours', 4),
  holdMinutes: text('holdMinutes', 2),
  offerHours: text('offerHours', 3),
  published: { kind: 'choice', required: false, max: 3, choices: ['yes'], label: 'staffBookings.fields.published' },
});
export type ActivityValues = FormValues<typeof activityForm.fields>;

export const sessionForm = defineForm({
  startsAt: text('startsAt', 20),
  endsAt: text('endsAt', 20),
  capacity: text('capacity', 6),
});
export type SessionValues = FormValues<typeof sessionForm.fields>;

export const seriesForm = defineForm({
  firstStartsAt: text('firstStartsAt', 20),
  minutes: text('minutes', 4),
  weeks: text('weeks', 3),
  seriesCapacity: text('seriesCapacity', 6),
});
export type SeriesValues = FormValues<typeof seriesForm.fields>;

export const capacityForm = defineForm({ capacity: text('capacity', 6) });
export const moveForm = defineForm({ session: text('moveTo', 36) });
export const approveForm = defineForm({ validUntil: text('validUntil', 10) });
export const refuseForm = defineForm({ reason: { kind: 'multiline', required: true, max: 1000, label: 'staffBookings.fields.reason' } });
export const buttonForm = defineForm({});
export const residencyForm = defineForm({
  address: { kind: 'text', required: true, max: 300, min: 5, label: 'staffBookings.fields.address' },
  proof: { kind: 'multiline', required: true, max: 1000, min: 2, label: 'staffBookings.fields.proof' },
});

export const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** A whole number in [min, max] as typed, or null. */
export function parseWhole(value: string, min: number, max: number): number | null {
  if (!/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** Dollars as typed ("12", "12.50", "12,50", "12 $") in cents, or null. */
export function parseMoney(value: string): number | null {
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?\s*\$?$/.exec(value.replace(/\u00a0/g, ' ').replace(/^\$\s*/, ''));
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents <= PRICE_MAX_CENTS ? cents : null;
}

export function moneyValue(cents: number): string {
  return (cents / 100).toFixed(2);
}

type Errors = Record<string, string>;
export type Parsed<T, V> = { ok: true; input: T; values: V } | { ok: false; values: V; errors: Errors };

/** The activity form, checked field by field and then across fields. */
export function parseActivity(body: unknown, t: Translate, timeZone: string): Parsed<ActivityInput, ActivityValues> {
  const parsed = activityForm.parse(body, t);
  const v = parsed.values;
  const errors: Errors = parsed.ok ? {} : { ...parsed.errors };
  const err = (field: string, key: string, params: Record<string, string | number> = {}) => {
    errors[field] ??= t(`staffBookings.errors.${key}`, { label: t(`staffBookings.fields.${field}`), ...params });
  };
  if (v.slug && !SLUG.test(v.slug)) err('slug', 'slug');
  const age = (field: 'minAge' | 'maxAge') => {
    if (v[field] === '') return null;
    const n = parseWhole(v[field], 0, 120);
    if (n === null) err(field, 'whole', { min: 0, max: 120 });
    return n;
  };
  const minAge = age('minAge');
  const maxAge = age('maxAge');
  if (minAge !== null && maxAge !== null && minAge > maxAge) err('maxAge', 'maxBelowMin');
  const money = (field: 'residentPrice' | 'nonresidentPrice') => {
    const n = v[field] === '' ? null : parseMoney(v[field]);
    if (v[field] !== '' && n === null) err(field, 'money');
    return n ?? 0;
  };
  const residentPriceCents = money('residentPrice');
  const nonresidentPriceCents = money('nonresidentPrice');
  const when = (field: 'opensAt' | 'residentsOpenAt' | 'lotteryClosesAt') => {
    if (v[field] === '') return null;
    const at = localToInstant(v[field], timeZone);
    if (!at) err(field, 'dateTime');
    return at;
  };
  const opensAt = when('opensAt');
  const residentsOpenAt = when('residentsOpenAt');
  const lotteryClosesAt = when('lotteryClosesAt');
  if (opensAt && residentsOpenAt && residentsOpenAt > opensAt) err('residentsOpenAt', 'residentsAfterOpening');
  if (v.mode === 'lottery' && v.lotteryClosesAt === '') err('lotteryClosesAt', 'lotteryNeedsClose');
  if (v.mode === 'fcfs' && v.lotteryClosesAt !== '') err('lotteryClosesAt', 'closeOnlyForLottery');
  if (v.mode === 'lottery' && opensAt && lotteryClosesAt && lotteryClosesAt <= opensAt) err('lotteryClosesAt', 'closeBeforeOpening');
  const whole = (field: 'cancelHours' | 'holdMinutes' | 'offerHours', min: number, max: number) => {
    const n = parseWhole(v[field], min, max);
    if (v[field] !== '' && n === null) err(field, 'whole', { min, max });
    return n ?? min;
  };
  const cancelHoursBefore = whole('cancelHours', 0, 8760);
  const holdMinutes = whole('holdMinutes', 1, 60);
  const offerHours = whole('offerHours', 1, 168);
  if (Object.keys(errors).length > 0 || !opensAt) return { ok: false, values: v, errors };
  return {
    ok: true,
    values: v,
    input: {
      slug: v.slug,
      kind: v.kind as ActivityInput['kind'],
      name: { fr: v.nameFr, en: v.nameEn },
      description: { fr: v.descriptionFr, en: v.descriptionEn },
      minAge,
      maxAge,
      residentPriceCents,
      nonresidentPriceCents,
      residentsOnly: v.residentsOnly === 'yes',
      mode: v.mode as ActivityInput['mode'],
      opensAt,
      residentsOpenAt,
      lotteryClosesAt: v.mode === 'lottery' ? lotteryClosesAt : null,
      cancelHoursBefore,
      holdMinutes,
      offerHours,
      published: v.published === 'yes',
    },
  };
}

/** The form's values for an activity being changed. */
export function activityValues(a: ActivityInput, timeZone: string): ActivityValues {
  const local = (d: Date | null) => (d ? instantToLocal(d, timeZone) : '');
  return {
    kind: a.kind,
    slug: a.slug,
    nameFr: a.name.fr,
    nameEn: a.name.en,
    descriptionFr: a.description.fr,
    descriptionEn: a.description.en,
    minAge: a.minAge === null ? '' : String(a.minAge),
    maxAge: a.maxAge === null ? '' : String(a.maxAge),
    residentPrice: moneyValue(a.residentPriceCents),
    nonresidentPrice: moneyValue(a.nonresidentPriceCents),
    residentsOnly: a.residentsOnly ? 'yes' : '',
    mode: a.mode,
    opensAt: local(a.opensAt),
    residentsOpenAt: local(a.residentsOpenAt),
    lotteryClosesAt: local(a.lotteryClosesAt),
    cancelHours: String(a.cancelHoursBefore),
    holdMinutes: String(a.holdMinutes),
    offerHours: String(a.offerHours),
    published: a.published ? 'yes' : '',
  };
}

/** A blank activity form: registration opens now, the usual rules. */
export function blankActivity(timeZone: string, now: Date): ActivityValues {
  return {
    kind: 'activity',
    slug: '',
    nameFr: '',
    nameEn: '',
    descriptionFr: '',
    descriptionEn: '',
    minAge: '',
    maxAge: '',
    residentPrice: '0.00',
    nonresidentPrice: '0.00',
    residentsOnly: '',
    mode: 'fcfs',
    opensAt: instantToLocal(now, timeZone),
    residentsOpenAt: '',
    lotteryClosesAt: '',
    cancelHours: '24',
    holdMinutes: '10',
    offerHours: '24',
    published: 'yes',
  };
}

const CAPACITY_MAX = 100_000;

/** One session: start, end (after the start, within 7 days), capacity. */
export function parseSession(body: unknown, t: Translate, timeZone: string): Parsed<NewSession, SessionValues> {
  const parsed = sessionForm.parse(body, t);
  const v = parsed.values;
  const errors: Errors = parsed.ok ? {} : { ...parsed.errors };
  const err = (field: string, key: string, params: Record<string, string | number> = {}) => {
    errors[field] ??= t(`staffBookings.errors.${key}`, { label: t(`staffBookings.fields.${field}`), ...params });
  };
  const startsAt = v.startsAt ? localToInstant(v.startsAt, timeZone) : null;
  if (v.startsAt && !startsAt) err('startsAt', 'dateTime');
  const endsAt = v.endsAt ? localToInstant(v.endsAt, timeZone) : null;
  if (v.endsAt && !endsAt) err('endsAt', 'dateTime');
  if (startsAt && endsAt && !(endsAt > startsAt)) err('endsAt', 'endBeforeStart');
  if (startsAt && endsAt && endsAt.getTime() - startsAt.getTime() > 7 * 86_400_000) err('endsAt', 'tooLong');
  const capacity = v.capacity ? parseWhole(v.capacity, 0, CAPACITY_MAX) : null;
  if (v.capacity && capacity === null) err('capacity', 'whole', { min: 0, max: CAPACITY_MAX });
  if (Object.keys(errors).length > 0 || !startsAt || !endsAt || capacity === null) return { ok: false, values: v, errors };
  return { ok: true, values: v, input: { startsAt, endsAt, capacity } };
}

/** A weekly series: the first start, a length in minutes, how many weeks, the capacity of each. */
export function parseSeries(body: unknown, t: Translate, timeZone: string): Parsed<NewSession[], SeriesValues> {
  const parsed = seriesForm.parse(body, t);
  const v = parsed.values;
  const errors: Errors = parsed.ok ? {} : { ...parsed.errors };
  const err = (field: string, key: string, params: Record<string, string | number> = {}) => {
    errors[field] ??= t(`staffBookings.errors.${key}`, { label: t(`staffBookings.fields.${field}`), ...params });
  };
  const first = v.firstStartsAt ? localToInstant(v.firstStartsAt, timeZone) : null;
  if (v.firstStartsAt && !first) err('firstStartsAt', 'dateTime');
  const minutes = v.minutes ? parseWhole(v.minutes, 5, 1440) : null;
  if (v.minutes && minutes === null) err('minutes', 'whole', { min: 5, max: 1440 });
  const weeks = v.weeks ? parseWhole(v.weeks, 1, 52) : null;
  if (v.weeks && weeks === null) err('weeks', 'whole', { min: 1, max: 52 });
  const capacity = v.seriesCapacity ? parseWhole(v.seriesCapacity, 0, CAPACITY_MAX) : null;
  if (v.seriesCapacity && capacity === null) err('seriesCapacity', 'whole', { min: 0, max: CAPACITY_MAX });
  if (Object.keys(errors).length > 0 || !first || minutes === null || weeks === null || capacity === null) return { ok: false, values: v, errors };
  const sessions: NewSession[] = [];
  for (let i = 0; i < weeks; i++) {
    // The same wall-clock time every week, across a change of time.
    const startsAt = localToInstant(addDaysLocal(v.firstStartsAt, 7 * i), timeZone)!;
    sessions.push({ startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000), capacity });
  }
  return { ok: true, values: v, input: sessions };
}

/** A calendar day YYYY-MM-DD, a real one between 2000 and 2200. */
export function validDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 2200 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
