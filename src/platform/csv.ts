/**
 * CSV as spreadsheets read it safely (RFC 4180): fields quoted when they hold a quote, a comma, a
 * semicolon or a line break; lines end with CRLF; UTF-8 with a byte order mark so Excel shows
 * accents right. A cell that starts like a formula (= + - @, or a tab or carriage return) is
 * prefixed with an apostrophe so a spreadsheet shows it as text instead of running it (CSV injection).
 * The separator follows the language of the page the file was asked from: a semicolon in French,
 * where Excel (French regional settings, decimal comma) expects one, a comma in English.
 */
import type { Locale } from './i18n.ts';

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]|^\s|\s$/;
export const BOM = '\uFEFF';

export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type CsvSeparator = ',' | ';';

/** The separator a spreadsheet set up for this language expects. */
export const csvSeparatorFor = (locale: Locale): CsvSeparator => (locale === 'fr' ? ';' : ',');

export function csvLine(values: readonly CsvValue[], separator: CsvSeparator = ','): string {
  return `${values.map(csvCell).join(separator)}\r\n`;
}

/** A whole file: the byte order mark, the header line, then one line per row. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>, separator: CsvSeparator = ','): string {
  let out = BOM + csvLine(header, separator);
  for (const row of rows) out += csvLine(row, separator);
  return out;
}
