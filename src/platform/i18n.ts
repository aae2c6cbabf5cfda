/**
 * UI strings live in locales/{fr,en}/<namespace>.json as nested objects; a key is
 * "<namespace>.<path>", e.g. "common.skipLink". Placeholders are written {name}.
 * Keys are never English sentences. A test checks both languages hold the same keys and
 * placeholders, and that every key is used somewhere in the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');

export function isLocale(value: unknown): value is Locale {
  return value === 'fr' || value === 'en';
}

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix: string, out: Map<string, string>): void {
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
}

/** Reads every namespace file of one language into a flat map of key → message. */
export function loadMessages(locale: Locale, dir = LOCALES_DIR): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of fs.readdirSync(path.join(dir, locale)).sort()) {
    if (!file.endsWith('.json')) continue;
    const ns = file.slice(0, -'.json'.length);
    flatten(JSON.parse(fs.readFileSync(path.join(dir, locale, file), 'utf8')) as Tree, ns, out);
  }
  return out;
}

export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

const catalogues = new Map<Locale, Map<string, string>>(LOCALES.map((l) => [l, loadMessages(l)]));

export class MissingMessageError extends Error {}

export function translator(locale: Locale): Translate {
  const messages = catalogues.get(locale)!;
  return (key, params) => {
    const message = messages.get(key);
    if (message === undefined) throw new MissingMessageError(`No ${locale} message for "${key}"`);
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

/** The preferred supported language from an Accept-Language header, French when nothing matches. */
export function negotiateLocale(header: string | undefined, fallback: Locale = 'fr'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: (tag ?? '').trim().toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((e) => e.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((e) => e.lang).find(isLocale) ?? fallback;
}

/** Formats a date for people, in the town's time zone. */
export function formatDateTime(locale: Locale, timeZone: string, date: Date): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(date);
}
