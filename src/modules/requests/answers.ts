/**
 * Checks the answers to a type's questions by Open311 datatype. Pure: the report use case, the
 * pages and the Open311 API share it. Answers to unknown questions are dropped; blank answers to
 * optional questions are left out.
 */
import type { Question, RequestAnswer } from './types.ts';

export const STRING_ANSWER_MAX = 300;
export const TEXT_ANSWER_MAX = 4000;

export type AnswerError = 'required' | 'number' | 'datetime' | 'choice' | 'tooLong';

/** What a form or an API client sent: text, or several texts for a multi-value list. */
export type RawAnswers = Record<string, string | number | readonly string[] | undefined>;

export type AnswersResult = { ok: true; answers: Record<string, RequestAnswer> } | { ok: false; errors: Record<string, AnswerError> };

const NUMBER = /^[-+]?\d{1,15}([.,]\d{1,10})?$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function validDatetime(value: string): boolean {
  const m = DATETIME.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
  return y >= 1900 && y <= 2200;
}

const asList = (raw: RawAnswers[string]): string[] =>
  raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];

function check(q: Question, raw: RawAnswers[string]): { value?: RequestAnswer; error?: AnswerError } {
  if (q.datatype === 'multivaluelist') {
    const keys = [...new Set(asList(raw).map((v) => v.trim()).filter((v) => v !== ''))];
    if (keys.length === 0) return q.required ? { error: 'required' } : {};
    if (!keys.every((k) => q.values.some((v) => v.key === k))) return { error: 'choice' };
    return { value: q.values.filter((v) => keys.includes(v.key)).map((v) => v.key) };
  }
  const list = asList(raw);
  if (list.length > 1) return { error: q.datatype === 'singlevaluelist' ? 'choice' : 'tooLong' };
  const text = (list[0] ?? '').trim();
  if (text === '') return q.required ? { error: 'required' } : {};
  switch (q.datatype) {
    case 'string':
      return [...text].length > STRING_ANSWER_MAX || /[\r\n]/.test(text) ? { error: 'tooLong' } : { value: text };
    case 'text':
      return [...text].length > TEXT_ANSWER_MAX ? { error: 'tooLong' } : { value: text };
    case 'number': {
      if (!NUMBER.test(text)) return { error: 'number' };
      const n = Number(text.replace(',', '.'));
      return Number.isFinite(n) ? { value: n } : { error: 'number' };
    }
    case 'datetime':
      return validDatetime(text) ? { value: text } : { error: 'datetime' };
    case 'singlevaluelist':
      return q.values.some((v) => v.key === text) ? { value: text } : { error: 'choice' };
  }
}

export function checkAnswers(questions: readonly Question[], raw: RawAnswers): AnswersResult {
  const answers: Record<string, RequestAnswer> = {};
  const errors: Record<string, AnswerError> = {};
  for (const q of questions) {
    const { value, error } = check(q, Object.hasOwn(raw, q.code) ? raw[q.code] : undefined);
    if (error) errors[q.code] = error;
    else if (value !== undefined) answers[q.code] = value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers };
}
