/**
 * Dates as people read them, in the town's time zone. Making an Intl formatter costs far more than
 * using one (on registration day every confirmation email formats a date): one formatter per
 * language, zone and style, kept.
 */
import type { Locale } from '../../platform/i18n.ts';

type Style = 'dateTime' | 'time' | 'day';
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatter(locale: Locale | 'iso', timeZone: string, style: Style): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${style}`;
  let f = formatters.get(key);
  if (!f) {
    const tag = locale === 'fr' ? 'fr-CA' : 'en-CA';
    const options: Intl.DateTimeFormatOptions =
      style === 'dateTime'
        ? { dateStyle: 'long', timeStyle: 'short', timeZone }
        : style === 'time'
          ? { timeStyle: 'short', timeZone }
          : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone };
    f = new Intl.DateTimeFormat(tag, options);
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** "14 juillet 2026 à 09 h 00" / "July 14, 2026 at 9:00 a.m.", like platform/i18n formatDateTime. */
export function dateTime(locale: Locale, timeZone: string, at: Date): string {
  return formatter(locale, timeZone, 'dateTime').format(at);
}

export function timeOfDay(locale: Locale, timeZone: string, at: Date): string {
  return formatter(locale, timeZone, 'time').format(at);
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(timeZone: string, at: Date): string {
  return formatter('iso', timeZone, 'day').format(at);
}
