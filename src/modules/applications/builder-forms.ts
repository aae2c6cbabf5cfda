/**
 * Reading the builder's plain HTML forms (a question's settings, the fee, documents, steps) into
 * parts of a form definition, with a translated message per field. Whatever comes out still goes
 * through the engine's parseDefinition before it is saved (builder.ts).
 */
import type { Bilingual } from '../../db/schema.ts';
import type { Translate } from '../../platform/i18n.ts';
import {
  CODE,
  CONDITION_OPS,
  FILE_TYPE_NAMES,
  LIMITS,
  MAX_FILE_BYTES,
  QUESTION_KINDS,
  SAFE_PATTERN_NAMES,
  readNumber,
  type Condition,
  type ConditionOp,
  type FeeRule,
  type FileType,
  type FormDefinition,
  type Option,
  type Question,
  type QuestionKind,
  type SafePattern,
} from './engine/index.ts';

export type Fields = Record<string, unknown>;
export type Errors = Record<string, string>;

export const str = (f: Fields, name: string): string => {
  const v = Array.isArray(f[name]) ? (f[name] as unknown[])[0] : f[name];
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '';
};
const list = (f: Fields, name: string): string[] => {
  const v = f[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};

/** A bilingual text from `<name>_fr` and `<name>_en`; both required unless `optional`. */
export function bilingualField(f: Fields, name: string, t: Translate, errors: Errors, max: number, optional = false): Bilingual {
  const out = { fr: str(f, `${name}_fr`), en: str(f, `${name}_en`) };
  for (const l of ['fr', 'en'] as const) {
    const field = `${name}_${l}`;
    if (!optional && out[l] === '') errors[field] = t('applications.builder.errors.required');
    else if ([...out[l]].length > max) errors[field] = t('applications.builder.errors.tooLong', { max });
  }
  return out;
}

/** An optional whole number between min and max ('' → null). */
function intField(f: Fields, name: string, t: Translate, errors: Errors, min: number, max: number): number | null {
  const raw = str(f, name);
  if (raw === '') return null;
  const n = readNumber(raw);
  if (n === null || !Number.isInteger(n) || n < min || n > max) {
    errors[name] = t('applications.builder.errors.wholeNumber', { min, max });
    return null;
  }
  return n;
}

function numField(f: Fields, name: string, t: Translate, errors: Errors): number | null {
  const raw = str(f, name);
  if (raw === '') return null;
  const n = readNumber(raw);
  if (n === null || Math.abs(n) > LIMITS.number) {
    errors[name] = t('applications.builder.errors.number');
    return null;
  }
  return n;
}

/** An amount in dollars ("12,50", "12.50") as cents. */
function moneyField(f: Fields, name: string, t: Translate, errors: Errors, required: boolean): number | null {
  const raw = str(f, name);
  if (raw === '') {
    if (required) errors[name] = t('applications.builder.errors.required');
    return null;
  }
  const n = readNumber(raw.replace('$', ''));
  if (n === null || n < 0 || n * 100 > LIMITS.feeCents || Math.round(n * 100) !== Math.round(n * 100 * 1000) / 1000) {
    errors[name] = t('applications.builder.errors.money');
    return null;
  }
  return Math.round(n * 100);
}

export function codeField(f: Fields, name: string, t: Translate, errors: Errors): string {
  const code = str(f, name).toLowerCase();
  if (!CODE.test(code)) errors[name] = t('applications.builder.errors.code');
  return code;
}

/** Options typed one per line: "value | label in French | label in English". */
export function parseOptions(text: string, t: Translate, errors: Errors, field = 'options'): Option[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const out: Option[] = [];
  for (const line of lines) {
    const [value = '', fr = '', en = ''] = line.split('|').map((p) => p.trim());
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value) || fr === '' || en === '' || fr.length > LIMITS.label || en.length > LIMITS.label) {
      errors[field] = t('applications.builder.errors.optionLine', { line: line.slice(0, 60) });
      return out;
    }
    out.push({ value, label: { fr, en } });
  }
  if (out.length === 0) errors[field] = t('applications.builder.errors.noOptions');
  else if (out.length > LIMITS.options) errors[field] = t('applications.builder.errors.tooMany', { max: LIMITS.options });
  else if (new Set(out.map((o) => o.value)).size !== out.length) errors[field] = t('applications.builder.errors.duplicateOption');
  return out;
}

export const optionsText = (options: Option[]) => options.map((o) => `${o.value} | ${o.label.fr} | ${o.label.en}`).join('\n');

