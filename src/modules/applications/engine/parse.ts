/**
 * Checks a form definition read from outside (the database, the builder, a demo file) and returns
 * it typed, or the problems found. Nothing else ever enters the engine: every limit, code, option
 * and reference (conditions, fee, documents) is checked here.
 */
import {
  CODE,
  CONDITION_OPS,
  FILE_TYPE_NAMES,
  LIMITS,
  MAX_FILE_BYTES,
  QUESTION_KINDS,
  SAFE_PATTERN_NAMES,
  type Bilingual,
  type Condition,
  type FeeRule,
  type FileType,
  type FormDefinition,
  type Option,
  type Page,
  type Question,
  type RequiredDocument,
  type ReviewStep,
  type SafePattern,
} from './definition.ts';

export const DEFINITION_PROBLEMS = [
  'invalid',
  'noPages',
  'duplicateCode',
  'conditionTarget',
  'conditionValue',
  'noOptions',
  'duplicateOption',
  'minMax',
  'feeQuestion',
  'documentQuestion',
] as const;
export type DefinitionProblemCode = (typeof DEFINITION_PROBLEMS)[number];

export interface DefinitionProblem {
  /** Where, e.g. "pages.0.questions.2.label". */
  path: string;
  code: DefinitionProblemCode;
}

export type ParsedDefinition = { ok: true; definition: FormDefinition } | { ok: false; problems: DefinitionProblem[] };

class Bad extends Error {
  constructor(
    readonly path: string,
    readonly code: DefinitionProblemCode = 'invalid',
  ) {
    super(`${code} at ${path}`);
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown, path: string): Obj => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Bad(path);
  return v as Obj;
};
const arr = (v: unknown, path: string, max: number): unknown[] => {
  if (!Array.isArray(v) || v.length > max) throw new Bad(path);
  return v;
};
const bool = (v: unknown, path: string): boolean => {
  if (typeof v !== 'boolean') throw new Bad(path);
  return v;
};
const int = (v: unknown, path: string, min: number, max: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Bad(path);
  return v;
};
const num = (v: unknown, path: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > LIMITS.number) throw new Bad(path);
  return v;
};
const optInt = (v: unknown, path: string, min: number, max: number) => (v === null || v === undefined ? null : int(v, path, min, max));
const optNum = (v: unknown, path: string) => (v === null || v === undefined ? null : num(v, path));
const code = (v: unknown, path: string): string => {
  if (typeof v !== 'string' || !CODE.test(v)) throw new Bad(path);
  return v;
};
function text(v: unknown, path: string, min: number, max: number): Bilingual {
  const o = obj(v, path);
  const out = { fr: o.fr, en: o.en };
  for (const l of ['fr', 'en'] as const) {
    const s = out[l];
    if (typeof s !== 'string' || s.trim().length < min || s.length > max) throw new Bad(`${path}.${l}`);
  }
  return { fr: (out.fr as string).trim(), en: (out.en as string).trim() };
}
function oneOf<T extends string>(v: unknown, path: string, list: readonly T[]): T {
  if (typeof v !== 'string' || !(list as readonly string[]).includes(v)) throw new Bad(path);
  return v as T;
}

function condition(v: unknown, path: string): Condition | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, path);
  const op = oneOf(o.op, `${path}.op`, CONDITION_OPS);
  const value = o.value ?? null;
  if (value !== null && typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) throw new Bad(`${path}.value`);
  if (typeof value === 'string' && value.length > 200) throw new Bad(`${path}.value`);
  if (op !== 'answered' && op !== 'notAnswered' && (value === null || value === '')) throw new Bad(`${path}.value`, 'conditionValue');
  return { question: code(o.question, `${path}.question`), op, value: op === 'answered' || op === 'notAnswered' ? null : value };
}

function options(v: unknown, path: string): Option[] {
  const list = arr(v, path, LIMITS.options).map((o, i) => {
    const x = obj(o, `${path}.${i}`);
    if (typeof x.value !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(x.value)) throw new Bad(`${path}.${i}.value`);
    return { value: x.value, label: text(x.label, `${path}.${i}.label`, 1, LIMITS.label) };
  });
  if (list.length === 0) throw new Bad(path, 'noOptions');
  if (new Set(list.map((o) => o.value)).size !== list.length) throw new Bad(path, 'duplicateOption');
  return list;
}

