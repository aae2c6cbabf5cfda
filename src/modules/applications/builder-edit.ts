/**
 * The builder's edits as pure functions on a form definition: add, change, move and remove questions
 * and pages. The result always goes through the engine's parseDefinition before it is saved.
 * (The forms that feed them are read in builder-forms.ts, re-exported here.)
 */
import type { Bilingual } from '../../db/schema.ts';
import type { FormDefinition, Page, Question } from './engine/index.ts';

export * from './builder-forms.ts';

const clone = (def: FormDefinition): FormDefinition => structuredClone(def);

export function findPage(def: FormDefinition, code: string): Page | undefined {
  return def.pages.find((p) => p.code === code);
}

/** Every question before `code` in the form's order (what its condition may read). */
export function questionsBefore(def: FormDefinition, code: string): Question[] {
  const all = def.pages.flatMap((p) => p.questions);
  const i = all.findIndex((q) => q.code === code);
  return i < 0 ? all : all.slice(0, i);
}

export function codeTaken(def: FormDefinition, code: string): boolean {
  return def.pages.some((p) => p.code === code || p.questions.some((q) => q.code === code));
}

export function addQuestion(def: FormDefinition, pageCode: string, q: Question): FormDefinition {
  const out = clone(def);
  findPage(out, pageCode)?.questions.push(q);
  return out;
}

export function replaceQuestion(def: FormDefinition, q: Question): FormDefinition {
  const out = clone(def);
  for (const p of out.pages) p.questions = p.questions.map((x) => (x.code === q.code ? q : x));
  return out;
}

/** Moves a question one place up or down; across the page boundary it goes to the next page. */
export function moveQuestion(def: FormDefinition, code: string, dir: 'up' | 'down'): FormDefinition {
  const out = clone(def);
  const pi = out.pages.findIndex((p) => p.questions.some((q) => q.code === code));
  if (pi < 0) return out;
  const page = out.pages[pi]!;
  const i = page.questions.findIndex((q) => q.code === code);
  const [q] = page.questions.splice(i, 1);
  const j = dir === 'up' ? i - 1 : i + 1;
  if (j >= 0 && j <= page.questions.length) page.questions.splice(j, 0, q!);
  else if (dir === 'up' && pi > 0) out.pages[pi - 1]!.questions.push(q!);
  else if (dir === 'down' && pi < out.pages.length - 1) out.pages[pi + 1]!.questions.unshift(q!);
  else page.questions.splice(i, 0, q!);
  return out;
}

/** Removes a question and whatever pointed at it (conditions, the fee's units, a document's link). */
export function removeQuestion(def: FormDefinition, code: string): FormDefinition {
  const out = clone(def);
  for (const p of out.pages) {
    p.questions = p.questions.filter((q) => q.code !== code);
    if (p.showIf?.question === code) p.showIf = null;
    for (const q of p.questions) if (q.showIf?.question === code) q.showIf = null;
  }
  if (out.fee.kind === 'perUnit' && out.fee.question === code) out.fee = { kind: 'none' };
  out.documents = out.documents.map((d) => (d.question === code ? { ...d, question: null } : d));
  return out;
}

export function addPage(def: FormDefinition, code: string, title: Bilingual): FormDefinition {
  const out = clone(def);
  out.pages.push({ code, title, intro: { fr: '', en: '' }, questions: [], showIf: null });
  return out;
}

export function replacePage(def: FormDefinition, code: string, change: Pick<Page, 'title' | 'intro' | 'showIf'>): FormDefinition {
  const out = clone(def);
  const p = findPage(out, code);
  if (p) Object.assign(p, change);
  return out;
}

export function movePage(def: FormDefinition, code: string, dir: 'up' | 'down'): FormDefinition {
  const out = clone(def);
  const i = out.pages.findIndex((p) => p.code === code);
  const j = dir === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= out.pages.length) return out;
  [out.pages[i], out.pages[j]] = [out.pages[j]!, out.pages[i]!];
  return out;
}

/** Removes a page with its questions (and what pointed at them); the last page stays. */
export function removePage(def: FormDefinition, code: string): FormDefinition {
  const page = findPage(def, code);
  if (!page || def.pages.length <= 1) return def;
  let out = def;
  for (const q of page.questions) out = removeQuestion(out, q.code);
  out = clone(out);
  out.pages = out.pages.filter((p) => p.code !== code);
  for (const p of out.pages) if (p.showIf && !out.pages.some((x) => x.questions.some((q) => q.code === p.showIf!.question))) p.showIf = null;
  return out;
}

