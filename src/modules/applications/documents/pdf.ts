/**
 * The issued document as a PDF (pdfkit): in the holder's language, the town, what it is, its number,
 * the holder and their address, the conditions, the validity and the issue date, and a QR code to
 * the public verification page (drawn as vector squares, so it stays sharp when printed).
 *
 * The built-in PDF fonts (Helvetica) cover Windows-1252, which holds French and English; any other
 * character is replaced by "?" rather than drawn as garbage.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Bilingual } from '../../../db/schema.ts';
import { translator, type Locale } from '../../../platform/i18n.ts';

export interface DocumentContent {
  locale: Locale;
  town: Bilingual;
  timeZone: string;
  title: Bilingual;
  number: string;
  holderName: string;
  holderAddress: string;
  conditions: string;
  /** YYYY-MM-DD */
  validFrom: string;
  validUntil: string | null;
  issuedAt: Date;
  verifyUrl: string;
}

// The characters of Windows-1252 above 0x7F that are not Latin-1.
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Keeps what the built-in fonts can draw; narrow no-break spaces become no-break spaces. */
export function printable(text: string): string {
  return [...text.replace(/\u202F/g, '\u00A0').replace(/\r\n?/g, '\n')]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if (ch === '\n') return ch;
      if (code < 0x20) return ' ';
      if (code < 0x7f || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.has(ch)) return ch;
      return '?';
    })
    .join('');
}

/** A calendar date (YYYY-MM-DD) in words, e.g. "27 novembre 2026" or "November 27, 2026". */
export function formatDay(locale: Locale, day: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** The issue date, as a day in the town's time zone. */
export function formatInstantDay(locale: Locale, timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone }).format(at);
}

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cell = size / modules.size;
  doc.save();
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (modules.get(r, c)) doc.rect(x + c * cell, y + r * cell, cell, cell);
    }
  }
  doc.fill('#000000');
  doc.restore();
}

export interface RenderOptions {
  /** Compress the page streams (true in production; tests turn it off to read the text back). */
  compress?: boolean;
}

/** Renders the document; resolves with the PDF's bytes. */
export function renderDocumentPdf(content: DocumentContent, options: RenderOptions = {}): Promise<Buffer> {
  const t = translator(content.locale);
  const l = content.locale;
  const p = printable;
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 56,
    compress: options.compress ?? true,
    lang: l === 'fr' ? 'fr-CA' : 'en-CA',
    displayTitle: true,
    info: {
      Title: p(`${content.title[l]} ${content.number}`),
      Author: p(content.town[l]),
      Subject: p(t('review.pdf.subject', { number: content.number })),
      CreationDate: content.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const qrSize = 110;
  const textWidth = width - qrSize - 24;

  drawQr(doc, content.verifyUrl, left + width - qrSize, doc.page.margins.top, qrSize);

  doc.font('Helvetica').fontSize(12).fillColor('#333333').text(p(content.town[l]), left, doc.page.margins.top, { width: textWidth });
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(22).fillColor('#000000').text(p(content.title[l]), { width: textWidth });
  doc.moveDown(0.3);
  doc.font('Helvetica').fontSize(13).text(p(t('review.pdf.number', { number: content.number })), { width: textWidth });

  doc.y = Math.max(doc.y, doc.page.margins.top + qrSize) + 8;
  doc.font('Helvetica').fontSize(8).fillColor('#333333').text(p(t('review.pdf.verifyAt', { url: content.verifyUrl })), left, doc.y, { width, align: 'right' });
  doc.moveDown(1.5);

  const field = (label: string, value: string) => {
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#333333').text(p(label), left, doc.y, { width });
    doc.font('Helvetica').fontSize(12).fillColor('#000000').text(p(value), { width });
    doc.moveDown(0.8);
  };
  field(t('review.pdf.holder'), content.holderName);
  if (content.holderAddress.trim() !== '') field(t('review.pdf.address'), content.holderAddress);
  field(t('review.pdf.validFrom'), formatDay(l, content.validFrom));
  field(t('review.pdf.validUntil'), content.validUntil ? formatDay(l, content.validUntil) : t('review.pdf.noEnd'));
  field(t('review.pdf.conditions'), content.conditions.trim() === '' ? t('review.pdf.noConditions') : content.conditions);
  field(t('review.pdf.issuedOn'), formatInstantDay(l, content.timeZone, content.issuedAt));

  doc.moveDown(1);
  doc.font('Helvetica').fontSize(9).fillColor('#333333').text(p(t('review.pdf.footer', { town: content.town[l] })), left, doc.y, { width });
  doc.end();
  return done;
}
