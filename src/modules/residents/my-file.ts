/**
 * "My file": everything a resident has with the town on one page, newest first, each with its
 * status. The page knows no capability: each module registers a source that lists what it holds
 * for a resident (messages today; requests, applications, bookings, passes and receipts as they
 * land), and the page merges the lists.
 *
 *   registerFileSource({
 *     id: 'requests',
 *     async list({ db, tenant, resident, t }) {
 *       return (await listRequestsOf(db, tenant.id, resident.id)).map((r) => ({
 *         id: r.id, kind: t('requests.file.kind'), title: r.title, reference: r.reference,
 *         date: r.createdAt, status: { label: t(`requests.status.${r.status}`), tone: 'info' },
 *         href: `/requests/${r.reference}`,
 *       }));
 *     },
 *   });
 *
 * A source only ever gets the signed-in resident and must only return what is theirs (or their
 * household's). A source that fails does not take the page down: its part is reported missing.
 */
import type { Database } from '../../db/database.ts';
import type { Translate, Locale } from '../../platform/i18n.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import type { TagTone } from '../../web/components/display.tsx';
import type { Tenant } from '../tenants/service.ts';

export interface FileItem {
  /** Unique within the source. */
  id: string;
  /** What kind of thing it is, translated: "Message to the town", "Service request"... */
  kind: string;
  /** A short title, when the kind alone does not say enough (e.g. the request's subject). */
  title?: string | undefined;
  /** The reference people quote, if any. */
  reference?: string | undefined;
  date: Date;
  status: { label: string; tone: TagTone };
  /** A path after the language prefix ("/requests/K7M4-Q9XA") to the item's own page, if it has one. */
  href?: string | undefined;
}

export interface FileSourceContext {
  db: Database;
  tenant: Tenant;
  resident: ResidentPrincipal;
  locale: Locale;
  t: Translate;
}

export interface FileSource {
  /** Names the source, e.g. "contact", "requests"; one registration per id. */
  id: string;
  list(ctx: FileSourceContext): Promise<FileItem[]>;
}

const sources = new Map<string, FileSource>();

/** Adds a module's source to every resident's file (registering an id again replaces it). */
export function registerFileSource(source: FileSource): void {
  sources.set(source.id, source);
}

export function fileSources(): readonly FileSource[] {
  return [...sources.values()];
}

export interface FileEntry extends FileItem {
  source: string;
}

export interface MyFile {
  items: FileEntry[];
  /** Sources that could not be read this time (the page says part of the file is missing). */
  failed: string[];
}

/** Asks every source, merges their items newest first. */
export async function listMyFile(ctx: FileSourceContext, onError?: (source: string, err: unknown) => void): Promise<MyFile> {
  const failed: string[] = [];
  const lists = await Promise.all(
    fileSources().map(async (source) => {
      try {
        return (await source.list(ctx)).map((item) => ({ ...item, source: source.id }));
      } catch (err) {
        failed.push(source.id);
        onError?.(source.id, err);
        return [];
      }
    }),
  );
  const items = lists.flat().sort((a, b) => b.date.getTime() - a.date.getTime() || a.source.localeCompare(b.source) || a.id.localeCompare(b.id));
  return { items, failed };
}
