/**
 * The form engine alone (no database): which questions show for which answers, every kind's rules
 * with their messages in French and English, the fee rules, and the checks on a definition.
 */
import { describe, expect, it } from 'vitest';
import {
  computeFee,
  conditionHolds,
  fieldMessages,
  parseDefinition,
  validateAnswers,
  visibility,
  type FormDefinition,
  type Question,
  type RawAnswers,
} from './engine/index.ts';
import { sampleDefinition } from './testing.ts';

const b = (fr: string, en: string) => ({ fr, en });
const base = { help: b('', ''), required: true, showIf: null };
const TODAY = '2026-06-10';

function form(questions: Question[]): FormDefinition {
  return { pages: [{ code: 'p', title: b('P', 'P'), intro: b('', ''), showIf: null, questions }], documents: [], fee: { kind: 'none' }, steps: [], targetDays: 30 };
}
function check(q: Question, answer: RawAnswers[string] | undefined, files: Array<{ contentType: string; size: number }> = []) {
  const answers: RawAnswers = answer === undefined ? {} : { [q.code]: answer };
  return validateAnswers(form([q]), answers, files.map((f) => ({ ...f, questionCode: q.code })), { today: TODAY });
}
function firstError(q: Question, answer: RawAnswers[string] | undefined, files: Array<{ contentType: string; size: number }> = []) {
  const e = check(q, answer, files).errors[0];
  return e ? { code: e.code, ...fieldMessages(e) } : null;
}

describe('conditions', () => {
  const yes: Question = { ...base, code: 'yes', kind: 'yesno', label: b('Q', 'Q') };
  const n: Question = { ...base, code: 'n', kind: 'number', label: b('N', 'N'), min: null, max: null, integer: false, unit: null };
  const multi: Question = { ...base, code: 'm', kind: 'multiple', label: b('M', 'M'), options: [{ value: 'a', label: b('A', 'A') }, { value: 'b', label: b('B', 'B') }], minSelected: null, maxSelected: null };
  const d: Question = { ...base, code: 'd', kind: 'date', label: b('D', 'D'), minDaysFromToday: null, maxDaysFromToday: null };
  const file: Question = { ...base, code: 'f', kind: 'file', label: b('F', 'F'), accept: ['pdf'], maxBytes: 1000, maxFiles: 1 };

  it('tests each operator', () => {
    expect(conditionHolds({ question: 'yes', op: 'equals', value: 'yes' }, yes, 'yes', [])).toBe(true);
    expect(conditionHolds({ question: 'yes', op: 'equals', value: 'yes' }, yes, 'no', [])).toBe(false);
    expect(conditionHolds({ question: 'yes', op: 'notEquals', value: 'yes' }, yes, 'no', [])).toBe(true);
    // Not answered is not "not equal": the question it reads was not answered at all.
    expect(conditionHolds({ question: 'yes', op: 'notEquals', value: 'yes' }, yes, undefined, [])).toBe(false);
    expect(conditionHolds({ question: 'n', op: 'gt', value: 100 }, n, '150,5', [])).toBe(true);
    expect(conditionHolds({ question: 'n', op: 'gt', value: 100 }, n, '99', [])).toBe(false);
    expect(conditionHolds({ question: 'n', op: 'lt', value: 100 }, n, 'abc', [])).toBe(false);
    expect(conditionHolds({ question: 'n', op: 'lt', value: 100 }, n, 99, [])).toBe(true);
    expect(conditionHolds({ question: 'm', op: 'includes', value: 'b' }, multi, ['a', 'b'], [])).toBe(true);
    expect(conditionHolds({ question: 'm', op: 'excludes', value: 'b' }, multi, ['a'], [])).toBe(true);
    expect(conditionHolds({ question: 'd', op: 'lt', value: '2026-01-01' }, d, '2025-12-31', [])).toBe(true);
    expect(conditionHolds({ question: 'd', op: 'gt', value: '2026-01-01' }, d, '2025-12-31', [])).toBe(false);
    expect(conditionHolds({ question: 'f', op: 'answered', value: null }, file, undefined, [{ questionCode: 'f', contentType: 'application/pdf', size: 10 }])).toBe(true);
    expect(conditionHolds({ question: 'f', op: 'notAnswered', value: null }, file, undefined, [])).toBe(true);
  });

  it('hides a chain: a question whose condition reads a hidden question is hidden too, and so is a page', () => {
    const def = sampleDefinition();
    def.pages[1]!.showIf = { question: 'area', op: 'gt', value: 10 };
    def.pages[0]!.questions.push({ ...base, code: 'roof', kind: 'yesno', label: b('Toit?', 'Roof?'), showIf: { question: 'area', op: 'answered', value: null } });
    const none = visibility(def, { extension: 'no', area: '50' });
    expect([...none.questions]).toEqual(['where', 'extension']);
    expect([...none.pages]).toEqual(['work']);
    const some = visibility(def, { extension: 'yes', area: '50' });
    expect([...some.questions]).toEqual(['where', 'extension', 'area', 'roof', 'start', 'plan', 'notes']);
  });

  it('drops hidden answers and does not check them', () => {
    const v = validateAnswers(sampleDefinition(), { where: { address: '1 rue A', lot: '' }, extension: 'no', area: 'n’importe quoi', start: TODAY }, [], { today: TODAY });
    expect(v.errors).toEqual([]);
    expect(v.answers).toEqual({ where: { address: '1 rue A', lot: '' }, extension: 'no', start: TODAY });
  });
});

