/**
 * A service's form, as stored in application_form_versions.definition: pages of questions, the
 * documents to have ready, the fee rule, the review steps and the target time. Pure data; the
 * engine (visibility.ts, validate.ts, fee.ts) reads it and parse.ts checks one read from outside.
 */
import type { Bilingual } from '../../../db/schema.ts';

export type { Bilingual };

export const QUESTION_KINDS = ['text', 'number', 'date', 'single', 'multiple', 'yesno', 'address', 'file'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/**
 * Patterns a text answer may have to match: a fixed, safe list (no regular expression written by
 * staff ever runs on the server).
 */
export const SAFE_PATTERNS = {
  /** Canadian postal code: A1A 1A1 (the space optional). */
  postalCode: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i,
  /** A North American phone number: 10 digits, separators allowed, optional +1. */
  phone: /^(\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}$/,
  email: /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/,
  /** A Quebec cadastre lot number: 7 digits, spaces allowed ("1 234 567"). */
  lot: /^\d ?\d{3} ?\d{3}$/,
  /** Digits only (a licence or permit number). */
  digits: /^\d{1,30}$/,
} as const;
export type SafePattern = keyof typeof SAFE_PATTERNS;
export const SAFE_PATTERN_NAMES = Object.keys(SAFE_PATTERNS) as SafePattern[];

/** File types a file question may accept, with their content types. */
export const FILE_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
} as const;
export type FileType = keyof typeof FILE_TYPES;
export type FileContentType = (typeof FILE_TYPES)[FileType];
export const FILE_TYPE_NAMES = Object.keys(FILE_TYPES) as FileType[];
/** The largest file any question may accept (10 MiB, the uploads' limit for a PDF). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const CONDITION_OPS = ['equals', 'notEquals', 'includes', 'excludes', 'gt', 'lt', 'answered', 'notAnswered'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** "Show if question X <op> value": X must come before what it conditions. */
export interface Condition {
  question: string;
  op: ConditionOp;
  /** A choice's value, 'yes' / 'no', a number, a date (YYYY-MM-DD); unused by answered / notAnswered. */
  value: string | number | null;
}

export interface Option {
  value: string;
  label: Bilingual;
}

interface QuestionBase {
  /** The answer's key: lower case, digits and _ (e.g. "floor_area"). Unique in the form. */
  code: string;
  label: Bilingual;
  help: Bilingual;
  required: boolean;
  showIf: Condition | null;
}

export interface TextQuestion extends QuestionBase {
  kind: 'text';
  multiline: boolean;
  minLength: number | null;
  /** At most 4000. */
  maxLength: number;
  pattern: SafePattern | null;
}
export interface NumberQuestion extends QuestionBase {
  kind: 'number';
  min: number | null;
  max: number | null;
  integer: boolean;
  /** e.g. { fr: 'm²', en: 'm²' }, shown beside the field. */
  unit: Bilingual | null;
}
export interface DateQuestion extends QuestionBase {
  kind: 'date';
  /** Earliest date allowed, in days from today (negative: in the past). */
  minDaysFromToday: number | null;
  maxDaysFromToday: number | null;
}
export interface SingleChoiceQuestion extends QuestionBase {
  kind: 'single';
  options: Option[];
}
export interface MultipleChoiceQuestion extends QuestionBase {
  kind: 'multiple';
  options: Option[];
  minSelected: number | null;
  maxSelected: number | null;
}
/** Answered 'yes' or 'no'. */
export interface YesNoQuestion extends QuestionBase {
  kind: 'yesno';
}
/** A civic address, a cadastre lot number, or both: answered { address, lot }. */
export interface AddressQuestion extends QuestionBase {
  kind: 'address';
}
export interface FileQuestion extends QuestionBase {
  kind: 'file';
  accept: FileType[];
  maxBytes: number;
  maxFiles: number;
}

export type Question =
  | TextQuestion
  | NumberQuestion
  | DateQuestion
  | SingleChoiceQuestion
  | MultipleChoiceQuestion
  | YesNoQuestion
  | AddressQuestion
  | FileQuestion;

export interface Page {
  /** Unique in the form: lower case, digits and _. */
  code: string;
  title: Bilingual;
  intro: Bilingual;
  questions: Question[];
  /** The whole page is skipped unless this holds. */
  showIf: Condition | null;
}

/** A document the applicant should have ready; `question` names the file question that receives it. */
export interface RequiredDocument {
  label: Bilingual;
  question: string | null;
}

export type FeeRule =
  | { kind: 'none' }
  | { kind: 'fixed'; cents: number }
  /** base + units × per unit, kept between min and max (units: a number question's answer). */
  | { kind: 'perUnit'; question: string; baseCents: number; centsPerUnit: number; minCents: number | null; maxCents: number | null };

export interface ReviewStep {
  code: string;
  label: Bilingual;
}

export interface FormDefinition {
  pages: Page[];
  documents: RequiredDocument[];
  fee: FeeRule;
  steps: ReviewStep[];
  /** Target time to decide, in calendar days from submission. */
  targetDays: number;
}

export const LIMITS = {
  pages: 30,
  questionsPerPage: 40,
  options: 50,
  documents: 20,
  steps: 12,
  label: 300,
  help: 1000,
  textMax: 4000,
  maxFiles: 10,
  feeCents: 100_000_000,
  number: 1_000_000_000,
  days: 36_600,
  addressLength: 300,
} as const;

export const CODE = /^[a-z][a-z0-9_]{0,62}$/;

/** An empty form: one page, no questions, no fee. */
export function emptyDefinition(targetDays = 30): FormDefinition {
  return {
    pages: [{ code: 'page_1', title: { fr: 'Votre demande', en: 'Your application' }, intro: { fr: '', en: '' }, questions: [], showIf: null }],
    documents: [],
    fee: { kind: 'none' },
    steps: [],
    targetDays,
  };
}

/** Every question of the form, page after page. */
export function allQuestions(def: FormDefinition): Question[] {
  return def.pages.flatMap((p) => p.questions);
}

export function findQuestion(def: FormDefinition, code: string): Question | undefined {
  return allQuestions(def).find((q) => q.code === code);
}

/** What a form field holds once read from the page (files are kept apart, in application_files). */
export type AddressAnswer = { address: string; lot: string };
export type RawAnswer = string | string[] | AddressAnswer;
export type RawAnswers = Record<string, RawAnswer>;
/** After validation: numbers are numbers, dates YYYY-MM-DD, yes/no 'yes' | 'no', texts trimmed. */
export type CleanAnswer = string | number | string[] | AddressAnswer;
export type CleanAnswers = Record<string, CleanAnswer>;

/** A file already attached to an application, as the engine sees it. */
export interface FileMeta {
  questionCode: string | null;
  contentType: string;
  size: number;
}
