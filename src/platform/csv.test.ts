/** CSV for spreadsheets: escaping, formula injection, BOM and line ends. */
import { describe, expect, it } from 'vitest';
import { BOM, csvCell, csvLine, csvSeparatorFor, toCsv } from './csv.ts';

describe('csvCell', () => {
  it('leaves plain text alone and quotes what needs it', () => {
    expect(csvCell('Travaux publics')).toBe('Travaux publics');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('il a dit "non"')).toBe('"il a dit ""non"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('{"from":"agent","to":"admin"}')).toBe('"{""from"":""agent"",""to"":""admin""}"');
  });

  it('turns empty values into empty cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvCell(0)).toBe('0');
  });

  it.each([
    ['=HYPERLINK("http://evil.test","click")', `"'=HYPERLINK(""http://evil.test"",""click"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('neutralizes a formula: %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('does not touch a formula character that is not at the start', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('jean-luc@example.org')).toBe('jean-luc@example.org');
  });
});

describe('toCsv', () => {
  it('starts with a byte order mark and ends lines with CRLF', () => {
    const csv = toCsv(['Date', 'Acteur'], [
      ['2025-03-31T10:00:00-04:00', 'Élise Côté'],
      ['2025-03-31T11:00:00-04:00', '=cmd'],
    ]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe('Date,Acteur\r\n2025-03-31T10:00:00-04:00,Élise Côté\r\n2025-03-31T11:00:00-04:00,\'=cmd\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvLine([])).toBe('\r\n');
  });

  it('separates with semicolons for French spreadsheets, quoting what holds one, and commas in English', () => {
    expect(csvSeparatorFor('fr')).toBe(';');
    expect(csvSeparatorFor('en')).toBe(',');
    const csv = toCsv(['Nom', 'Montant'], [['Côté; Élise', '12,50 $']], csvSeparatorFor('fr'));
    expect(csv.slice(1)).toBe('Nom;Montant\r\n"Côté; Élise";"12,50 $"\r\n');
  });
});