describe('every kind of question', () => {
  it('text: length and the safe patterns, in both languages', () => {
    const q: Question = { ...base, code: 't', kind: 'text', label: b('T', 'T'), multiline: false, minLength: 3, maxLength: 10, pattern: null };
    expect(firstError(q, undefined)).toEqual({ code: 'required', fr: 'Répondez à cette question', en: 'Answer this question' });
    expect(firstError(q, 'ab')).toEqual({ code: 'tooShort', fr: 'Inscrivez au moins 3 caractères', en: 'Enter at least 3 characters' });
    expect(firstError(q, 'abcdefghijk')).toEqual({ code: 'tooLong', fr: 'Inscrivez au plus 10 caractères', en: 'Enter 10 characters or fewer' });
    const postal = { ...q, minLength: null, pattern: 'postalCode' as const };
    expect(firstError(postal, 'H2X1Y')?.en).toBe('Enter a postal code like H2X 1Y4');
    expect(firstError(postal, 'H2X1Y')?.fr).toBe('Inscrivez un code postal comme H2X 1Y4');
    expect(check(postal, 'h2x 1y4').answers.t).toBe('H2X 1Y4');
    expect(firstError({ ...q, minLength: null, maxLength: 40, pattern: 'phone' }, '819 555-0123')).toBeNull();
    expect(firstError({ ...q, minLength: null, maxLength: 40, pattern: 'email' }, 'pas un courriel')?.code).toBe('pattern');
    expect(firstError({ ...q, required: false }, undefined)).toBeNull();
  });

  it('number: decimal comma, whole numbers, limits', () => {
    const q: Question = { ...base, code: 'n', kind: 'number', label: b('N', 'N'), min: 1.5, max: 1000, integer: false, unit: null };
    expect(check(q, '12,5').answers.n).toBe(12.5);
    expect(check(q, '1 000').answers.n).toBe(1000);
    expect(firstError(q, 'douze')).toEqual({ code: 'notNumber', fr: 'Inscrivez un nombre, comme 12 ou 12,5', en: 'Enter a number, like 12 or 12.5' });
    expect(firstError(q, '1')).toEqual({ code: 'tooSmall', fr: 'Inscrivez un nombre égal ou supérieur à 1,5', en: 'Enter a number of 1.5 or more' });
    expect(firstError(q, '1001')?.en).toBe('Enter a number of 1,000 or less');
    expect(firstError({ ...q, integer: true }, '2.5')?.code).toBe('notInteger');
  });

  it('date: a real date, within days of today', () => {
    const q: Question = { ...base, code: 'd', kind: 'date', label: b('D', 'D'), minDaysFromToday: 0, maxDaysFromToday: 183 };
    expect(firstError(q, '2026-02-30')?.code).toBe('notDate');
    expect(firstError(q, '2026-06-09')).toEqual({ code: 'tooEarly', fr: 'Inscrivez une date à partir du 2026-06-10', en: 'Enter a date on or after 2026-06-10' });
    expect(firstError(q, '2026-12-11')?.code).toBe('tooLate');
    expect(firstError(q, '2026-12-10')).toBeNull();
  });

  it('choices: only the options offered, how many, in the form’s order', () => {
    const options = [{ value: 'a', label: b('A', 'A') }, { value: 'b', label: b('B', 'B') }, { value: 'c', label: b('C', 'C') }];
    const one: Question = { ...base, code: 's', kind: 'single', label: b('S', 'S'), options };
    expect(firstError(one, 'z')).toEqual({ code: 'notOption', fr: 'Choisissez une des réponses proposées', en: 'Choose one of the answers offered' });
    const many: Question = { ...base, code: 'm', kind: 'multiple', label: b('M', 'M'), options, minSelected: 2, maxSelected: 2 };
    expect(firstError(many, ['a'])?.en).toBe('Choose at least 2 answers');
    expect(firstError(many, ['a', 'b', 'c'])?.fr).toBe('Choisissez au plus 2 réponses');
    expect(firstError(many, ['a', 'zz'])?.code).toBe('notOption');
    expect(check(many, ['c', 'a', 'c']).answers.m).toEqual(['a', 'c']);
    const yn: Question = { ...base, code: 'y', kind: 'yesno', label: b('Y', 'Y') };
    expect(firstError(yn, 'maybe')?.code).toBe('notOption');
  });

  it('address or lot: either, the lot of 7 digits', () => {
    const q: Question = { ...base, code: 'a', kind: 'address', label: b('A', 'A') };
    expect(firstError(q, { address: '', lot: '' })?.code).toBe('required');
    expect(firstError(q, { address: '', lot: '123' })).toEqual({ code: 'lot', fr: 'Inscrivez un numéro de lot de 7 chiffres, comme 1 234 567', en: 'Enter a lot number of 7 digits, like 1 234 567' });
    expect(check(q, { address: '', lot: '1 234 567' }).answers.a).toEqual({ address: '', lot: '1234567' });
  });

  it('file: required, type, size and count', () => {
    const q: Question = { ...base, code: 'f', kind: 'file', label: b('F', 'F'), accept: ['pdf', 'png'], maxBytes: 2 * 1024 * 1024, maxFiles: 1 };
    expect(firstError(q, undefined)?.code).toBe('required');
    expect(firstError(q, undefined, [{ contentType: 'image/jpeg', size: 10 }])).toEqual({ code: 'fileType', fr: 'Le fichier doit être de l’un de ces types : PDF, PNG', en: 'The file must be one of: PDF, PNG' });
    expect(firstError(q, undefined, [{ contentType: 'application/pdf', size: 3 * 1024 * 1024 }])).toEqual({ code: 'fileTooLarge', fr: 'Le fichier doit faire 2\u00a0Mo ou moins', en: 'The file must be 2\u00a0MB or smaller' });
    expect(firstError(q, undefined, [{ contentType: 'application/pdf', size: 1 }, { contentType: 'application/pdf', size: 1 }])?.code).toBe('tooManyFiles');
  });
});