function question(v: unknown, path: string): Question {
  const o = obj(v, path);
  const base = {
    code: code(o.code, `${path}.code`),
    label: text(o.label, `${path}.label`, 1, LIMITS.label),
    help: o.help === undefined ? { fr: '', en: '' } : text(o.help, `${path}.help`, 0, LIMITS.help),
    required: o.required === undefined ? false : bool(o.required, `${path}.required`),
    showIf: condition(o.showIf, `${path}.showIf`),
  };
  const kind = oneOf(o.kind, `${path}.kind`, QUESTION_KINDS);
  const minMax = (min: number | null, max: number | null, at: string) => {
    if (min !== null && max !== null && min > max) throw new Bad(at, 'minMax');
  };
  switch (kind) {
    case 'text': {
      const minLength = optInt(o.minLength, `${path}.minLength`, 0, LIMITS.textMax);
      const maxLength = o.maxLength === undefined ? 500 : int(o.maxLength, `${path}.maxLength`, 1, LIMITS.textMax);
      minMax(minLength, maxLength, `${path}.maxLength`);
      const pattern = o.pattern === null || o.pattern === undefined ? null : oneOf<SafePattern>(o.pattern, `${path}.pattern`, SAFE_PATTERN_NAMES);
      return { ...base, kind, multiline: o.multiline === undefined ? false : bool(o.multiline, `${path}.multiline`), minLength, maxLength, pattern };
    }
    case 'number': {
      const min = optNum(o.min, `${path}.min`);
      const max = optNum(o.max, `${path}.max`);
      minMax(min, max, `${path}.max`);
      const unit = o.unit === null || o.unit === undefined ? null : text(o.unit, `${path}.unit`, 1, 20);
      return { ...base, kind, min, max, integer: o.integer === undefined ? false : bool(o.integer, `${path}.integer`), unit };
    }
    case 'date': {
      const minDays = optInt(o.minDaysFromToday, `${path}.minDaysFromToday`, -LIMITS.days, LIMITS.days);
      const maxDays = optInt(o.maxDaysFromToday, `${path}.maxDaysFromToday`, -LIMITS.days, LIMITS.days);
      minMax(minDays, maxDays, `${path}.maxDaysFromToday`);
      return { ...base, kind, minDaysFromToday: minDays, maxDaysFromToday: maxDays };
    }
    case 'single':
      return { ...base, kind, options: options(o.options, `${path}.options`) };
    case 'multiple': {
      const opts = options(o.options, `${path}.options`);
      const minSelected = optInt(o.minSelected, `${path}.minSelected`, 0, opts.length);
      const maxSelected = optInt(o.maxSelected, `${path}.maxSelected`, 1, opts.length);
      minMax(minSelected, maxSelected, `${path}.maxSelected`);
      return { ...base, kind, options: opts, minSelected, maxSelected };
    }
    case 'yesno':
    case 'address':
      return { ...base, kind };
    case 'file': {
      const accept = arr(o.accept, `${path}.accept`, FILE_TYPE_NAMES.length).map((t, i) => oneOf<FileType>(t, `${path}.accept.${i}`, FILE_TYPE_NAMES));
      if (accept.length === 0 || new Set(accept).size !== accept.length) throw new Bad(`${path}.accept`);
      return {
        ...base,
        kind,
        accept,
        maxBytes: int(o.maxBytes, `${path}.maxBytes`, 1024, MAX_FILE_BYTES),
        maxFiles: o.maxFiles === undefined ? 1 : int(o.maxFiles, `${path}.maxFiles`, 1, LIMITS.maxFiles),
      };
    }
  }
}

function fee(v: unknown, path: string): FeeRule {
  const o = obj(v, path);
  const kind = oneOf(o.kind, `${path}.kind`, ['none', 'fixed', 'perUnit'] as const);
  if (kind === 'none') return { kind };
  if (kind === 'fixed') return { kind, cents: int(o.cents, `${path}.cents`, 0, LIMITS.feeCents) };
  const minCents = optInt(o.minCents, `${path}.minCents`, 0, LIMITS.feeCents);
  const maxCents = optInt(o.maxCents, `${path}.maxCents`, 0, LIMITS.feeCents);
  if (minCents !== null && maxCents !== null && minCents > maxCents) throw new Bad(`${path}.maxCents`, 'minMax');
  return {
    kind,
    question: code(o.question, `${path}.question`),
    baseCents: o.baseCents === undefined ? 0 : int(o.baseCents, `${path}.baseCents`, 0, LIMITS.feeCents),
    centsPerUnit: int(o.centsPerUnit, `${path}.centsPerUnit`, 0, LIMITS.feeCents),
    minCents,
    maxCents,
  };
}

