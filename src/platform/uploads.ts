/**
 * Uploads for plain HTML forms (`<form method="post" enctype="multipart/form-data">`, no
 * JavaScript needed), shared by every module that takes files (request photos, application
 * documents).
 *
 * - CSRF: a multipart body is read by the handler, after the CSRF check, so a multipart form carries
 *   its token in the query string as well (`action="...?_csrf=TOKEN"`, see `multipartAction`); app.ts
 *   reads it from there for multipart requests only. The token is checked before a byte of the body
 *   is read.
 * - `readMultipartForm` reads the fields and the files (at most `maxFiles`, each at most
 *   `maxFileBytes`: a larger one is kept as `tooLarge`, not thrown, so the form can say so at the field).
 * - The type of a file is taken from its content (magic bytes), never from its name or the browser's
 *   word: JPEG, PNG and WebP images, and PDF documents. A file with anything after the format's end
 *   (a zip appended to an image, say) is refused.
 * - Images are decoded and re-encoded with sharp: every piece of metadata (EXIF with GPS, XMP, IPTC,
 *   ICC profile, comments) is dropped, the picture is turned upright first, and its size is capped.
 */
import type { FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { AppError } from './errors.ts';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export type DocumentType = ImageType | 'application/pdf';

/** Largest image accepted before re-encoding, and the longest side kept after. */
export const IMAGE_MAX_BYTES = 8 * 1_048_576;
export const IMAGE_MAX_SIDE = 2048;
/** Largest PDF accepted. */
export const PDF_MAX_BYTES = 10 * 1_048_576;
/** Images larger than this many pixels are not even decoded (a "decompression bomb"). */
const MAX_INPUT_PIXELS = 60_000_000;

/** The limits every multipart request gets from the plugin (app.ts); a form may ask for less. */
export const MULTIPART_LIMITS = {
  fieldNameSize: 100,
  fieldSize: 64 * 1024,
  fields: 200,
  fileSize: PDF_MAX_BYTES,
  files: 10,
  headerPairs: 100,
  parts: 220,
} as const;

export interface UploadedFile {
  /** The form field it came in. */
  field: string;
  /** The name the browser gave (for display only; never trusted for the type). */
  filename: string;
  bytes: Buffer;
  /** Over `maxFileBytes`: `bytes` holds only the beginning. */
  tooLarge: boolean;
}

export interface MultipartForm {
  /** Text fields; a name sent several times gives an array. */
  fields: Record<string, string | string[]>;
  files: UploadedFile[];
}

export interface ReadOptions {
  maxFiles: number;
  maxFileBytes: number;
}

/** The form's action with the CSRF token in the query string (multipart forms only). */
export function multipartAction(action: string, csrfToken: string): string {
  return `${action}${action.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(csrfToken)}`;
}

/**
 * Reads a multipart form: its fields and its files, in order. A file input left empty is skipped.
 * More files than `maxFiles` → 413; a request that is not multipart → 415.
 */
export async function readMultipartForm(req: FastifyRequest, options: ReadOptions): Promise<MultipartForm> {
  if (!req.isMultipart()) throw new AppError('unsupportedMediaType', 'expected multipart/form-data');
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  const parts = req.parts({
    limits: { ...MULTIPART_LIMITS, files: options.maxFiles, fileSize: options.maxFileBytes },
    throwFileSizeLimit: false,
  } as Parameters<FastifyRequest['parts']>[0]);
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A file input left empty sends an empty part.
        if (bytes.length === 0) continue;
        files.push({ field: part.fieldname, filename: part.filename.slice(0, 255), bytes, tooLarge: part.file.truncated });
      } else {
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        const had = fields[part.fieldname];
        fields[part.fieldname] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('payloadTooLarge', code);
    throw err;
  }
  return { fields, files };
}

// ---- Type from content, and nothing after the end ----

const startsWith = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** The type the bytes say they are (magic numbers), or null. */
export function sniffType(b: Buffer): DocumentType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}

