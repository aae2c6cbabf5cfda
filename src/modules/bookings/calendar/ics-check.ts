/**
 * A small strict reader of iCalendar files, for tests: fails on anything RFC 5545 does not allow in
 * what Guichet writes (bare LF, lines over 75 octets, a property without a value, unbalanced
 * components, unescaped TEXT, missing or repeated required properties, malformed date-times).
 */

export interface IcsEvent {
  [property: string]: string;
}

const NAME = /^[A-Z][A-Z0-9-]*$/;
const UTC = /^\d{8}T\d{6}Z$/;
const TEXT_PROPERTIES = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'X-WR-CALNAME']);
const ONCE_IN_EVENT = ['UID', 'DTSTAMP', 'DTSTART'];

function unescapeText(value: string, where: string): string {
  // Only \\ \; \, \n \N are escapes; a bare ; or , or a lone backslash is an error.
  const stripped = value.replace(/\\[\\;,nN]/g, '');
  if (/[;,\\]/.test(stripped)) throw new Error(`${where}: unescaped character in TEXT value "${value}"`);
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Parses and checks a calendar file; returns its calendar properties and its events (TEXT values unescaped). */
export function parseIcs(text: string): { calendar: Record<string, string>; events: IcsEvent[] } {
  if (!text.endsWith('\r\n')) throw new Error('the file must end with CRLF');
  if (/[^\r]\n|\r[^\n]/.test(text) || text.startsWith('\n')) throw new Error('every line must end with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  physical.forEach((line, i) => {
    const octets = Buffer.byteLength(line, 'utf8');
    if (octets > 75) throw new Error(`line ${i + 1} is ${octets} octets long (75 at most)`);
    if (line.length === 0) throw new Error(`line ${i + 1} is empty`);
  });
  // Unfold: a line starting with a space or tab continues the previous one.
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lines.length === 0) throw new Error('a continuation line cannot come first');
      lines[lines.length - 1] += line.slice(1);
    } else lines.push(line);
  }
  const stack: string[] = [];
  const calendar: Record<string, string> = {};
  const events: IcsEvent[] = [];
  let event: IcsEvent | null = null;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`not a content line: "${line}"`);
    const [name = '', ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    if (!NAME.test(name)) throw new Error(`bad property name "${name}"`);
    for (const p of params) if (!/^[A-Z][A-Z0-9-]*=.+$/.test(p)) throw new Error(`bad parameter "${p}"`);
    if (name === 'BEGIN') {
      if (stack.length === 0 && value !== 'VCALENDAR') throw new Error('the file must start with BEGIN:VCALENDAR');
      stack.push(value);
      if (value === 'VEVENT') event = {};
      continue;
    }
    if (name === 'END') {
      if (stack.pop() !== value) throw new Error(`END:${value} does not close the open component`);
      if (value === 'VEVENT' && event) {
        for (const p of ONCE_IN_EVENT) if (!(p in event)) throw new Error(`an event lacks ${p}`);
        if (event.DTEND && event.DTEND <= event.DTSTART!) throw new Error('an event ends before it starts');
        events.push(event);
        event = null;
      }
      continue;
    }
    if (stack.length === 0) throw new Error(`"${name}" outside VCALENDAR`);
    const target = stack.at(-1) === 'VEVENT' && event ? event : calendar;
    if (name in target && name !== 'ATTENDEE' && name !== 'CATEGORIES') throw new Error(`${name} appears twice`);
    if (['DTSTAMP', 'DTSTART', 'DTEND'].includes(name) && !UTC.test(value)) throw new Error(`${name} is not a UTC date-time: ${value}`);
    target[name] = TEXT_PROPERTIES.has(name) ? unescapeText(value, name) : value;
  }
  if (stack.length !== 0) throw new Error(`unclosed component ${stack.join(' > ')}`);
  if (calendar.VERSION !== '2.0') throw new Error('VERSION:2.0 is required');
  if (!calendar.PRODID) throw new Error('PRODID is required');
  return { calendar, events };
}