function conditionField(f: Fields, t: Translate, errors: Errors, earlier: Question[]): Condition | null {
  const question = str(f, 'cond_question');
  if (question === '') return null;
  const target = earlier.find((q) => q.code === question);
  if (!target) {
    errors.cond_question = t('applications.builder.errors.conditionTarget');
    return null;
  }
  const op = str(f, 'cond_op') as ConditionOp;
  if (!(CONDITION_OPS as readonly string[]).includes(op)) {
    errors.cond_op = t('applications.builder.errors.choose');
    return null;
  }
  if (op === 'answered' || op === 'notAnswered') return { question, op, value: null };
  const raw = str(f, 'cond_value');
  if (raw === '' || raw.length > 200) {
    errors.cond_value = t('applications.builder.errors.conditionValue');
    return null;
  }
  if ((target.kind === 'single' || target.kind === 'multiple') && !target.options.some((o) => o.value === raw)) {
    errors.cond_value = t('applications.builder.errors.conditionOption', { values: target.options.map((o) => o.value).join(', ') });
    return null;
  }
  if (target.kind === 'yesno' && raw !== 'yes' && raw !== 'no') {
    errors.cond_value = t('applications.builder.errors.conditionYesNo');
    return null;
  }
  const n = target.kind === 'number' ? readNumber(raw) : null;
  return { question, op, value: n ?? raw };
}

/** A question of `kind` with its defaults, as "add a question" makes it. */
export function newQuestion(kind: QuestionKind, code: string, label: Bilingual): Question {
  const base = { code, label, help: { fr: '', en: '' }, required: true, showIf: null };
  switch (kind) {
    case 'text':
      return { ...base, kind, multiline: false, minLength: null, maxLength: 200, pattern: null };
    case 'number':
      return { ...base, kind, min: 0, max: null, integer: false, unit: null };
    case 'date':
      return { ...base, kind, minDaysFromToday: null, maxDaysFromToday: null };
    case 'single':
    case 'multiple': {
      const options = [
        { value: 'a', label: { fr: 'Choix A', en: 'Choice A' } },
        { value: 'b', label: { fr: 'Choix B', en: 'Choice B' } },
      ];
      return kind === 'single' ? { ...base, kind, options } : { ...base, kind, options, minSelected: null, maxSelected: null };
    }
    case 'yesno':
    case 'address':
      return { ...base, kind };
    case 'file':
      return { ...base, kind, accept: ['pdf', 'jpeg', 'png'], maxBytes: 5 * 1024 * 1024, maxFiles: 1 };
  }
}

export function isKind(v: string): v is QuestionKind {
  return (QUESTION_KINDS as readonly string[]).includes(v);
}

/** The question as changed by the "edit a question" form; `earlier`: the questions before it (for its condition). */
export function readQuestion(q: Question, f: Fields, t: Translate, earlier: Question[]): { question: Question; errors: Errors } {
  const errors: Errors = {};
  const base = {
    code: q.code,
    label: bilingualField(f, 'label', t, errors, LIMITS.label),
    help: bilingualField(f, 'help', t, errors, LIMITS.help, true),
    required: str(f, 'required') === 'yes',
    showIf: conditionField(f, t, errors, earlier),
  };
  const minMax = (a: number | null, b: number | null, field: string) => {
    if (a !== null && b !== null && a > b) errors[field] = t('applications.builder.errors.minMax');
  };
  let question: Question;
  switch (q.kind) {
    case 'text': {
      const minLength = intField(f, 'min_length', t, errors, 0, LIMITS.textMax);
      const maxLength = intField(f, 'max_length', t, errors, 1, LIMITS.textMax) ?? 200;
      minMax(minLength, maxLength, 'max_length');
      const p = str(f, 'pattern');
      const pattern = p === '' ? null : (SAFE_PATTERN_NAMES as string[]).includes(p) ? (p as SafePattern) : null;
      if (p !== '' && pattern === null) errors.pattern = t('applications.builder.errors.choose');
      question = { ...base, kind: 'text', multiline: str(f, 'multiline') === 'yes', minLength, maxLength, pattern };
      break;
    }
    case 'number': {
      const min = numField(f, 'min', t, errors);
      const max = numField(f, 'max', t, errors);
      minMax(min, max, 'max');
      const unit = bilingualField(f, 'unit', t, errors, 20, true);
      if ((unit.fr === '') !== (unit.en === '')) errors[unit.fr === '' ? 'unit_fr' : 'unit_en'] = t('applications.builder.errors.bothLanguages');
      question = { ...base, kind: 'number', min, max, integer: str(f, 'integer') === 'yes', unit: unit.fr === '' ? null : unit };
      break;
    }
    case 'date': {
      const a = intField(f, 'min_days', t, errors, -LIMITS.days, LIMITS.days);
      const b = intField(f, 'max_days', t, errors, -LIMITS.days, LIMITS.days);
      minMax(a, b, 'max_days');
      question = { ...base, kind: 'date', minDaysFromToday: a, maxDaysFromToday: b };
      break;
    }
    case 'single':
      question = { ...base, kind: 'single', options: parseOptions(str(f, 'options'), t, errors) };
      break;
    case 'multiple': {
      const options = parseOptions(str(f, 'options'), t, errors);
      const minSelected = intField(f, 'min_selected', t, errors, 0, LIMITS.options);
      const maxSelected = intField(f, 'max_selected', t, errors, 1, LIMITS.options);
      minMax(minSelected, maxSelected, 'max_selected');
      question = { ...base, kind: 'multiple', options, minSelected, maxSelected };
      break;
    }
    case 'yesno':
    case 'address':
      question = { ...base, kind: q.kind };
      break;
    case 'file': {
      const accept = list(f, 'accept').filter((a): a is FileType => (FILE_TYPE_NAMES as string[]).includes(a));
      if (accept.length === 0) errors.accept = t('applications.builder.errors.accept');
      const maxKb = intField(f, 'max_kb', t, errors, 1, MAX_FILE_BYTES / 1024) ?? 5 * 1024;
      const maxFiles = intField(f, 'max_files', t, errors, 1, LIMITS.maxFiles) ?? 1;
      question = { ...base, kind: 'file', accept: [...new Set(accept)], maxBytes: maxKb * 1024, maxFiles };
      break;
    }
  }
  return { question, errors };
}

