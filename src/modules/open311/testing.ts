/**
 * For tests of the Open311 API: a strict parser for the XML it writes (elements and text only; it
 * throws on anything not well-formed: bad nesting, a stray < or &, an unknown entity, two roots),
 * the community JSON Schemas (../shared/open311/georeport-v2) loaded in Ajv, and an API key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { Database } from '../../db/database.ts';
import { operatorKeys } from './keys.ts';

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  if (/[<]/.test(raw)) throw new Error(`stray < in text: ${raw.slice(0, 40)}`);
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated entity in ${raw.slice(0, 40)}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) throw new Error(`unknown entity &${name};`);
    return v;
  });
}

/** Parses one document; throws unless it is well-formed. */
export function parseXml(doc: string): XmlNode {
  // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(doc)) throw new Error('a character XML 1.0 forbids');
  let rest = doc.replace(/^<\?xml version="1\.0" encoding="utf-8"\?>/, '');
  if (rest === doc) throw new Error('no XML declaration');
  const root: XmlNode = { name: '#document', children: [], text: '' };
  const stack: XmlNode[] = [root];
  const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
  while (rest.length > 0) {
    const top = stack[stack.length - 1]!;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^<(${NAME})\\s*/>`).exec(rest))) {
      top.children.push({ name: m[1]!, children: [], text: '' });
    } else if ((m = new RegExp(`^<(${NAME})\\s*>`).exec(rest))) {
      const node = { name: m[1]!, children: [], text: '' };
      top.children.push(node);
      stack.push(node);
    } else if ((m = new RegExp(`^</(${NAME})\\s*>`).exec(rest))) {
      if (stack.length < 2 || top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if ((m = /^[^<]+/.exec(rest))) {
      if (stack.length < 2) {
        if (m[0].trim() !== '') throw new Error('text outside the root element');
      } else top.text += decode(m[0]);
    } else {
      throw new Error(`not well-formed at: ${rest.slice(0, 40)}`);
    }
    rest = rest.slice(m[0].length);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('a document has exactly one root element');
  return root.children[0]!;
}

/** A child's text by element name (undefined when absent). */
export function childText(node: XmlNode, name: string): string | undefined {
  return node.children.find((c) => c.name === name)?.text;
}

/**
 * The community's GeoReport v2 JSON Schemas (open311/schema-validation), kept beside the repository
 * in ../shared. A clone made elsewhere (CI clones to a temporary folder) uses the workspace's copy;
 * with neither the tests fail, never skip.
 */
const SCHEMA_DIR = [
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/open311/georeport-v2'),
  '/work/shared/open311/georeport-v2',
].find((dir) => fs.existsSync(path.join(dir, 'request.json'))) ?? 'GeoReport v2 schemas not found (../shared/open311/georeport-v2)';

/** Validators for the community schemas: services, service-definition, requests, request. */
export function open311Schemas(): Record<'services' | 'service' | 'serviceDefinition' | 'requests' | 'request', ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its function is the default export's default under NodeNext.
  const addFormats = (formats as unknown as { default: (a: Ajv) => void }).default ?? (formats as unknown as (a: Ajv) => void);
  addFormats(ajv);
  for (const file of ['request.json', 'requests.json', 'service.json', 'services.json', 'service-definition.json']) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object, file);
  }
  const get = (id: string) => ajv.getSchema(id)!;
  return { services: get('services.json'), service: get('service.json'), serviceDefinition: get('service-definition.json'), requests: get('requests.json'), request: get('request.json') };
}

/** A fresh API key for a town (through the operator's path). */
export async function testApiKey(db: Database, tenantId: string, name = 'Test client'): Promise<{ id: string; key: string }> {
  const created = await operatorKeys.create(db, tenantId, name);
  if (!created.ok || !created.created) throw new Error('could not create an API key');
  return { id: created.info.id, key: created.key };
}
