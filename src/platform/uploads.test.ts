/**
 * Uploads: the type comes from the content, nothing may follow the format's end, sizes are
 * capped, and re-encoding drops every piece of metadata (GPS above all). Real images made by sharp.
 * The multipart reading and its CSRF check run through HTTP in modules/requests/pages.test.ts.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { cleanDocument, cleanImage, endsCleanly, IMAGE_MAX_SIDE, multipartAction, sniffType, type UploadedFile } from './uploads.ts';

const file = (bytes: Buffer, over: Partial<UploadedFile> = {}): UploadedFile => ({ field: 'photo', filename: 'photo.jpg', bytes, tooLarge: false, ...over });
const square = (format: 'jpeg' | 'png' | 'webp', size = 40) =>
  sharp({ create: { width: size, height: size, channels: 3, background: { r: 10, g: 120, b: 200 } } })[format]().toBuffer();
const ZIP = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(60, 7)]);

/** A JPEG carrying GPS coordinates, a camera model and a comment in its EXIF. */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 90, g: 90, b: 90 } } })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Secret Phone 9', ImageDescription: 'chez Marie, 12 rue des Érables' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '46/1 58/1 3000/100', GPSLongitudeRef: 'W', GPSLongitude: '71/1 17/1 600/100' },
    })
    .jpeg()
    .toBuffer();
}

describe('type from content', () => {
  it('recognizes JPEG, PNG, WebP and PDF by their first bytes, whatever the name', async () => {
    expect(sniffType(await square('jpeg'))).toBe('image/jpeg');
    expect(sniffType(await square('png'))).toBe('image/png');
    expect(sniffType(await square('webp'))).toBe('image/webp');
    expect(sniffType(Buffer.from('%PDF-1.7\n...\n%%EOF\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from('GIF89a...'))).toBeNull();
    expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('finds the end of each format, and anything appended after it', async () => {
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const bytes = await square(format);
      const type = sniffType(bytes)!;
      expect(endsCleanly(type, bytes), format).toBe(true);
      expect(endsCleanly(type, Buffer.concat([bytes, ZIP])), format).toBe(false);
    }
    const gps = await jpegWithGps();
    expect(endsCleanly('image/jpeg', gps)).toBe(true);
    const progressive = await sharp(await square('jpeg', 300)).jpeg({ progressive: true }).toBuffer();
    expect(endsCleanly('image/jpeg', progressive)).toBe(true);
    expect(endsCleanly('application/pdf', Buffer.from('%PDF-1.4\n%%EOF\n'))).toBe(true);
    expect(endsCleanly('application/pdf', Buffer.concat([Buffer.from('%PDF-1.4\n%%EOF\n'), ZIP]))).toBe(false);
  });
});

describe('cleanImage', () => {
  it('re-encodes without any metadata: no EXIF, no GPS, no camera', async () => {
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    expect(original.includes(Buffer.from('Secret Phone 9'))).toBe(true);
    const res = await cleanImage(file(original));
    if (!res.ok) throw new Error(res.error);
    const meta = await sharp(res.image.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(res.image.bytes.includes(Buffer.from('Secret Phone 9'))).toBe(false);
    expect(res.image.bytes.includes(Buffer.from('GPS'))).toBe(false);
    expect(res.image).toMatchObject({ contentType: 'image/jpeg', width: 120, height: 80 });
  });

  it('keeps the format and caps the longest side', async () => {
    const big = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer();
    const res = await cleanImage(file(big, { filename: 'plan.png' }));
    expect(res).toMatchObject({ ok: true, image: { contentType: 'image/png', width: IMAGE_MAX_SIDE, height: Math.round(IMAGE_MAX_SIDE / 3) } });
    const webp = await cleanImage(file(await square('webp')));
    expect(webp).toMatchObject({ ok: true, image: { contentType: 'image/webp', width: 40 } });
  });

  it('refuses a non-image renamed .jpg, an image with a zip appended, an oversize file, a broken image', async () => {
    expect(await cleanImage(file(Buffer.from('MZ\x90\x00 this is a program, not a photo'), { filename: 'photo.jpg' }))).toEqual({ ok: false, error: 'notImage' });
    expect(await cleanImage(file(Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'photo.jpg' }))).toEqual({ ok: false, error: 'notImage' });
    expect(await cleanImage(file(Buffer.concat([await square('jpeg'), ZIP])))).toEqual({ ok: false, error: 'appended' });
    expect(await cleanImage(file(await square('jpeg'), { tooLarge: true }))).toEqual({ ok: false, error: 'tooLarge' });
    expect(await cleanImage(file(await square('jpeg', 200)), IMAGE_MAX_SIDE, 100)).toEqual({ ok: false, error: 'tooLarge' });
    const jpeg = await square('jpeg');
    const broken = Buffer.concat([jpeg.subarray(0, 30), Buffer.alloc(200, 0), Buffer.from([0xff, 0xd9])]);
    expect((await cleanImage(file(broken))).ok).toBe(false);
  });
});

describe('cleanDocument', () => {
  it('keeps a PDF as sent, cleans an image, refuses anything else or anything appended', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    expect(await cleanDocument(file(pdf, { filename: 'preuve.pdf' }))).toEqual({ ok: true, document: { contentType: 'application/pdf', bytes: pdf, width: null, height: null } });
    expect(await cleanDocument(file(Buffer.concat([pdf, ZIP])))).toEqual({ ok: false, error: 'appended' });
    expect(await cleanDocument(file(ZIP, { filename: 'preuve.pdf' }))).toEqual({ ok: false, error: 'notDocument' });
    expect(await cleanDocument(file(await jpegWithGps()))).toMatchObject({ ok: true, document: { contentType: 'image/jpeg', width: 120 } });
  });
});

describe('multipartAction', () => {
  it('puts the CSRF token in the query string', () => {
    expect(multipartAction('/fr/requests/new', 'a+b/c')).toBe('/fr/requests/new?_csrf=a%2Bb%2Fc');
    expect(multipartAction('/fr/x?step=2', 't')).toBe('/fr/x?step=2&_csrf=t');
  });
});