describe('fees', () => {
  it('fixed, none, per unit with base, minimum and maximum', () => {
    expect(computeFee({ kind: 'none' }, {})).toBe(0);
    expect(computeFee({ kind: 'fixed', cents: 3500 }, {})).toBe(3500);
    const rule = { kind: 'perUnit' as const, question: 'area', baseCents: 5000, centsPerUnit: 250, minCents: 7500, maxCents: 50000 };
    expect(computeFee(rule, { area: 40 })).toBe(15000);
    expect(computeFee(rule, { area: 40.5 })).toBe(15125);
    expect(computeFee(rule, {})).toBe(7500);
    expect(computeFee(rule, { area: 10_000 })).toBe(50000);
    // A number sent as text (never cleaned) counts as no units.
    expect(computeFee(rule, { area: '400' })).toBe(7500);
  });
});

describe('checking a definition', () => {
  it('accepts the sample and refuses what would break the engine', () => {
    expect(parseDefinition(sampleDefinition()).ok).toBe(true);
    const problem = (mutate: (d: FormDefinition) => void) => {
      const d = structuredClone(sampleDefinition());
      mutate(d);
      const r = parseDefinition(d);
      return r.ok ? null : r.problems[0]!.code;
    };
    expect(problem((d) => (d.pages = []))).toBe('noPages');
    expect(problem((d) => (d.pages[1]!.questions[0]!.code = 'where'))).toBe('duplicateCode');
    // A condition on a later question: refused (it could never be answered first).
    expect(problem((d) => (d.pages[0]!.questions[0]!.showIf = { question: 'start', op: 'answered', value: null }))).toBe('conditionTarget');
    expect(problem((d) => (d.pages[0]!.questions[2]!.showIf = { question: 'extension', op: 'equals', value: 'peut-être' }))).toBe('conditionValue');
    expect(problem((d) => (d.fee = { kind: 'perUnit', question: 'where', baseCents: 0, centsPerUnit: 1, minCents: null, maxCents: null }))).toBe('feeQuestion');
    expect(problem((d) => (d.documents = [{ label: b('X', 'X'), question: 'start' }]))).toBe('documentQuestion');
    expect(problem((d) => ((d.pages[0]!.questions[1] as unknown as { kind: string }).kind = 'script'))).toBe('invalid');
    expect(problem((d) => ((d.pages[0]!.questions[2] as { min: number | null }).min = 1000))).toBe('minMax');
    expect(problem((d) => ((d.pages[1]!.questions[2] as { pattern: unknown }).pattern = '^(a+)+$'))).toBe('invalid');
    expect(problem((d) => (d.pages[0]!.title = b('', 'Only English')))).toBe('invalid');
  });
});
