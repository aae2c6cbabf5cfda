/**
 * A small XML writer for Open311 responses: elements only (no attributes), text escaped, characters
 * XML 1.0 does not allow dropped. An array becomes repeated child elements named by `itemName`.
 */
export type XmlValue = string | number | boolean | null | undefined | Date | XmlValue[] | { [key: string]: XmlValue };

// Characters XML 1.0 forbids (control characters other than tab, newline, carriage return; lone surrogates; U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** How arrays are named: the element of each item, given the array's own element name. */
export type ItemNames = Record<string, string>;

function element(name: string, value: XmlValue, items: ItemNames, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined) {
    out.push(`<${name}/>`);
  } else if (Array.isArray(value)) {
    const item = items[name];
    if (!item) throw new Error(`no item name for the list ${name}`);
    out.push(`<${name}>`);
    for (const v of value) element(item, v, items, out);
    out.push(`</${name}>`);
  } else if (value instanceof Date) {
    out.push(`<${name}>${escapeXml(value.toISOString())}</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, items, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
  }
}

/** A whole document: the XML declaration and one root element. */
export function toXml(root: string, value: XmlValue, items: ItemNames = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  element(root, value, items, out);
  return out.join('');
}