/** The cross-references: unique codes, conditions on earlier questions, fee and documents on the right kinds. */
function crossCheck(def: FormDefinition): void {
  const seen = new Map<string, Question>();
  const pageCodes = new Set<string>();
  const checkCondition = (cond: Condition | null, path: string) => {
    if (!cond) return;
    const target = seen.get(cond.question);
    if (!target) throw new Bad(`${path}.question`, 'conditionTarget');
    if (cond.value !== null && (target.kind === 'single' || target.kind === 'multiple') && ['equals', 'notEquals', 'includes', 'excludes'].includes(cond.op)) {
      if (!target.options.some((o) => o.value === String(cond.value))) throw new Bad(`${path}.value`, 'conditionValue');
    }
    if (target.kind === 'yesno' && cond.value !== null && cond.value !== 'yes' && cond.value !== 'no') throw new Bad(`${path}.value`, 'conditionValue');
  };
  def.pages.forEach((page, p) => {
    if (pageCodes.has(page.code)) throw new Bad(`pages.${p}.code`, 'duplicateCode');
    pageCodes.add(page.code);
    checkCondition(page.showIf, `pages.${p}.showIf`);
    page.questions.forEach((q, i) => {
      if (seen.has(q.code)) throw new Bad(`pages.${p}.questions.${i}.code`, 'duplicateCode');
      checkCondition(q.showIf, `pages.${p}.questions.${i}.showIf`);
      seen.set(q.code, q);
    });
  });
  if (def.fee.kind === 'perUnit' && seen.get(def.fee.question)?.kind !== 'number') throw new Bad('fee.question', 'feeQuestion');
  def.documents.forEach((d, i) => {
    if (d.question !== null && seen.get(d.question)?.kind !== 'file') throw new Bad(`documents.${i}.question`, 'documentQuestion');
  });
}

export function parseDefinition(input: unknown): ParsedDefinition {
  try {
    const o = obj(input, '');
    const pages: Page[] = arr(o.pages, 'pages', LIMITS.pages).map((p, i) => {
      const x = obj(p, `pages.${i}`);
      return {
        code: code(x.code, `pages.${i}.code`),
        title: text(x.title, `pages.${i}.title`, 1, LIMITS.label),
        intro: x.intro === undefined ? { fr: '', en: '' } : text(x.intro, `pages.${i}.intro`, 0, LIMITS.help),
        questions: arr(x.questions, `pages.${i}.questions`, LIMITS.questionsPerPage).map((q, j) => question(q, `pages.${i}.questions.${j}`)),
        showIf: condition(x.showIf, `pages.${i}.showIf`),
      };
    });
    if (pages.length === 0) throw new Bad('pages', 'noPages');
    const documents: RequiredDocument[] = arr(o.documents ?? [], 'documents', LIMITS.documents).map((d, i) => {
      const x = obj(d, `documents.${i}`);
      return { label: text(x.label, `documents.${i}.label`, 1, LIMITS.label), question: x.question === null || x.question === undefined ? null : code(x.question, `documents.${i}.question`) };
    });
    const steps: ReviewStep[] = arr(o.steps ?? [], 'steps', LIMITS.steps).map((s, i) => {
      const x = obj(s, `steps.${i}`);
      return { code: code(x.code, `steps.${i}.code`), label: text(x.label, `steps.${i}.label`, 1, LIMITS.label) };
    });
    if (new Set(steps.map((s) => s.code)).size !== steps.length) throw new Bad('steps', 'duplicateCode');
    const definition: FormDefinition = {
      pages,
      documents,
      fee: fee(o.fee ?? { kind: 'none' }, 'fee'),
      steps,
      targetDays: int(o.targetDays ?? 30, 'targetDays', 1, 365),
    };
    crossCheck(definition);
    return { ok: true, definition };
  } catch (err) {
    if (err instanceof Bad) return { ok: false, problems: [{ path: err.path, code: err.code }] };
    throw err;
  }
}

/** A definition known to be good (the database's, code's): parses or throws. */
export function definitionOf(input: unknown): FormDefinition {
  const parsed = parseDefinition(input);
  if (!parsed.ok) throw new Error(`invalid form definition: ${parsed.problems.map((p) => `${p.code} at ${p.path}`).join('; ')}`);
  return parsed.definition;
}
