import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

/** Renders a page component to a full HTML document. Text and attributes are escaped by preact. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