/** Where a JPEG ends (just after its EOI marker), walking its segments and entropy-coded data; null if malformed. */
function jpegEnd(b: Buffer): number | null {
  let i = 2;
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) return null;
    let marker = b[i + 1]!;
    // Fill bytes: any number of 0xFF before a marker.
    while (marker === 0xff && i + 2 < b.length) {
      i++;
      marker = b[i + 1]!;
    }
    i += 2;
    if (marker === 0xd9) return i;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (i + 1 >= b.length) return null;
    const length = b.readUInt16BE(i);
    if (length < 2) return null;
    i += length;
    if (marker === 0xda) {
      // Entropy-coded data until a marker that is not a stuffed zero or a restart.
      while (i + 1 < b.length) {
        if (b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1]! >= 0xd0 && b[i + 1]! <= 0xd7) && b[i + 1] !== 0xff) break;
        i++;
      }
    }
  }
  return null;
}

/** Where a PNG ends (after its IEND chunk); null if malformed. */
function pngEnd(b: Buffer): number | null {
  let i = 8;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    i += 12 + length;
    if (type === 'IEND') return i;
  }
  return null;
}

/** Where a WebP ends: its RIFF header says how long it is. */
function webpEnd(b: Buffer): number | null {
  if (b.length < 12) return null;
  const size = b.readUInt32LE(4);
  return 8 + size + (size % 2);
}

/** A PDF ends with %%EOF (and maybe a line break). */
function pdfEnds(b: Buffer): boolean {
  const tail = b.subarray(Math.max(0, b.length - 1024)).toString('latin1');
  return /%%EOF[\r\n\t ]*$/.test(tail);
}

/** True when the bytes end exactly where the format says (nothing appended). */
export function endsCleanly(type: DocumentType, b: Buffer): boolean {
  switch (type) {
    case 'image/jpeg':
      return jpegEnd(b) === b.length;
    case 'image/png':
      return pngEnd(b) === b.length;
    case 'image/webp':
      return webpEnd(b) === b.length;
    case 'application/pdf':
      return pdfEnds(b);
  }
}

// ---- Checking and re-encoding ----

export type FileError = 'tooLarge' | 'notImage' | 'notDocument' | 'appended' | 'unreadable';

export interface CleanImage {
  contentType: ImageType;
  bytes: Buffer;
  width: number;
  height: number;
}

export type ImageResult = { ok: true; image: CleanImage } | { ok: false; error: FileError };

/**
 * Checks an uploaded image by its content and re-encodes it in its own format without any
 * metadata, upright, at most `maxSide` pixels on its longest side.
 */
export async function cleanImage(file: UploadedFile, maxSide = IMAGE_MAX_SIDE, maxBytes = IMAGE_MAX_BYTES): Promise<ImageResult> {
  if (file.tooLarge || file.bytes.length > maxBytes) return { ok: false, error: 'tooLarge' };
  const type = sniffType(file.bytes);
  if (!type || type === 'application/pdf') return { ok: false, error: 'notImage' };
  if (!endsCleanly(type, file.bytes)) return { ok: false, error: 'appended' };
  try {
    const image = sharp(file.bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    const encoded =
      type === 'image/jpeg' ? image.jpeg({ quality: 82 }) : type === 'image/png' ? image.png({ compressionLevel: 9 }) : image.webp({ quality: 80 });
    // sharp writes no metadata unless asked (no withMetadata / keepExif / keepIccProfile here).
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { ok: true, image: { contentType: type, bytes: data, width: info.width, height: info.height } };
  } catch {
    return { ok: false, error: 'unreadable' };
  }
}

export type DocumentResult =
  | { ok: true; document: { contentType: DocumentType; bytes: Buffer; width: number | null; height: number | null } }
  | { ok: false; error: FileError };

/** A document: a PDF kept as sent (checked by its content and its end), or an image cleaned as above. */
export async function cleanDocument(file: UploadedFile, maxBytes = PDF_MAX_BYTES): Promise<DocumentResult> {
  if (file.tooLarge || file.bytes.length > maxBytes) return { ok: false, error: 'tooLarge' };
  const type = sniffType(file.bytes);
  if (!type) return { ok: false, error: 'notDocument' };
  if (type !== 'application/pdf') {
    const image = await cleanImage(file, IMAGE_MAX_SIDE, Math.min(maxBytes, IMAGE_MAX_BYTES));
    return image.ok ? { ok: true, document: { ...image.image } } : image;
  }
  if (!endsCleanly(type, file.bytes)) return { ok: false, error: 'appended' };
  return { ok: true, document: { contentType: type, bytes: file.bytes, width: null, height: null } };
}
