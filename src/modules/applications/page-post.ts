/**
 * What a form page's POST does, whichever button was pressed: read the page's fields (urlencoded,
 * or multipart when the page takes files), take off the files ticked for removal, attach the files
 * chosen (checked by their content, not their name), save the page as a draft, and say where to go.
 * Every button saves; only "Save and continue" requires the page to be right.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { cleanDocument, readMultipartForm } from '../../platform/uploads.ts';
import { LIMITS, MAX_FILE_BYTES, visibility, type FieldError, type Page, type RawAnswer, type RawAnswers } from './engine/index.ts';
import { addFile, applicationForResident, removeFile, saveDraft, type ApplicationCaller } from './service.ts';
import { LOT_SUFFIX } from './views/resident/fields.tsx';

type Fields = Record<string, unknown>;

/** No raw value longer than this is kept in a draft (the engine's own limit is lower). */
const RAW_MAX = LIMITS.textMax + 100;

const one = (v: unknown): string => {
  const s: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
  return typeof s === 'string' ? s.slice(0, RAW_MAX) : '';
};
const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').slice(0, LIMITS.options).map((x) => x.slice(0, 100));

/** The page's answers as typed: one value per question (an address is its two fields). */
export function readPageAnswers(page: Page, fields: Fields): RawAnswers {
  const out: RawAnswers = {};
  for (const q of page.questions) {
    let value: RawAnswer;
    if (q.kind === 'file') continue;
    if (q.kind === 'multiple') value = many(fields[q.code]);
    else if (q.kind === 'address') {
      const address = one(fields[q.code]).trim();
      const lot = one(fields[`${q.code}${LOT_SUFFIX}`]).trim();
      if (address === '' && lot === '') continue;
      value = { address, lot };
    } else value = one(fields[q.code]);
    out[q.code] = value;
  }
  return out;
}

export type PagePostOutcome = { kind: 'redirect'; location: string } | { kind: 'invalid'; values: RawAnswers; errors: FieldError[] };

export async function handlePagePost(c: ApplicationCaller, req: FastifyRequest, id: string, pageCode: string): Promise<PagePostOutcome> {
  const view = await applicationForResident(c, id);
  const a = view.application;
  if (a.status !== 'draft') return { kind: 'redirect', location: `/applications/${a.id}` };
  const index = a.definition.pages.findIndex((p) => p.code === pageCode);
  const page = a.definition.pages[index];
  if (!page) throw new AppError('notFound', 'page');
  const fileQuestions = page.questions.filter((q) => q.kind === 'file');

  let fields: Fields;
  let uploads: Awaited<ReturnType<typeof readMultipartForm>>['files'] = [];
  if (req.isMultipart()) {
    if (fileQuestions.length === 0) throw new AppError('unsupportedMediaType', 'this page takes no files');
    const form = await readMultipartForm(req, {
      maxFiles: fileQuestions.reduce((n, q) => n + (q.kind === 'file' ? q.maxFiles : 0), 0),
      maxFileBytes: MAX_FILE_BYTES,
    });
    fields = form.fields;
    uploads = form.files;
  } else fields = (req.body ?? {}) as Fields;

  const action = one(fields.action);
  const answers = readPageAnswers(page, fields);
  const errors: FieldError[] = [];

  const removed = many(fields.remove);
  for (const fileId of removed) {
    try {
      await removeFile(c, id, fileId);
    } catch (err) {
      // A file already gone (a second click, another device) is fine.
      if (!(err instanceof AppError && err.code === 'notFound')) throw err;
    }
  }
  for (const upload of uploads) {
    const q = fileQuestions.find((x) => x.code === upload.field);
    if (!q || q.kind !== 'file') continue;
    if (upload.tooLarge || upload.bytes.length > q.maxBytes) {
      errors.push({ question: q.code, code: 'fileTooLarge', params: { max: q.maxBytes } });
      continue;
    }
    const cleaned = await cleanDocument(upload, MAX_FILE_BYTES);
    if (!cleaned.ok) {
      const code = cleaned.error === 'tooLarge' ? 'fileTooLarge' : cleaned.error === 'notDocument' || cleaned.error === 'notImage' ? 'fileType' : 'fileUnreadable';
      errors.push({ question: q.code, code, params: code === 'fileTooLarge' ? { max: q.maxBytes } : { types: q.accept.map((t) => t.toUpperCase()).join(', ') } });
      continue;
    }
    const added = await addFile(c, id, q.code, { filename: upload.filename, contentType: cleaned.document.contentType, bytes: cleaned.document.bytes });
    if (!added.ok) errors.push(added.error);
  }

  const check = action === 'next';
  const saved = await saveDraft(c, id, { pageCode, answers, nextPage: check ? index + 1 : index, check });
  const pageErrors = saved.ok ? [] : saved.errors;
  // A file refused just now is the error to show at its field, rather than "required".
  const all = [...errors, ...pageErrors.filter((e) => !errors.some((f) => f.question === e.question))];
  if (errors.length > 0 || (check && all.length > 0)) return { kind: 'invalid', values: answers, errors: all };

  const base = `/applications/${id}`;
  if (!check) {
    const done = uploads.length > 0 ? 'uploaded' : removed.length > 0 ? 'removed' : 'saved';
    return { kind: 'redirect', location: `${base}/pages/${pageCode}?done=${done}` };
  }
  const files = view.files.map((f) => ({ questionCode: f.questionCode, contentType: f.contentType, size: f.size }));
  const shown = visibility(a.definition, saved.application.answers as RawAnswers, files).pages;
  const next = a.definition.pages.slice(index + 1).find((p) => shown.has(p.code));
  return { kind: 'redirect', location: next ? `${base}/pages/${next.code}` : `${base}/check` };
}
