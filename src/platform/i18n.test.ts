/**
 * Bilingual is a rule: both languages hold the same keys with the same placeholders, no message is
 * empty, and every key is used by the code (as a literal, or matched by a template literal).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, loadMessages, negotiateLocale, placeholders, translator } from './i18n.ts';

const fr = loadMessages('fr');
const en = loadMessages('en');
const SRC = path.resolve(LOCALES_DIR, '../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('message catalogues', () => {
  it('has the same keys in French and English', () => {
    const missingInEn = [...fr.keys()].filter((k) => !en.has(k));
    const missingInFr = [...en.keys()].filter((k) => !fr.has(k));
    expect({ missingInEn, missingInFr }).toEqual({ missingInEn: [], missingInFr: [] });
  });

  it('has the same placeholders in both languages and no empty message', () => {
    const mismatched = [...fr.keys()]
      .filter((k) => en.has(k) && placeholders(fr.get(k)!).join() !== placeholders(en.get(k)!).join())
      .map((k) => `${k}: fr {${placeholders(fr.get(k)!).join()}} en {${placeholders(en.get(k)!).join()}}`);
    expect(mismatched).toEqual([]);
    const empty = [...fr, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('uses every key somewhere in the code', () => {
    const code = sourceFiles(SRC).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const literals = new Set([...code.matchAll(/['"`]([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+)['"`]/g)].map((m) => m[1]!));
    // Template literals such as `errors.${code}.title` match any key of that shape.
    const patterns = [...code.matchAll(/`([a-zA-Z0-9_.]*\$\{[^`]*)`/g)]
      .map((m) => m[1]!)
      .filter((tpl) => /^[a-zA-Z0-9_]+\./.test(tpl))
      .map((tpl) => new RegExp(`^${tpl.split(/\$\{[^}]*\}/).map((part) => part.replace(/\./g, '\\.')).join('[a-zA-Z0-9_.]+')}$`));
    const unused = [...fr.keys()].filter((k) => !literals.has(k) && !patterns.some((p) => p.test(k)));
    expect(unused).toEqual([]);
  });

  it('uses French typography: no straight apostrophe in French messages', () => {
    const straight = [...fr].filter(([, v]) => /[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/.test(v)).map(([k]) => k);
    expect(straight).toEqual([]);
  });
});

describe('translator', () => {
  it('fills placeholders and throws on a missing key', () => {
    expect(translator('fr')('common.pageOf', { page: 2, pages: 5 })).toBe('Page 2 de 5');
    expect(translator('en')('common.pageOf', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(() => translator('en')('common.noSuchKey')).toThrow(/common\.noSuchKey/);
  });

  it('negotiates the language from Accept-Language', () => {
    expect(negotiateLocale('en-CA,en;q=0.9')).toBe('en');
    expect(negotiateLocale('fr-CA')).toBe('fr');
    expect(negotiateLocale('es, en;q=0.1')).toBe('en');
    expect(negotiateLocale('en;q=0, fr;q=0.2')).toBe('fr');
    expect(negotiateLocale('de')).toBe('fr');
    expect(negotiateLocale(undefined, 'en')).toBe('en');
    expect(negotiateLocale('garbage;;;q=x')).toBe('fr');
  });
});
