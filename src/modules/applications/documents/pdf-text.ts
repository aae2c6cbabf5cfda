/**
 * Reads the text back out of a PDF written by pdfkit with its built-in fonts, for
 * tests: every TJ array's hex strings, decoded as Windows-1252. Not a general PDF parser.
 */
import zlib from 'node:zlib';

const CP1252: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹', 0x8c: 'Œ',
  0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›',
  0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

export interface PdfShape {
  header: string;
  hasTrailer: boolean;
  endsWithEof: boolean;
  pages: number;
}

export function pdfShape(pdf: Buffer): PdfShape {
  const text = pdf.toString('latin1');
  return {
    header: text.slice(0, 8),
    hasTrailer: /\btrailer\s*<<[\s\S]*\/Root\b/.test(text) && /startxref\s+\d+\s+%%EOF\s*$/.test(text),
    endsWithEof: text.trimEnd().endsWith('%%EOF'),
    pages: [...text.matchAll(/\/Type \/Page\b(?!s)/g)].length,
  };
}

/** The PDF's text with its compressed (FlateDecode) streams inflated in place. */
function inflated(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  return raw.replace(/(\/FlateDecode[^>]*>>\s*stream\r?\n)([\s\S]*?)(\r?\nendstream)/g, (whole, open: string, body: string, close: string) => {
    try {
      return open + zlib.inflateSync(Buffer.from(body, 'latin1')).toString('latin1') + close;
    } catch {
      return whole;
    }
  });
}

/** The lines of text drawn on the pages, in drawing order (compressed streams are inflated first). */
export function pdfText(pdf: Buffer): string[] {
  const text = inflated(pdf);
  const lines: string[] = [];
  for (const m of text.matchAll(/\[((?:<[0-9a-fA-F]*>|[\s\d.-])*)\]\s*TJ/g)) {
    let line = '';
    for (const h of m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
      const hex = h[1]!;
      for (let i = 0; i + 1 < hex.length; i += 2) {
        const code = parseInt(hex.slice(i, i + 2), 16);
        line += CP1252[code] ?? String.fromCharCode(code);
      }
    }
    lines.push(line);
  }
  return lines;
}