/** The fee rule from the fee form. */
export function readFee(f: Fields, t: Translate, def: FormDefinition): { fee: FeeRule; errors: Errors } {
  const errors: Errors = {};
  const kind = str(f, 'fee_kind');
  if (kind === 'fixed') return { fee: { kind, cents: moneyField(f, 'fee_amount', t, errors, true) ?? 0 }, errors };
  if (kind === 'perUnit') {
    const question = str(f, 'fee_question');
    const q = def.pages.flatMap((p) => p.questions).find((x) => x.code === question);
    if (!q || q.kind !== 'number') errors.fee_question = t('applications.builder.errors.feeQuestion');
    const minCents = moneyField(f, 'fee_min', t, errors, false);
    const maxCents = moneyField(f, 'fee_max', t, errors, false);
    if (minCents !== null && maxCents !== null && minCents > maxCents) errors.fee_max = t('applications.builder.errors.minMax');
    return {
      fee: { kind, question, baseCents: moneyField(f, 'fee_base', t, errors, false) ?? 0, centsPerUnit: moneyField(f, 'fee_per_unit', t, errors, true) ?? 0, minCents, maxCents },
      errors,
    };
  }
  if (kind !== 'none') errors.fee_kind = t('applications.builder.errors.choose');
  return { fee: { kind: 'none' }, errors };
}

/** Lines "label in French | label in English [| file question code]" (documents) or "code | fr | en" (steps). */
export function parseDocuments(text: string, t: Translate, errors: Errors, def: FormDefinition): FormDefinition['documents'] {
  const out: FormDefinition['documents'] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [fr = '', en = '', question = ''] = line.split('|').map((p) => p.trim());
    const q = question === '' ? null : def.pages.flatMap((p) => p.questions).find((x) => x.code === question);
    if (fr === '' || en === '' || fr.length > LIMITS.label || en.length > LIMITS.label || (question !== '' && q?.kind !== 'file')) {
      errors.documents = t('applications.builder.errors.documentLine', { line: line.slice(0, 60) });
      return out;
    }
    out.push({ label: { fr, en }, question: question === '' ? null : question });
  }
  if (out.length > LIMITS.documents) errors.documents = t('applications.builder.errors.tooMany', { max: LIMITS.documents });
  return out;
}

export function parseSteps(text: string, t: Translate, errors: Errors): FormDefinition['steps'] {
  const out: FormDefinition['steps'] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [code = '', fr = '', en = ''] = line.split('|').map((p) => p.trim());
    if (!CODE.test(code) || fr === '' || en === '' || fr.length > LIMITS.label || en.length > LIMITS.label) {
      errors.steps = t('applications.builder.errors.stepLine', { line: line.slice(0, 60) });
      return out;
    }
    out.push({ code, label: { fr, en } });
  }
  if (out.length > LIMITS.steps) errors.steps = t('applications.builder.errors.tooMany', { max: LIMITS.steps });
  else if (new Set(out.map((s) => s.code)).size !== out.length) errors.steps = t('applications.builder.errors.duplicateCode');
  return out;
}
