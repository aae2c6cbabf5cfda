/**
 * Server-side validation of answers against a form: every rule of the definition, whatever the
 * page sent. Hidden questions (by condition or page) are ignored and left out of the clean answers.
 * Errors are codes with parameters; `fieldMessage` turns one into the person's language.
 */
import { translator, type Locale } from '../../../platform/i18n.ts';
import {
  FILE_TYPES,
  LIMITS,
  SAFE_PATTERNS,
  type AddressAnswer,
  type CleanAnswer,
  type CleanAnswers,
  type FileMeta,
  type FormDefinition,
  type Question,
  type RawAnswer,
} from './definition.ts';
import { isAnswered, visibility } from './visibility.ts';

export const ANSWER_ERRORS = [
  'required',
  'tooShort',
  'tooLong',
  'pattern',
  'notNumber',
  'notInteger',
  'tooSmall',
  'tooLarge',
  'notDate',
  'tooEarly',
  'tooLate',
  'notOption',
  'tooFew',
  'tooMany',
  'fileType',
  'fileTooLarge',
  'tooManyFiles',
  'fileUnreadable',
  'lot',
] as const;
export type AnswerErrorCode = (typeof ANSWER_ERRORS)[number];

export interface FieldError {
  /** The question's code (the form field's name). */
  question: string;
  code: AnswerErrorCode;
  params: Record<string, string | number>;
}

/** One error's message in one language, e.g. "Enter a number of 10 or more". */
export function fieldMessage(error: FieldError, locale: Locale): string {
  const t = translator(locale);
  const params = { ...error.params };
  if (error.code === 'pattern') return t(`applications.answer.pattern.${String(params.pattern)}`);
  if (error.code === 'fileTooLarge') params.max = formatBytes(Number(params.max), locale);
  else if (error.code === 'tooSmall') params.min = formatNumber(Number(params.min), locale);
  else if (error.code === 'tooLarge') params.max = formatNumber(Number(params.max), locale);
  return t(`applications.answer.${error.code}`, params);
}

