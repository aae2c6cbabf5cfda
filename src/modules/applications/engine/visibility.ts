/**
 * Which pages and questions a person sees, given their answers so far. A question is hidden when
 * its condition does not hold, when the question its condition reads is itself hidden, or when
 * its page is hidden. Conditions only read earlier questions (parse.ts checks it), so one pass in
 * form order decides everything.
 */
import { allQuestions, type AddressAnswer, type Condition, type FileMeta, type FormDefinition, type Page, type Question } from './definition.ts';

type AnyAnswer = string | number | string[] | AddressAnswer | undefined;

/** Whether an answer counts as given (files: at least one attached to the question). */
export function isAnswered(q: Question, answer: AnyAnswer, files: readonly FileMeta[] = []): boolean {
  if (q.kind === 'file') return files.some((f) => f.questionCode === q.code);
  if (answer === undefined) return false;
  if (typeof answer === 'number') return true;
  if (typeof answer === 'string') return answer.trim() !== '';
  if (Array.isArray(answer)) return answer.length > 0;
  return answer.address.trim() !== '' || answer.lot.trim() !== '';
}

function asNumber(value: AnyAnswer): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.trim().replace(/\s/g, '').replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** Compares for gt / lt: numbers as numbers, dates (YYYY-MM-DD) as text. */
function compare(answer: AnyAnswer, value: string | number | null): number | null {
  if (value === null) return null;
  const a = asNumber(answer);
  const b = typeof value === 'number' ? value : asNumber(value);
  if (a !== null && b !== null) return a - b;
  if (typeof answer === 'string' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(answer.trim()) && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return answer.trim() < value ? -1 : answer.trim() > value ? 1 : 0;
  }
  return null;
}

function same(answer: AnyAnswer, value: string | number | null): boolean {
  if (value === null || answer === undefined) return false;
  if (Array.isArray(answer)) return answer.length === 1 && answer[0] === String(value);
  if (typeof answer === 'object') return false;
  if (typeof value === 'number') return asNumber(answer) === value;
  return String(answer).trim() === value;
}

export function conditionHolds(cond: Condition, q: Question, answer: AnyAnswer, files: readonly FileMeta[]): boolean {
  switch (cond.op) {
    case 'answered':
      return isAnswered(q, answer, files);
    case 'notAnswered':
      return !isAnswered(q, answer, files);
    case 'equals':
      return same(answer, cond.value);
    case 'notEquals':
      return isAnswered(q, answer, files) && !same(answer, cond.value);
    case 'includes':
      return Array.isArray(answer) ? answer.includes(String(cond.value)) : same(answer, cond.value);
    case 'excludes':
      return Array.isArray(answer) ? !answer.includes(String(cond.value)) : !same(answer, cond.value);
    case 'gt': {
      const c = compare(answer, cond.value);
      return c !== null && c > 0;
    }
    case 'lt': {
      const c = compare(answer, cond.value);
      return c !== null && c < 0;
    }
  }
}

export interface Visibility {
  /** Codes of the visible questions. */
  questions: Set<string>;
  /** Codes of the visible pages. */
  pages: Set<string>;
}

/** Which pages and questions are shown for these answers. */
export function visibility(def: FormDefinition, answers: Readonly<Record<string, AnyAnswer>>, files: readonly FileMeta[] = []): Visibility {
  const byCode = new Map(allQuestions(def).map((q) => [q.code, q]));
  const questions = new Set<string>();
  const pages = new Set<string>();
  const holds = (cond: Condition | null) => {
    if (!cond) return true;
    const target = byCode.get(cond.question);
    // A condition reading a hidden (or unknown) question does not hold: what it reads was not asked.
    if (!target || !questions.has(target.code)) return false;
    return conditionHolds(cond, target, answers[target.code], files);
  };
  for (const page of def.pages) {
    if (!holds(page.showIf)) continue;
    pages.add(page.code);
    for (const q of page.questions) if (holds(q.showIf)) questions.add(q.code);
  }
  return { questions, pages };
}

/** The visible pages, in order, each with its visible questions. */
export function visiblePages(def: FormDefinition, answers: Readonly<Record<string, AnyAnswer>>, files: readonly FileMeta[] = []): Page[] {
  const v = visibility(def, answers, files);
  return def.pages.filter((p) => v.pages.has(p.code)).map((p) => ({ ...p, questions: p.questions.filter((q) => v.questions.has(q.code)) }));
}