/** Both languages at once (the engine's tests, API clients). */
export function fieldMessages(error: FieldError): { fr: string; en: string } {
  return { fr: fieldMessage(error, 'fr'), en: fieldMessage(error, 'en') };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** today ± days, both YYYY-MM-DD. */
export function addDays(today: string, days: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "12,5", "1 200" and "1200.5" read as numbers (French decimal comma and spaces forgiven). */
export function readNumber(raw: string): number | null {
  const s = raw.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

type Check = { ok: true; value: CleanAnswer } | { ok: false; code: AnswerErrorCode; params?: Record<string, string | number> };

const asText = (raw: RawAnswer | undefined): string => (typeof raw === 'string' ? raw : '');
const asList = (raw: RawAnswer | undefined): string[] => (Array.isArray(raw) ? raw : typeof raw === 'string' && raw !== '' ? [raw] : []);

function checkAnswer(q: Question, raw: RawAnswer | undefined, today: string): Check {
  switch (q.kind) {
    case 'text': {
      const text = asText(raw).trim().replace(/\r\n/g, '\n');
      const max = Math.min(q.maxLength, LIMITS.textMax);
      if (q.minLength !== null && text.length < q.minLength) return { ok: false, code: 'tooShort', params: { min: q.minLength } };
      if (text.length > max) return { ok: false, code: 'tooLong', params: { max } };
      if (q.pattern && !SAFE_PATTERNS[q.pattern].test(text)) return { ok: false, code: 'pattern', params: { pattern: q.pattern } };
      return { ok: true, value: q.pattern === 'postalCode' ? text.toUpperCase() : text };
    }
    case 'number': {
      const n = readNumber(asText(raw));
      if (n === null || Math.abs(n) > LIMITS.number) return { ok: false, code: 'notNumber' };
      if (q.integer && !Number.isInteger(n)) return { ok: false, code: 'notInteger' };
      if (q.min !== null && n < q.min) return { ok: false, code: 'tooSmall', params: { min: q.min } };
      if (q.max !== null && n > q.max) return { ok: false, code: 'tooLarge', params: { max: q.max } };
      return { ok: true, value: n };
    }
    case 'date': {
      const d = asText(raw).trim();
      if (!isIsoDate(d)) return { ok: false, code: 'notDate' };
      if (q.minDaysFromToday !== null && d < addDays(today, q.minDaysFromToday)) return { ok: false, code: 'tooEarly', params: { date: addDays(today, q.minDaysFromToday) } };
      if (q.maxDaysFromToday !== null && d > addDays(today, q.maxDaysFromToday)) return { ok: false, code: 'tooLate', params: { date: addDays(today, q.maxDaysFromToday) } };
      return { ok: true, value: d };
    }
    case 'single': {
      const v = asText(raw);
      if (!q.options.some((o) => o.value === v)) return { ok: false, code: 'notOption' };
      return { ok: true, value: v };
    }
    case 'multiple': {
      const picked = [...new Set(asList(raw))];
      if (picked.some((v) => !q.options.some((o) => o.value === v))) return { ok: false, code: 'notOption' };
      if (q.minSelected !== null && picked.length < q.minSelected) return { ok: false, code: 'tooFew', params: { min: q.minSelected } };
      if (q.maxSelected !== null && picked.length > q.maxSelected) return { ok: false, code: 'tooMany', params: { max: q.maxSelected } };
      // In the form's order, whatever order the page sent them in.
      return { ok: true, value: q.options.map((o) => o.value).filter((v) => picked.includes(v)) };
    }
    case 'yesno': {
      const v = asText(raw);
      if (v !== 'yes' && v !== 'no') return { ok: false, code: 'notOption' };
      return { ok: true, value: v };
    }
    case 'address': {
      const a: AddressAnswer = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : { address: asText(raw), lot: '' };
      const address = String(a.address ?? '').trim();
      const lot = String(a.lot ?? '').trim();
      if (address.length > LIMITS.addressLength) return { ok: false, code: 'tooLong', params: { max: LIMITS.addressLength } };
      if (lot !== '' && !SAFE_PATTERNS.lot.test(lot)) return { ok: false, code: 'lot' };
      return { ok: true, value: { address, lot: lot.replace(/\s/g, '') } };
    }
    case 'file':
      return { ok: true, value: '' };
  }
}

/** Whether one file may be attached to this file question (type and size; the count is separate). */
export function checkFile(q: Question, file: { contentType: string; size: number }): FieldError | null {
  if (q.kind !== 'file') return { question: q.code, code: 'fileType', params: { types: '' } };
  const allowed = q.accept.map((t) => FILE_TYPES[t]) as string[];
  if (!allowed.includes(file.contentType)) return { question: q.code, code: 'fileType', params: { types: q.accept.map((t) => t.toUpperCase()).join(', ') } };
  if (file.size > q.maxBytes) return { question: q.code, code: 'fileTooLarge', params: { max: q.maxBytes } };
  return null;
}

/** A size as people read it: "5 Mo" / "5 MB", "300 ko" / "300 KB". */
export function formatBytes(bytes: number, locale: Locale): string {
  const mb = bytes >= 1024 * 1024;
  const n = mb ? Math.round((bytes / (1024 * 1024)) * 10) / 10 : Math.ceil(bytes / 1024);
  const unit = locale === 'fr' ? (mb ? 'Mo' : 'ko') : mb ? 'MB' : 'KB';
  return `${formatNumber(n, locale)}\u00a0${unit}`;
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { maximumFractionDigits: 2 }).format(n);
}

export interface Validation {
  ok: boolean;
  errors: FieldError[];
  /** The visible questions' answers, cleaned; hidden and unanswered questions are left out. */
  answers: CleanAnswers;
}

export interface ValidateOptions {
  /** Today in the town's time zone, YYYY-MM-DD (date rules are relative to it). */
  today: string;
  /** Only these questions (one page's); by default the whole form. */
  only?: ReadonlySet<string>;
}

/**
 * Checks answers against every rule of the form. Visibility is decided on the answers as given;
 * a hidden question is neither required nor checked, and its answer is dropped.
 */
export function validateAnswers(def: FormDefinition, raw: Readonly<Record<string, RawAnswer>>, files: readonly FileMeta[], options: ValidateOptions): Validation {
  const visible = visibility(def, raw, files);
  const errors: FieldError[] = [];
  const answers: CleanAnswers = {};
  for (const page of def.pages) {
    for (const q of page.questions) {
      if (!visible.questions.has(q.code)) continue;
      if (options.only && !options.only.has(q.code)) continue;
      const given = raw[q.code];
      if (q.kind === 'file') {
        const mine = files.filter((f) => f.questionCode === q.code);
        if (q.required && mine.length === 0) errors.push({ question: q.code, code: 'required', params: {} });
        if (mine.length > q.maxFiles) errors.push({ question: q.code, code: 'tooManyFiles', params: { max: q.maxFiles } });
        for (const f of mine) {
          const e = checkFile(q, f);
          if (e) errors.push(e);
        }
        continue;
      }
      if (!isAnswered(q, given)) {
        if (q.required) errors.push({ question: q.code, code: 'required', params: {} });
        continue;
      }
      const checked = checkAnswer(q, given, options.today);
      if (checked.ok) answers[q.code] = checked.value;
      else errors.push({ question: q.code, code: checked.code, params: checked.params ?? {} });
    }
  }
  return { ok: errors.length === 0, errors, answers };
}
